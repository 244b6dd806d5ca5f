"""统一社会信用代码 (GB 32100-2015): length, character set, check character."""
from __future__ import annotations

import pytest

from models.credit_code import ALPHABET, check_character, credit_code_problem

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
