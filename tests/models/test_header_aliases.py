"""Header aliases: one table per concept (models.schema.HEADER_ALIASES), shared by every column that means it."""
from __future__ import annotations

import pytest

from models.loading.tables import header_aliases, match_header, normal_name
from models.schema import HEADER_ALIASES, TABLE, TABLES

# Every (table, column, alias) the loader accepted before aliases became concepts: each keeps working.
EARLIER = {
    "zones": {"zone_id": ["片区编号"], "name": ["片区名称"], "hub_town_id": ["中心镇", "中心镇编号"]},
    "towns": {"town_id": ["乡镇编号", "乡镇街道编号"], "name": ["乡镇名称", "乡镇街道名称"], "zone_id": ["所属片区"],
              "lat": ["纬度"], "lon": ["经度"]},
    "departments": {"dept_id": ["部门编号"], "name": ["部门名称"]},
    "categories": {"category_id": ["行业编号"], "name": ["行业名称"], "lead_dept_id": ["牵头部门"]},
    "items": {"item_id": ["事项编号"], "dept_id": ["实施部门"], "name": ["事项名称"], "category_ids": ["适用行业"],
              **{f"ratio_{r}": [f"{r}类抽查比例", f"抽查比例{r}", f"{r}类比例"] for r in "ABCD"},
              "minutes": ["现场检查时长", "检查时长"], "inspectors": ["检查人数"]},
    "businesses": {"credit_code": ["统一社会信用代码"], "name": ["名称", "企业名称"], "town_id": ["所属乡镇", "乡镇编号"],
                   "category_id": ["行业", "行业编号"], "risk_level": ["信用风险等级", "风险等级"],
                   "opened_on": ["成立日期"], "address": ["地址"], "exempt": ["免检", "白名单"]},
    "inspectors": {"inspector_id": ["人员编号"], "name": ["姓名"], "dept_id": ["所属部门"], "zone_id": ["所属片区"],
                   "certified": ["持执法证", "持证"], "day_minutes": ["每日现场时长"]},
    "unavailable": {"inspector_id": ["人员编号"], "start": ["开始日期"], "end": ["结束日期"], "reason": ["原因"]},
    "conflicts": {"inspector_id": ["人员编号"], "credit_code": ["统一社会信用代码"], "reason": ["回避原因", "原因"]},
    "history": {"credit_code": ["统一社会信用代码"], "dept_id": ["部门编号", "实施部门"], "date": ["检查日期", "日期"],
                "inspector_ids": ["检查人员", "人员编号"]},
    "calendar": {"date": ["日期"], "workday": ["是否工作日", "工作日"]},
}


@pytest.mark.parametrize("stem", sorted(EARLIER))
def test_every_earlier_alias_still_names_its_column(stem):
    aliases = header_aliases(TABLE[stem])
    for column, names in EARLIER[stem].items():
        for name in (column, *names):
            assert match_header(aliases, name) == column, (stem, name)


def test_the_chinese_header_we_write_is_unchanged():
    """tests.builders, the exports and the docs write aliases[0]: it stays the earlier first alias."""
    for stem, columns in EARLIER.items():
        for column, names in columns.items():
            assert TABLE[stem].column(column).aliases[0] == names[0], (stem, column)


@pytest.mark.parametrize("spec", TABLES, ids=lambda t: t.stem)
def test_no_header_means_two_columns_of_one_table(spec):
    seen: dict[str, str] = {}
    for column in spec.columns:
        for alias in {normal_name(a) for a in (column.name, *column.aliases)}:
            assert seen.setdefault(alias, column.name) == column.name, (spec.stem, alias, column.name, seen[alias])


def test_columns_that_share_a_concept_accept_the_same_headers():
    for spec in TABLES:
        for column in spec.columns:
            assert set(HEADER_ALIASES[column.concept]) <= set(column.aliases), (spec.stem, column.name)
    zone_columns = [(t.stem, c.name) for t in TABLES for c in t.columns if c.concept == "zone"]
    assert zone_columns == [("zones", "zone_id"), ("towns", "zone_id"), ("inspectors", "zone_id")]


@pytest.mark.parametrize("header, column", [
    ("所属片区", "zone_id"), ("片区编号(zone_id)", "zone_id"), ("zone_id（所属片区）", "zone_id"),
    ("Zone ID", "zone_id"), ("ｚｏｎｅ＿ｉｄ", "zone_id"), ("*片区编号", "zone_id"), ("片区编号（必填）", "zone_id"),
    ("片区\n编号", "zone_id"), ("\ufeff片区编号", "zone_id"), ("名称", None),
])
def test_header_spelling_variants(header, column):
    assert match_header(header_aliases(TABLE["towns"]), header) == column
