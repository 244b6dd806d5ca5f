"""The plan as pictures (Altair): frames of the visible plan, a month calendar per inspector, a map drawn from the
towns' own coordinates (no tile server: county intranets reach none), loads with readable labels, progress.

Every field a chart shows has a Chinese title (t()); dates are strings ("10-08"), never Vega's English months.
"""
from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import pandas as pd

from app import labels
from app.i18n import t
from models.dataset import Dataset

ZONE_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
               "#17becf"]
LABEL_LIMIT = 400  # pixels of an axis label before Vega cuts it with "…"
# Streamlit fits a chart whose width follows its column into the height given, axes and legends included, so
# a grid of rows would be squeezed by its axis labels and legend: grids fit the width only, and their height is
# their rows'
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
GROUP_LABEL_LIMIT = 150  # the load chart's "部门·片区" labels: room for the plot on a phone


def visits_frame(plan, dataset: Dataset) -> pd.DataFrame:
    """One row per visit of `plan` (already narrowed to what the user may see), names instead of codes."""
    rows = []
    for v in sorted(plan.visits, key=lambda v: (v.date, v.zone_id, v.town_id, v.visit_id)):
        business = dataset.business.get(v.credit_code)
        town = dataset.town.get(v.town_id)
        rows.append({"visit_id": v.visit_id, "date": v.date, "day": labels.short_day(v.date),
                     "credit_code": v.credit_code, "business": labels.business(dataset, v.credit_code, v.business_name),
                     "town": labels.town(dataset, v.town_id), "zone": labels.zone(dataset, v.zone_id),
                     "lead": labels.dept(dataset, v.lead_dept_id),
                     "depts": "、".join(labels.dept(dataset, d) for d in v.dept_ids),
                     "items": "、".join(labels.item(dataset, i) for i in v.item_ids),
                     "team": labels.team(dataset, v.inspector_ids), "minutes": v.minutes, "kind": v.kind,
                     "lat": business.lat if business else (town.lat if town else None),
                     "lon": business.lon if business else (town.lon if town else None)})
    return pd.DataFrame(rows)


def assignments_frame(plan, dataset: Dataset) -> pd.DataFrame:
    visit = {v.visit_id: v for v in plan.visits}
    rows = []
    for a in plan.assignments:
        person = dataset.inspector.get(a.inspector_id)
        rows.append({"visit_id": a.visit_id, "date": a.date, "day": labels.short_day(a.date), "inspector_id": a.inspector_id,
                     "inspector": labels.person(dataset, a.inspector_id), "dept_id": a.dept_id,
                     "dept": labels.dept(dataset, a.dept_id),
                     "home_zone": labels.zone(dataset, person.zone_id) if person else "",
                     "zone": labels.zone(dataset, visit[a.visit_id].zone_id), "town": labels.town(dataset, a.town_id),
                     "business": labels.business(dataset, a.credit_code, visit[a.visit_id].business_name)})
    return pd.DataFrame(rows)


def zone_scale(zones) -> alt.Scale:
    """The same colour for a 片区 in every chart and on the map."""
    names = sorted(set(zones))
    return alt.Scale(domain=names, range=[ZONE_COLORS[i % len(ZONE_COLORS)] for i in range(len(names))])


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def calendar_heatmap(visits: pd.DataFrame, workdays: list[date]) -> alt.Chart:
    """Visits per week and 片区, a column for every week of the period (an empty one is a week without visits):
    a dozen columns stay readable at a phone's width, where sixty days' numbers would overlap."""
    weeks = sorted({monday(d) for d in workdays})
    label = {w: t("week_of", day=labels.short_day(w)) for w in weeks}
    frame = visits.assign(week=visits["date"].map(lambda d: label[monday(d)]))
    counts = frame.groupby(["week", "zone"]).size().reset_index(name="visits")
    base = alt.Chart(counts).encode(
        x=alt.X("week:O", title=t("week"), scale=alt.Scale(domain=[label[w] for w in weeks]),
                axis=alt.Axis(labelAngle=-45, labelOverlap=True)),
        y=alt.Y("zone:N", title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)))
    cells = base.mark_rect().encode(
        color=alt.Color("visits:Q", title=t("visits"), scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(format="d", tickMinStep=1, orient="bottom")),
        tooltip=[alt.Tooltip("week:O", title=t("week")), alt.Tooltip("zone:N", title=t("zone")),
                 alt.Tooltip("visits:Q", title=t("visits"), format="d")])
    text = base.mark_text(fontSize=12).encode(
        text=alt.Text("visits:Q", format="d"),
        color=alt.condition(alt.datum.visits > counts["visits"].max() / 2, alt.value("white"), alt.value("black")))
    return (cells + text).properties(height=40 * counts["zone"].nunique(), autosize=FIT_WIDTH)


# --- one inspector's month calendar ---------------------------------------------------------------------

def month_frame(dataset: Dataset, inspector_id: str, assignments: pd.DataFrame, moved_days: set[date],
                month: tuple[int, int]) -> pd.DataFrame:
    """Every day of one month of the period for one inspector: its place in the month's grid, what the day holds."""
    mine = assignments[assignments["inspector_id"] == inspector_id]
    per_day = mine.groupby("date").agg(visits=("business", "size"), towns=("town", lambda s: "、".join(sorted(set(s)))),
                                       businesses=("business", lambda s: "、".join(s)))
    workdays = set(dataset.workdays)
    rows = []
    first = date(month[0], month[1], 1)
    day = max(first, dataset.settings.start)
    while day <= dataset.settings.end and day.month == month[1]:
        visits = int(per_day["visits"].get(day, 0)) if day in per_day.index else 0
        if day not in workdays:
            status = "rest"
        elif not dataset.is_present(inspector_id, day):
            status = "absent"
        else:
            status = "visits" if visits else "free"
        rows.append({"date": labels.short_day(day), "week": (day.day + first.weekday() - 1) // 7,
                     "weekday": labels.weekday(day), "weekday_n": day.weekday(), "day_n": day.day,
                     "status": t(f"day_{status}"), "visits": visits,
                     "label": f"{day.day}" + (f"\n{t('n_visits', n=visits)}" if visits else ""),
                     "towns": per_day["towns"].get(day, "") if visits else "",
                     "businesses": per_day["businesses"].get(day, "") if visits else "",
                     "moved": t("moved_mark") if day in moved_days else ""})
        day += timedelta(days=1)
    return pd.DataFrame(rows)


def inspector_month(frame: pd.DataFrame) -> alt.LayerChart:
    """One month's grid (Monday first), as wide as its column: visit days blue with the count, absences grey, rest
    days pale; a day with a visit the last re-plan moved there has an orange frame."""
    order = [t(f"day_{s}") for s in ("visits", "free", "absent", "rest")]
    colours = ["#6baed6", "#ffffff", "#9e9e9e", "#ececec"]
    weekdays = [labels.weekday(date(2026, 1, 5) + timedelta(days=n)) for n in range(7)]  # a Monday, then the week
    base = alt.Chart(frame).encode(
        x=alt.X("weekday:O", sort=weekdays, scale=alt.Scale(domain=weekdays), title=None,
                axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("week:O", title=None, axis=None))
    cells = base.mark_rect(stroke="#d9d9d9").encode(
        color=alt.Color("status:N", title=t("day_status"), scale=alt.Scale(domain=order, range=colours),
                        legend=alt.Legend(orient="bottom", columns=4)),
        tooltip=[alt.Tooltip("date:N", title=t("date")), alt.Tooltip("status:N", title=t("day_status")),
                 alt.Tooltip("visits:Q", title=t("visits"), format="d"), alt.Tooltip("towns:N", title=t("town")),
                 alt.Tooltip("businesses:N", title=t("business")), alt.Tooltip("moved:N", title=t("moved"))])
    moved = base.transform_filter(alt.datum.moved != "").mark_rect(fill=None, stroke="#ff7f0e", strokeWidth=3)
    text = base.mark_text(fontSize=12, lineBreak="\n").encode(text="label:N")
    return alt.layer(cells, moved, text, data=frame).properties(
        height=50 * frame["week"].nunique(), autosize=FIT_WIDTH)


def allowed_days_chart(days: list[date], allowed: list[date], current: date) -> alt.LayerChart:
    """The days a hand move may take, as a calendar (a row per week, Monday first): green where every rule
    holds, grey where one is broken, blue the visit's day now."""
    ok, now = set(allowed), current
    status = {True: t("day_allowed"), False: t("day_refused")}
    order = [t("day_allowed"), t("day_refused"), t("day_current")]
    frame = pd.DataFrame([{"date": labels.short_day(d), "week": t("week_of", day=labels.short_day(monday(d))),
                           "weekday": labels.weekday(d), "day": str(d.day),
                           "status": t("day_current") if d == now else status[d in ok]}
                          for d in sorted({*days, current})])
    weekdays = [labels.weekday(date(2026, 1, 5) + timedelta(days=n)) for n in range(7)]
    weeks = list(dict.fromkeys(frame["week"]))
    base = alt.Chart(frame).encode(
        x=alt.X("weekday:O", sort=weekdays, scale=alt.Scale(domain=weekdays), title=None,
                axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("week:O", sort=weeks, title=None, axis=alt.Axis(labelLimit=90)))
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("status:N", title=None, scale=alt.Scale(domain=order, range=["#74c476", "#e0e0e0", "#6baed6"]),
                        legend=alt.Legend(orient="bottom", columns=3)),
        tooltip=[alt.Tooltip("date:N", title=t("date")), alt.Tooltip("status:N", title=t("day_status"))])
    return (cells + base.mark_text(fontSize=12).encode(text="day:N")).properties(
        height=28 * len(weeks), autosize=FIT_WIDTH)


# --- the map ---------------------------------------------------------------------------------------------

def zone_hulls(dataset: Dataset) -> list[dict]:
    """GeoJSON polygons of each 片区: the convex hull of its towns and businesses (clockwise, as d3-geo wants)."""
    points: dict[str, list[tuple[float, float]]] = {}
    for town in dataset.towns:
        points.setdefault(town.zone_id, []).append((town.lon, town.lat))
    for b in dataset.businesses:
        town = dataset.town.get(b.town_id)
        if town is not None and b.lat is not None and b.lon is not None:
            points.setdefault(town.zone_id, []).append((b.lon, b.lat))
    features = []
    for zone_id, pts in sorted(points.items()):
        ring = convex_hull(pts)
        if len(ring) < 3:
            continue
        ring = list(reversed(ring))  # convex_hull is counter-clockwise
        features.append({"type": "Feature", "properties": {"zone": labels.zone(dataset, zone_id)},
                         "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in [*ring, ring[0]]]]}})
    return features


def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain: the hull's corners counter-clockwise."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def towns_frame(dataset: Dataset) -> pd.DataFrame:
    return pd.DataFrame([{"town": t_.name, "zone": labels.zone(dataset, t_.zone_id), "lat": t_.lat, "lon": t_.lon,
                          "hub": t_.town_id in {z.hub_town_id for z in dataset.zones}} for t_ in dataset.towns])


def day_map(dataset: Dataset, visits: pd.DataFrame) -> alt.LayerChart:
    """One day's visits over the county drawn from its own data: 片区 as shaded hulls (named in the legend),
    towns as labelled squares, visits coloured by team (hover for the business, the town and the team; the day's
    teams are listed under the map, not in a legend of a dozen colours)."""
    zones = zone_scale(z.name for z in dataset.zones)
    hulls = alt.Chart(alt.Data(values=zone_hulls(dataset))).mark_geoshape(
        fillOpacity=0.12, strokeOpacity=0.6, strokeWidth=1.5).encode(
        fill=alt.Color("properties.zone:N", title=t("zone"), scale=zones,
                       legend=alt.Legend(orient="bottom", columns=4, labelLimit=160)),
        stroke=alt.Color("properties.zone:N", legend=None, scale=zones),
        tooltip=[alt.Tooltip("properties.zone:N", title=t("zone"))])
    towns = towns_frame(dataset)
    town_points = alt.Chart(towns).mark_point(shape="square", size=40, color="#555555", filled=True).encode(
        longitude="lon:Q", latitude="lat:Q", tooltip=[alt.Tooltip("town:N", title=t("town"))])
    town_names = alt.Chart(towns).mark_text(dy=-11, fontSize=12, color="#333333").encode(
        longitude="lon:Q", latitude="lat:Q", text="town:N")
    shown = visits.dropna(subset=["lat", "lon"])
    dots = alt.Chart(shown).mark_circle(size=120, opacity=0.9, stroke="white", strokeWidth=1).encode(
        longitude="lon:Q", latitude="lat:Q", color=alt.Color("team:N", legend=None),
        tooltip=[alt.Tooltip("business:N", title=t("business")), alt.Tooltip("town:N", title=t("town")),
                 alt.Tooltip("team:N", title=t("team")), alt.Tooltip("items:N", title=t("items"))])
    return (alt.layer(hulls, town_points, town_names, dots).project(type="mercator")
            .properties(height=460).resolve_scale(color="independent"))


# --- loads -----------------------------------------------------------------------------------------------

def load_chart(assignments: pd.DataFrame, balance: list[dict], dataset: Dataset) -> alt.LayerChart:
    """Visits per inspector in each (department, 片区), one row each so every label reads horizontally; the bar
    spans the fewest to the most visits in the cell (the spread)."""
    counts = assignments.groupby(["inspector", "dept_id", "home_zone"]).size().reset_index(name="visits")
    counts["group"] = counts["dept_id"].map(lambda d: labels.dept(dataset, d)) + "·" + counts["home_zone"]
    frame = pd.DataFrame([{"group": f"{labels.dept(dataset, r['dept_id'])}·{labels.zone(dataset, r['zone_id'])}",
                           "min_visits": r["min_visits"], "max_visits": r["max_visits"], "spread": r["spread"],
                           "fair_spread": r["fair_spread"]} for r in balance])
    groups = sorted(set(counts["group"]) | set(frame["group"] if not frame.empty else []))
    y = alt.Y("group:N", title=None, sort=groups, axis=alt.Axis(labelLimit=GROUP_LABEL_LIMIT))
    layers = []
    if not frame.empty:
        layers.append(alt.Chart(frame).mark_bar(height=10, opacity=0.3, color="#4c78a8").encode(
            y=y, x=alt.X("min_visits:Q", title=t("visits_per_inspector"), axis=alt.Axis(format="d", tickMinStep=1)),
            x2="max_visits:Q",
            tooltip=[alt.Tooltip("group:N", title=t("dept_zone")), alt.Tooltip("min_visits:Q", title=t("fewest"), format="d"),
                     alt.Tooltip("max_visits:Q", title=t("most"), format="d"),
                     alt.Tooltip("spread:Q", title=t("spread"), format="d"),
                     alt.Tooltip("fair_spread:Q", title=t("fair_spread"))]))
    same = (counts.groupby(["group", "home_zone", "visits"])
            .agg(people=("inspector", "size"), names=("inspector", "、".join)).reset_index())
    layers.append(alt.Chart(same).mark_circle(opacity=0.85).encode(
        y=y, x=alt.X("visits:Q", title=t("visits_per_inspector"), axis=alt.Axis(format="d", tickMinStep=1)),
        size=alt.Size("people:Q", title=t("people"), scale=alt.Scale(range=[60, 360]),
                      legend=alt.Legend(format="d", tickMinStep=1, orient="top")),  # one legend a side: a phone holds each
        color=alt.Color("home_zone:N", title=t("zone"), scale=zone_scale(same["home_zone"]),
                        legend=alt.Legend(orient="bottom", columns=4)),
        tooltip=[alt.Tooltip("group:N", title=t("dept_zone")), alt.Tooltip("visits:Q", title=t("visits"), format="d"),
                 alt.Tooltip("people:Q", title=t("people"), format="d"), alt.Tooltip("names:N", title=t("inspector"))]))
    return alt.layer(*layers).properties(height=alt.Step(30))


# --- progress and comparison ----------------------------------------------------------------------------

def weekly_chart(by_week: list[dict]) -> alt.LayerChart:
    """Visits planned and done, cumulated week by week (the 进度 page)."""
    rows = []
    for week in by_week:
        label = t("week_of", day=labels.short_day(date.fromisoformat(week["week_start"])))
        rows += [{"week": label, "series": t("planned_cumulative"), "visits": week["planned_cumulative"]},
                 {"week": label, "series": t("done_cumulative"), "visits": week["done_cumulative"]}]
    frame = pd.DataFrame(rows)
    weeks = list(dict.fromkeys(frame["week"]))
    return (alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("week:O", sort=weeks, title=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("visits:Q", title=t("visits"), axis=alt.Axis(format="d", tickMinStep=1)),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("week:O", title=t("week")), alt.Tooltip("series:N", title=""),
                 alt.Tooltip("visits:Q", title=t("visits"), format="d")])
            .properties(height=320))


def compare_chart(long: pd.DataFrame) -> alt.FacetChart:
    """One small bar chart per figure, a bar per plan; only figures that are not zero everywhere are drawn."""
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("plan:N", title=None, axis=alt.Axis(labelAngle=-30, labelLimit=110)),
        y=alt.Y("value:Q", title=None, axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("plan:N", title=None, legend=None),
        tooltip=[alt.Tooltip("plan:N", title=t("plan")), alt.Tooltip("metric:N", title=t("metric")),
                 alt.Tooltip("value:Q", title=t("value"))])
    numbers = alt.Chart().mark_text(dy=-7, fontSize=12).encode(x="plan:N", y="value:Q", text="value:Q")
    # each figure on its own axis (7 against 8 stays visible beside 140), two to a row so a phone holds them
    return (alt.layer(bars, numbers, data=long).properties(width=130, height=160)
            .facet(facet=alt.Facet("metric:N", title=None, header=alt.Header(labelFontSize=13, labelLimit=160)),
                   columns=2)
            .resolve_scale(y="independent").resolve_axis(x="independent"))  # each its plans' names beneath


def tradeoff_chart(points: pd.DataFrame) -> alt.LayerChart:
    """片区 balance against loans, one point per plan: what evening out the 片区 costs in borrowed officers."""
    low, high = float(points["ratio"].min()), float(points["ratio"].max())
    pad = max(0.05, (high - low) * 0.2)  # never an axis of 1.2460–1.2480: two decimals, at least 0.1 wide
    base = alt.Chart(points).encode(
        x=alt.X("loans:Q", title=t("m_cross_zone_loans"), axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(zero=False, nice=True, padding=16)),
        y=alt.Y("ratio:Q", title=t("m_zone_ratio_max"), axis=alt.Axis(format=".2f", tickCount=5),
                scale=alt.Scale(domain=[round(low - pad, 2), round(high + pad, 2)])))
    return (base.mark_line(point=True, color="#4c78a8").encode(order="loans:Q")
            + base.mark_text(dx=8, align="left").encode(text="plan:N")).properties(height=300)

