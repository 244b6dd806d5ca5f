"""导出 / 下载: a coordinator downloads the plan and every export of it and records a 结果公示; a department (or a
coordinator in a department's view) downloads that department's workbook and its inspectors' calendars only."""
from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

import streamlit as st

from app import labels, state
from app.i18n import t
from models.problems import UserError
from planner.export import FORMATS, department_files, export_plan, record_publication
from planner.quarter.publication import publication_list
from planner.store.access import Action, may
from planner.store.blobs import zip_folder
from planner.store.store import PlanChanged


def render() -> None:
    found = state.plan_or_hint()
    if found is None:
        return
    loaded, row, dataset = found
    dept = state.scope()
    if dept is not None:
        department_download(row, dataset, dept)
    elif may(state.user(), Action.EXPORT):
        county_exports(row, dataset)


def department_download(row, dataset, dept: str) -> None:
    name = labels.dept(dataset, dept)
    st.markdown(t("dept_download_heading", dept=name, plan=state.plan_title(row)))
    key = ("department", row.id, row.version, dept, state.today())
    if not _prepare_button(key, t("dept_prepare", dept=name), "prepare_department"):
        return
    try:
        with st.spinner(t("preparing")):
            files = _department_files(state.store().where, row.id, row.version, dept, state.today(), dataset)
    except UserError as error:
        st.error(t("export_failed", error=error))
        return
    st.download_button(t("dept_download", dept=name), _zip(files), file_name=f"{name}-{row.id}.zip",
                       mime="application/zip", key="download_department", type="primary", on_click=_downloaded,
                       args=(row, f"{dept}-{row.id}.zip"))
    people = _department_people(row, dept)
    st.caption(t("dept_download_holds", dept=name, n=len(people),
                 people="、".join(labels.person(dataset, p) for p in people)))


def county_exports(row, dataset) -> None:
    st.caption(t("export_of", plan=state.plan_title(row)))
    st.download_button(t("download_plan"), state.store().plan_files(row.id), file_name=f"plan-{row.id}.zip",
                       mime="application/zip", key="download_plan", on_click=_downloaded, args=(row, f"plan-{row.id}.zip"))
    formats = st.multiselect(t("formats"), list(FORMATS), default=[f for f in FORMATS if f not in SLOW_FORMATS],
                             key="export_formats", format_func=labels.words_of(FORMATS, lambda f: t(f"format_{f}")), placeholder=t("choose"),
                             help=t("formats_help"))
    key = ("exports", row.id, row.version, tuple(formats), state.today())
    if formats and _prepare_button(key, t("exports_prepare"), "prepare_exports"):
        try:
            with st.spinner(t("preparing")):
                data = _exports(state.store().where, row.id, row.version, tuple(formats), state.today(), dataset)
        except Exception as error:  # an export problem is a message, the rest of the app keeps working
            st.error(t("export_failed", error=error))
        else:
            st.download_button(t("download_exports"), data, file_name=f"exports-{row.id}.zip", mime="application/zip",
                               key="download_exports", type="primary", on_click=_downloaded,
                               args=(row, f"exports-{row.id}.zip"))
    publication(row, dataset)
    with st.expander(t("export_cli")):  # coordinators only: the same on the server's command line, explained
        st.markdown(t("export_cli_words"))
        st.code(f"python -m planner store export {row.id} --out 方案文件夹\n"
                f"python -m planner export 方案文件夹 --data {state.source_path(state.current())} --out 导出",
                language="bash")


SLOW_FORMATS = ("pdf", "visit")  # a county's printable PDFs and per-visit documents take minutes: asked for


def _prepare_button(key: tuple, label: str, widget: str) -> bool:
    """Exports are made when asked for (a county's take a while), then kept for this plan version: whether the
    files for `key` are asked for yet."""
    asked = st.session_state.setdefault("exports_asked", set())
    if key not in asked and st.button(label, key=widget):
        asked.add(key)
    return key in asked


def publication(shown, dataset) -> None:
    """结果公示: the results due on the publicity system, recorded as published today in the plan in force (a
    scenario publishes nothing); the button and its count follow the plan's current version at once."""
    st.markdown(t("publication_heading"))
    row = state.in_force_row(shown)
    if row is None or row.dataset_digest != shown.dataset_digest:
        st.caption(t("publication_no_plan_in_force"))
        return
    if row.id != shown.id:
        st.caption(t("publication_goes_to_in_force", plan=state.plan_title(row)))
    today = state.today()
    plan = state.plan(row.id)
    due = [d for d in publication_list(plan, today, dataset.calendar) if d.result.published_on is None]
    if not due:
        st.caption(t("publication_none"))
    else:
        late = sum(d.late(today) for d in due)
        st.write(t("publication_due", n=len(due), late=late))
        a, b = st.columns([2, 3], vertical_alignment="center")
        clicked = a.button(t("publication_record", n=len(due), day=labels.day_long(today)), key="record_publication")
        b.caption(t("entry_target", plan=state.plan_title(row), version=row.version))
        if clicked:
            _record_publication(row, dataset, today)
    if st.session_state.get("publication_outcome"):
        kind, message = st.session_state["publication_outcome"]
        getattr(st, kind)(message)


def _record_publication(row, dataset, today: date) -> None:
    """As `export` does on the command line: the 抽查结果公示 written, then recorded in a new version of the plan
    (Store.change_plan: on the version current when it is stored, so a department's results saved meanwhile
    stay, and the list recorded is the list of that version)."""
    user = state.user_name()

    def publish(folder: Path) -> list:
        with tempfile.TemporaryDirectory(prefix="planner-") as tmp:
            out = Path(tmp) / "exports"
            export_plan(folder, dataset, out, ["notice"], today=today)
            return record_publication(folder, dataset, out, today, user=user, now=datetime.now().astimezone())

    try:
        change = state.store().change_plan(row.id, publish, by=user, action="export", note=lambda recorded: t(
            "publication_note", n=len(recorded), day=today.isoformat()))
    except (PlanChanged, UserError) as error:
        st.session_state["publication_outcome"] = ("error", str(error))
    else:
        st.session_state["publication_outcome"] = ("success", t("publication_done", n=len(change.outcome),
                                                                plan=state.plan_title(row),
                                                                version=change.version or row.version))
        st.rerun()


def _department_people(row, dept: str) -> list[str]:
    """The department's officers with a visit in the plan: those whose calendars the download holds."""
    return sorted({a.inspector_id for a in state.plan(row.id).assignments if a.dept_id == dept})


@st.cache_data(show_spinner=False, max_entries=16)
def _exports(db: str, plan_id: int, version: int, formats: tuple[str, ...], today: date, _dataset) -> bytes:
    """A stored plan version never changes, so (database, plan, version, formats, today) names the export."""
    with state.plan_folder(plan_id) as folder, tempfile.TemporaryDirectory(prefix="planner-") as tmp:
        out = Path(tmp) / "exports"
        export_plan(folder, _dataset, out, formats, today=today)
        return zip_folder(out)


@st.cache_data(show_spinner=False, max_entries=16)
def _department_files(db: str, plan_id: int, version: int, dept: str, today: date, _dataset) -> dict[str, bytes]:
    with state.plan_folder(plan_id) as folder:
        return department_files(folder, _dataset, dept, today)


def _zip(files: dict[str, bytes]) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        for path, data in files.items():
            target = Path(tmp, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return zip_folder(Path(tmp))


def _downloaded(row, what: str) -> None:
    """The audit log keeps who downloaded which plan (the lists are confidential)."""
    state.store().log(state.user_name(), "export", plan_id=row.id, detail=f"{what}（第 {row.version} 版）")
