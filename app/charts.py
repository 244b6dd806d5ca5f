"""The plan as pictures: Altair charts and a pydeck map, built from frames of the plan's visits."""
from __future__ import annotations

import altair as alt
import pandas as pd
import pydeck as pdk

from app.i18n import t

ZONE_COLORS = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
               (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207)]


def visits_frame(plan, dataset) -> pd.DataFrame:
    rows = []
    for v in plan.visits:
        business = dataset.business.get(v.credit_code)
        town = dataset.town.get(v.town_id)
        rows.append({"visit_id": v.visit_id, "date": v.date.isoformat(), "day": v.date.strftime("%m-%d"), "credit_code": v.credit_code,
                     "business": v.business_name, "town": _town_name(dataset, v.town_id),
                     "zone_id": v.zone_id, "zone": _zone_name(dataset, v.zone_id),
                     "lead": v.lead_dept_id, "depts": "、".join(v.dept_ids), "items": "、".join(v.item_ids),
                     "team": "、".join(_person(dataset, p) for p in v.inspector_ids), "minutes": v.minutes,
                     "lat": business.lat if business else (town.lat if town else None),
                     "lon": business.lon if business else (town.lon if town else None)})
    return pd.DataFrame(rows)


def assignments_frame(plan, dataset) -> pd.DataFrame:
    visit_zone = {v.visit_id: v.zone_id for v in plan.visits}
    names = {v.visit_id: v.business_name for v in plan.visits}
    rows = []
    for a in plan.assignments:
        person = dataset.inspector.get(a.inspector_id)
        rows.append({"date": a.date.isoformat(), "day": a.date.strftime("%m-%d"), "inspector_id": a.inspector_id, "inspector": _person(dataset, a.inspector_id),
                     "dept_id": a.dept_id, "home_zone": _zone_name(dataset, person.zone_id) if person else "",
                     "zone": _zone_name(dataset, visit_zone.get(a.visit_id, "")),
                     "town": _town_name(dataset, a.town_id),
                     "business": names.get(a.visit_id, "")})
    return pd.DataFrame(rows)


def calendar_heatmap(visits: pd.DataFrame) -> alt.Chart:
    counts = visits.groupby(["day", "zone"]).size().reset_index(name="visits")
    base = alt.Chart(counts).encode(x=alt.X("day:O", title=t("date"), axis=alt.Axis(labelAngle=-60)),
                                    y=alt.Y("zone:N", title=t("zone")))
    cells = base.mark_rect().encode(color=alt.Color("visits:Q", title=t("visits"), scale=alt.Scale(scheme="blues")),
                                    tooltip=["day", "zone", "visits"])
    labels = base.mark_text(fontSize=11).encode(text="visits:Q")
    return (cells + labels).properties(height=90 + 40 * counts["zone"].nunique())  # the height holds the axis


def inspector_timeline(assignments: pd.DataFrame) -> alt.Chart:
    per_day = (assignments.groupby(["inspector", "day", "zone"])
               .agg(visits=("business", "size"), businesses=("business", lambda s: "、".join(s)),
                    town=("town", "first")).reset_index())
    return (alt.Chart(per_day).mark_rect(stroke="white")
            .encode(x=alt.X("day:O", title=t("date"), axis=alt.Axis(labelAngle=-60)),
                    y=alt.Y("inspector:N", title=t("inspector")),
                    color=alt.Color("zone:N", title=t("zone"), scale=zone_scale(per_day["zone"])),
                    tooltip=["inspector", "day", "zone", "town", "visits", "businesses"])
            .properties(height=90 + 22 * per_day["inspector"].nunique()))


def load_chart(assignments: pd.DataFrame, balance: list[dict], dataset) -> alt.Chart:
    """Visits per inspector, grouped by (department, home zone); the rule spans min to max (the spread)."""
    counts = assignments.groupby(["inspector", "dept_id", "home_zone"]).size().reset_index(name="visits")
    frame = pd.DataFrame(balance)
    if frame.empty:
        frame = pd.DataFrame(columns=["dept_id", "zone_id", "min_visits", "max_visits", "spread"])
    frame["home_zone"] = frame["zone_id"].map(lambda z: _zone_name(dataset, z))
    frame["group"] = frame["dept_id"] + " · " + frame["home_zone"]
    counts["group"] = counts["dept_id"] + " · " + counts["home_zone"]
    x = alt.X("group:N", title=t("dept_zone"), axis=alt.Axis(labelAngle=-45))
    spread = alt.Chart(frame).mark_rule(strokeWidth=6, opacity=0.35).encode(
        x=x, y=alt.Y("min_visits:Q", title=t("visits_per_inspector")), y2="max_visits:Q",
        tooltip=["dept_id", "home_zone", "min_visits", "max_visits", "spread"])
    dots = alt.Chart(counts).mark_circle(size=60).encode(
        x=x, y="visits:Q", color=alt.Color("dept_id:N", title=t("department")),
        tooltip=["inspector", "dept_id", "home_zone", "visits"])
    return (spread + dots).properties(height=380)


def zone_scale(zones: pd.Series) -> alt.Scale:
    """The same colour for a 片区 in every chart and on the map."""
    colours = _zone_colours(zones)
    return alt.Scale(domain=list(colours), range=[_hex(c) for c in colours.values()])


def visits_map(visits: pd.DataFrame, by: str = "zone") -> pdk.Deck:
    """Visits on a map, coloured by 片区 or by date (early = light yellow, late = dark red)."""
    frame = visits.dropna(subset=["lat", "lon"]).copy()
    if by == "date":
        days = sorted(frame["date"].unique())
        share = {d: i / max(1, len(days) - 1) for i, d in enumerate(days)}
        frame["color"] = frame["date"].map(lambda d: [255, int(230 - 200 * share[d]), int(120 - 100 * share[d]), 220])
    else:
        palette = {z: [*c, 200] for z, c in _zone_colours(frame["zone"]).items()}
        frame["color"] = frame["zone"].map(palette)
    layer = pdk.Layer("ScatterplotLayer", frame, get_position=["lon", "lat"], get_fill_color="color",
                      get_radius=180, radius_min_pixels=4, pickable=True)
    view = pdk.ViewState(latitude=float(frame["lat"].mean()), longitude=float(frame["lon"].mean()), zoom=10)
    return pdk.Deck(layers=[layer], initial_view_state=view, map_style=None,
                    tooltip={"text": "{business}\n{town} · {zone}\n{date}"})


def point_map(visits: pd.DataFrame, by: str = "zone") -> alt.Chart:
    """A drawn map of the visits (Mercator), readable without WebGL or a tile server; hover for details."""
    frame = visits.dropna(subset=["lat", "lon"])
    colour = (alt.Color("zone:N", title=t("zone"), scale=zone_scale(frame["zone"])) if by == "zone"
              else alt.Color("date:T", title=t("date"), scale=alt.Scale(scheme="yelloworangered")))
    return (alt.Chart(frame).mark_circle(size=70, opacity=0.85, stroke="white", strokeWidth=0.5)
            .encode(longitude="lon:Q", latitude="lat:Q", color=colour,
                    tooltip=["business", "town", "zone", "date", "team"])
            .project(type="mercator").properties(height=460))


def zone_legend(visits: pd.DataFrame) -> list[tuple[str, str]]:
    return [(z, _hex(c)) for z, c in _zone_colours(visits["zone"]).items()]


def _zone_colours(zones: pd.Series) -> dict[str, tuple[int, int, int]]:
    """片区 names in sorted order -> RGB, cycling through ZONE_COLORS."""
    return {z: ZONE_COLORS[i % len(ZONE_COLORS)] for i, z in enumerate(sorted(zones.unique()))}


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _town_name(dataset, town_id: str) -> str:
    town = dataset.town.get(town_id)
    return town.name if town else town_id


def _zone_name(dataset, zone_id: str) -> str:
    zone = dataset.zone.get(zone_id)
    return zone.name if zone else zone_id


def _person(dataset, inspector_id: str) -> str:
    person = dataset.inspector.get(inspector_id)
    return f"{person.name}({inspector_id})" if person else inspector_id
