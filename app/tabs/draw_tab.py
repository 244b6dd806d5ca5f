"""抽取 (双随机): seed, ratios, shortlist, coordination; both halves of the draw side by side — the businesses drawn
per item, and the random shortlist of inspectors drawn per business and department — and the door-knock saving."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app import labels, state
from app.i18n import t
from models.records import RISK_LEVELS
from planner.draw import draw
from planner.draw.files import DrawRecord, draw_files
from planner.draw.knocks import knocks_of_draw
from planner.draw.prn import new_seed
from planner.whatif.describe import describe_change


def render() -> None:
    loaded = state.dataset_or_hint()
    if loaded is None:
        return
    ds = loaded.dataset
    seed_key = f"seed_{loaded.digest}"
    if seed_key not in st.session_state:
        st.session_state[seed_key] = ds.settings.seed or new_seed()
    a, b, c, d = st.columns([3, 1, 1, 1])
    a.text_input(t("seed"), key=seed_key, help=t("seed_help"), persist_state="session")
    if b.button(t("new_seed"), key="new_seed"):
        st.session_state[seed_key] = new_seed()
        st.rerun()
    default_shortlist = ds.settings.shortlist or 0
    c.number_input(t("shortlist"), min_value=0, max_value=20, value=default_shortlist, key=f"shortlist_{loaded.digest}",
                   help=t("shortlist_help"), persist_state="session")
    d.checkbox(t("coordinated"), value=True, key="coordinated", help=t("coordinated_help"), persist_state="session")
    with st.expander(t("ratios"), expanded=False):
        _ratio_editor(loaded)
    if st.button(t("run_draw"), key="run_draw", type="primary"):
        _run_draw(loaded)
    result = st.session_state.get("draw_result")
    if result is not None and result["digest"] == loaded.digest:
        _show_draw(loaded, result["draw"])


def seed_of(loaded) -> str:
    return (st.session_state.get(f"seed_{loaded.digest}") or "").strip() or loaded.dataset.settings.seed or ""


def draw_changes(loaded) -> list[str]:
    """Ratios and shortlist as the planner's change strings, so a plan records how its draw differed."""
    changes = list(st.session_state.get(f"ratio_changes_{loaded.digest}", []))
    shortlist = st.session_state.get(f"shortlist_{loaded.digest}")
    if shortlist is not None and int(shortlist) != (loaded.dataset.settings.shortlist or 0):
        changes.append(f"set:shortlist={int(shortlist) or 'all'}")
    return changes


def _ratio_editor(loaded) -> None:
    ds = loaded.dataset
    columns = {r: t("risk_class", level=r) for r in RISK_LEVELS}
    saved = {tuple(c.split(":")[1:3]): float(c.split(":")[3])
             for c in st.session_state.get(f"ratio_changes_{loaded.digest}", [])}  # kept while other pages run
    base = pd.DataFrame([{t("item_name"): i.name, t("department"): labels.dept(ds, i.dept_id),
                          **{columns[r]: i.ratios.get(r, 0.0) for r in RISK_LEVELS}} for i in ds.items])
    shown = pd.DataFrame([{t("item_name"): i.name, t("department"): labels.dept(ds, i.dept_id),
                           **{columns[r]: saved.get((i.item_id, r), i.ratios.get(r, 0.0)) for r in RISK_LEVELS}}
                          for i in ds.items])
    config = {columns[r]: st.column_config.NumberColumn(columns[r], min_value=0.0, max_value=1.0, step=0.01,
                                                        format="%.2f") for r in RISK_LEVELS}
    edited = st.data_editor(shown, hide_index=True, disabled=[t("item_name"), t("department")], column_config=config,
                            key=f"ratio_editor_{loaded.digest}", width="stretch")
    changes = []
    for item, (_, old), (_, new) in zip(ds.items, base.iterrows(), edited.iterrows()):
        for r in RISK_LEVELS:
            if abs(float(new[columns[r]]) - float(old[columns[r]])) > 1e-9:
                changes.append(f"ratio:{item.item_id}:{r}:{float(new[columns[r]]):g}")
    st.session_state[f"ratio_changes_{loaded.digest}"] = changes
    if changes:
        st.caption(t("ratio_changes", changes="；".join(describe_change(ds, c) for c in changes)))


def _run_draw(loaded) -> None:
    seed = seed_of(loaded)
    changes = draw_changes(loaded)
    try:
        dataset = state.with_changes(loaded.dataset, changes)
        result = draw(dataset, seed, coordinated=bool(st.session_state.get("coordinated", True)))
    except Exception as error:  # bad ratio or seed: a message, not a traceback
        st.error(t("draw_failed", error=error))
        return
    st.session_state["draw_result"] = {"digest": loaded.digest, "draw": result}
    record = DrawRecord.of(result, draw_files(result), knocks_of_draw(result)).to_json()
    state.store().save_draw(loaded.digest, result.seed, changes, record, by=state.user_name())


def _show_draw(loaded, result) -> None:
    ds = loaded.dataset
    knocks = knocks_of_draw(result)
    a, b, c, d = st.columns(4)
    a.metric(t("pairs"), int(knocks["pairs"]))
    b.metric(t("visits_merged"), int(knocks["visits_merged"]))
    c.metric(t("visits_separate"), round(knocks["independent"]["visits_separate_departments"]),
             help=t("visits_separate_help"))
    d.metric(t("saving"), f"{knocks['saving_percent']:.0f}%")
    floor = knocks.get("floor") or {}
    if floor.get("visits") is not None:
        st.caption(t("floor", visits=floor["visits"]))
    st.markdown(t("drawn_heading", seed=result.seed))
    st.caption(t("draw_halves"))
    st.dataframe(both_halves(ds, result), hide_index=True, width="stretch", key="draw_table",
                 column_config={t("business_half"): st.column_config.TextColumn(width="large"),
                                t("inspector_half"): st.column_config.TextColumn(width="large")})
    with st.expander(t("verify_how")):  # coordinators only (this page is theirs): the commands, explained
        st.markdown(t("verify_how_words"))
        data_path = state.source_path(loaded)
        st.code(f"python -m planner draw {data_path} --seed {result.seed} --out 抽取结果\n"
                f"python -m planner verify 方案文件夹 --data {data_path}", language="bash")


def both_halves(ds, result) -> pd.DataFrame:
    """Both halves of 双随机, one row per drawn business and department: the items it was drawn for (对象随机:
    its risk class, its place in the frame's random order) beside the officers drawn as its shortlist (人员随机)."""
    pairs: dict[tuple[str, str], list] = {}
    for p in result.pairs:
        pairs.setdefault((p.credit_code, p.dept_id), []).append(p)
    rows = []
    for (code, dept_id), drawn in sorted(pairs.items()):
        officers = result.shortlist(code, dept_id)
        rows.append({t("business"): labels.business(ds, code), t("credit_code"): code,
                     t("department"): labels.dept(ds, dept_id),
                     t("business_half"): "；".join(t("drawn_item", item=labels.item(ds, p.item_id),
                                                    level=t("risk_class", level=p.risk_level), rank=p.rank,
                                                    frame=p.frame_size) for p in drawn),
                     t("inspector_half"): "、".join(labels.person(ds, o) for o in officers) or t("none"),
                     t("order_length"): len(result.orders.get((code, dept_id), ()))})
    return pd.DataFrame(rows)
