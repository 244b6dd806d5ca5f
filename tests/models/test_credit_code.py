"""统一社会信用代码 (GB 32100-2015): length, character set, the six-digit region part, check character — as
python-stdnum's cn.uscc judges them."""
from __future__ import annotations

import doctest
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc

from models import schema
from models.credit_code import ALPHABET, check_character, credit_code_problem, normalise_credit_code
from models.schema import BadValue

KNOWN_VALID = "91350100M000100Y43"


def test_known_valid_code():
    assert credit_code_problem(KNOWN_VALID) is None
    assert check_character(KNOWN_VALID[:17]) == "3"


@pytest.mark.parametrize("code", [KNOWN_VALID[:17], KNOWN_VALID + "0", ""])
def test_wrong_length(code):
    assert f"长度为 {len(code)}" in credit_code_problem(code)


@pytest.mark.parametrize("letter", "IOSVZ")
def test_forbidden_letters(letter):
    code = KNOWN_VALID[:8] + letter + KNOWN_VALID[9:]
    assert letter not in ALPHABET
    assert f"不允许的字符 {letter}" in credit_code_problem(code)


def test_lowercase_is_not_accepted():
    assert "不允许的字符" in credit_code_problem(KNOWN_VALID.lower())


@pytest.mark.parametrize("wrong", sorted(set("0123456789AY") - {"3"}))
def test_wrong_check_character(wrong):
    assert credit_code_problem(KNOWN_VALID[:17] + wrong) == "校验位错误：第 18 位应为 3"


def test_check_character_of_a_generated_code_round_trips():
    first17 = "91330822MA2000123"
    assert credit_code_problem(first17 + check_character(first17)) is None


# --- agreement with GB 32100 as python-stdnum's cn.uscc implements it ---------------------------------------

def stdnum_examples() -> list[tuple[str, bool]]:
    """(code as written, valid?) from stdnum.cn.uscc's own documented examples."""
    examples = doctest.DocTestParser().get_examples(uscc.__doc__)
    out = []
    for example in examples:
        call = re.fullmatch(r"(validate|format)\('([^']*)'\)\n", example.source)
        if call:
            out.append((call.group(2), "Traceback" not in example.want))
    return out


def test_stdnums_own_examples_are_judged_alike():
    examples = stdnum_examples()
    assert len(examples) >= 4 and any(valid for _, valid in examples) and not all(valid for _, valid in examples)
    for written, valid in examples:
        assert (credit_code_problem(normalise_credit_code(written)) is None) == valid == uscc.is_valid(written), written


@pytest.mark.parametrize("written, valid", [
    ("91110000600037341L", True), ("91 110000 600037341L", True), ("9 1 110000 600037341L", True),
    ("91-110000-600037341L", True), ("12345", False), ("9111000060003IOZSV", False), ("91110000600037341N", False),
    ("913301821951706E81", True),  # an E between digits, valid: never taken for Excel's scientific notation
])
def test_corner_cases_as_stdnum_judges_them(written, valid):
    assert uscc.is_valid(written) == valid
    assert (credit_code_problem(normalise_credit_code(written)) is None) == valid


CHARACTERS = st.sampled_from(ALPHABET)


@given(st.text(st.sampled_from("0123456789"), min_size=2, max_size=2), st.text(CHARACTERS, min_size=6, max_size=6),
       st.text(CHARACTERS, min_size=9, max_size=9))
@settings(max_examples=300, derandomize=True)
def test_codes_with_any_region_part_are_judged_as_stdnum_does(head, region, body):
    """Before, a letter in the six-digit 行政区划码 (positions 3–8) passed: stdnum refused 19,978 of 20,000."""
    first17 = head + region + body
    code = first17 + check_character(first17)
    assert (credit_code_problem(code) is None) == uscc.is_valid(code)


def test_a_region_code_with_a_letter_is_named():
    first17 = "9133A822MA2000123"
    assert "第 3–8 位（登记管理机关行政区划码）应为 6 位数字" in credit_code_problem(first17 + check_character(first17))


def test_a_valid_code_with_an_e_loads_and_excels_scientific_notation_is_still_named():
    assert schema.credit_code("913301821951706E81") == "913301821951706E81"
    assert schema.credit_code("91 3301 8219 5170 6E81") == "913301821951706E81"
    for mangled in ("9.13308E+17", "9.13308E17", "913308E+12", "９．１３３０８Ｅ＋１７"):
        with pytest.raises(BadValue, match="科学计数法"):
            schema.credit_code(mangled)
