"""`plan` on the command line: flags go through the settings' parsers, errors are messages."""
from __future__ import annotations

import json

from planner.cli import main


def test_time_limit_flag_is_checked_like_the_setting(tmp_path, capsys):
    for bad in ("nan", "-1", "abc"):
        assert main(["plan", "fixtures/tiny", "--out", str(tmp_path / "p"), "--time-limit", bad]) == 1
        err = capsys.readouterr().err
        assert "--time-limit" in err and "秒数" in err and "Traceback" not in err
    assert not (tmp_path / "p").exists()


def test_plan_then_replan_with_a_change_records_it(tmp_path, capsys):
    first, second = tmp_path / "one", tmp_path / "two"
    assert main(["plan", "fixtures/tiny", "--out", str(first), "--quiet", "--time-limit", "5"]) == 0
    record = json.loads((first / "record.json").read_text(encoding="utf-8"))
    assert record["solver"]["levels"]
    assert main(["plan", "fixtures/tiny", "--previous", str(first), "--out", str(second), "--quiet",
                 "--change", "set:shortlist=2"]) == 0
    again = json.loads((second / "record.json").read_text(encoding="utf-8"))
    assert again["changes"] == ["set:shortlist=2"] and again["seed"] == record["seed"]
    assert main(["plan", "fixtures/tiny", "--previous", str(first), "--out", str(tmp_path / "x"), "--quiet",
                 "--change", "set:shortlist=-2"]) == 1
    assert "shortlist=-2" in capsys.readouterr().err
