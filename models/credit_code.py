"""统一社会信用代码 (GB 32100-2015): character set, check character, and how a typed code is normalised.

The code: 1 登记管理部门 and 2 机构类别 (digits, or A, N, Y …), 3–8 登记管理机关行政区划码 (six digits), 9–17 主体标识码
(组织机构代码: digits and letters), 18 the check character; letters from ALPHABET (no I, O, S, V, Z). This agrees with
python-stdnum's `cn.uscc` (tests/models/test_credit_code.py runs its examples), except that stdnum also wants
digits in positions 1–2, where GB 32100 has letters for a few registering authorities.
"""
from __future__ import annotations

import re
import unicodedata
from operator import mul

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, …, 28
_ALLOWED = frozenset(ALPHABET)
_SEPARATORS = re.compile(r"[\s-]+")
REGION = slice(2, 8)  # positions 3–8: the 行政区划码, six digits


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (which must be over ALPHABET)."""
    total = sum(map(mul, map(VALUE.__getitem__, first17), WEIGHTS))  # map, not a generator: 100,000s of codes
    return ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(text: str) -> str:
    """The code as GB 32100 writes it: full-width (全角) characters, lowercase letters and spaces or hyphens
    between its parts (91 330822 MA2000123X) are how a Chinese input method, a licence or a careless copy gives
    the same code, so they are folded (NFKC, upper case, separators dropped as stdnum does), not refused."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()


def credit_code_problem(code: str) -> str | None:
    """None when `code` is a valid 统一社会信用代码, else what is wrong with it (简体中文)."""
    if len(code) != 18:
        return f"长度为 {len(code)}，应为 18 位"
    if not _ALLOWED.issuperset(code):
        bad = sorted(set(code) - _ALLOWED)
        return f"含有不允许的字符 {''.join(bad)}（只允许数字和除 I、O、S、V、Z 外的大写字母）"
    if not code[REGION].isdigit():
        return f"第 3–8 位（登记管理机关行政区划码）应为 6 位数字，实际是 {code[REGION]}"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"校验位错误：第 18 位应为 {expected}"
    return None
