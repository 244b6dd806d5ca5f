"""No confidential copy left behind: an app session — plans opened, results entered, exports made, a 公示
recorded, an export that fails — leaves nothing in the temporary folder."""
from __future__ import annotations

import tempfile

import pytest

from planner import export
from tests.app.test_app import (  # noqa: F401 (fixtures)
    DEPARTMENT,
    app_env,
    coordinator_with_plan,
    new_app,
    no_exception,
    planned,
    tab,
)


@pytest.fixture()
def county(request):
    """The county with the tiny fixture's plan stored (tests.app.test_app.planned)."""
    return request.getfixturevalue("planned")


@pytest.fixture()
def scratch(tmp_path, monkeypatch):
    """The temporary folder the app's session writes in, watched by the test (the machine's /tmp is shared)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_an_app_session_leaves_no_copy_of_a_plan(county, scratch):
    at = new_app(DEPARTMENT)  # a department: its page, its download, one result entered
    entry = tab(at, "结果登记")
    next(w for w in entry.selectbox if w.key.startswith("entry_result_")).set_value("未发现问题")
    no_exception(entry.button(key="entry_save").click().run())
    assert county.plan(1).version == 2
    at = coordinator_with_plan()  # the coordinator: every tab drawn, every export made, a 公示 recorded
    no_exception(tab(at, "导出").button(key="record_publication").click().run())
    assert county.plan(1).version == 3
    assert sorted(p.name for p in scratch.iterdir()) == []


def test_an_export_that_fails_leaves_no_copy(county, scratch, monkeypatch):
    def half_then_fail(context, out):
        (out / "半个.csv").write_text("机密", encoding="utf-8")
        raise RuntimeError("磁盘已满")

    monkeypatch.setitem(export.WRITERS, "ics", (half_then_fail,))
    at = coordinator_with_plan()
    no_exception(tab(at, "导出").button(key="prepare_exports").click().run())  # exports are made when asked for
    assert any("磁盘已满" in e.value for e in tab(at, "导出").error)
    assert sorted(p.name for p in scratch.iterdir()) == []
