"""File names built from names (#27): safe on every file system and short enough, whatever the name."""
from __future__ import annotations

from planner.export.formatting import MAX_FILE_NAME_BYTES, safe_file_name


def test_a_long_name_gives_a_short_distinct_file_name():
    one, two = safe_file_name("SJ001_" + "许" * 90 + "甲"), safe_file_name("SJ001_" + "许" * 90 + "乙")
    assert len(one.encode()) <= MAX_FILE_NAME_BYTES and one != two and one.startswith("SJ001_许")


def test_direction_and_control_characters_never_reach_a_file_name():
    name = safe_file_name("SJ003_许\u202egnp.exe\u200b\n")
    assert name == "SJ003_许gnp.exe_" and all(ch.isprintable() for ch in name)


def test_short_names_are_unchanged():
    assert safe_file_name("2026-10-09_常山县天马街道老华土菜馆_V1") == "2026-10-09_常山县天马街道老华土菜馆_V1"


def test_an_export_with_the_longest_names_the_loader_accepts_writes_every_file(tiny, tiny_plan_dir, tmp_path):
    from dataclasses import replace

    from models.schema import NAME_CHARS
    from planner.export import export_plan
    from planner.plan.folder import read_plan

    long = replace(tiny, inspectors=[replace(p, name=p.name + "某" * (NAME_CHARS - len(p.name))) for p in tiny.inspectors],
                   businesses=[replace(b, name=b.name + "号" * (NAME_CHARS - len(b.name))) for b in tiny.businesses])
    files = export_plan(tiny_plan_dir, long, tmp_path / "out", {"ics", "visit"})
    people = {a.inspector_id for a in read_plan(tiny_plan_dir).assignments}
    assert files and all(len(part.encode()) <= 255 for f in files for part in f.parts)
    assert len([f for f in files if f.suffix == ".ics"]) == len(people)
