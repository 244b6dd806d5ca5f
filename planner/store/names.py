"""Account names: the characters a name may hold, the one form two names are compared in, and look-alikes.

A name is kept as typed after NFKC (full-width ＡＤＭＩＮ becomes ADMIN), and compared case-folded (`key`:
ADMIN and admin are one account). A name may hold Chinese characters (汉字), Latin letters, digits and a few
joining marks — no other script, so a Cyrillic а can never pass for a Latin a — and a new name whose `skeleton`
(the key with the characters that read alike in a login box folded together: 0/o, 1/l/i) equals an existing
account's is refused as a look-alike.
"""
from __future__ import annotations

import unicodedata

from models.problems import UserError

MAX_NAME_LENGTH = 64
JOINERS = "_-.@·()"  # besides letters and digits; "·" joins the parts of a minority name (阿不都·热合曼)
LOOK_ALIKE = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l"})


def canonical(name: str) -> str:
    """The name as kept: NFKC, no surrounding space."""
    return unicodedata.normalize("NFKC", name).strip()


def key(name: str) -> str:
    """The form names are unique in: canonical and case-folded."""
    return canonical(name).casefold()


def skeleton(name: str) -> str:
    """The key with characters that read alike folded together: equal skeletons are look-alikes."""
    return key(name).translate(LOOK_ALIKE)


def check_name(name: str) -> str:
    """The canonical name, or a UserError saying what is wrong with it."""
    name = canonical(name)
    if not name:
        raise UserError("用户名不能为空")
    if len(name) > MAX_NAME_LENGTH:
        raise UserError(f"用户名太长：最多 {MAX_NAME_LENGTH} 个字符")
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in name):
        shown = "".join(ch if ch.isprintable() and not ch.isspace() else repr(ch)[1:-1] for ch in name)
        raise UserError(f"用户名「{shown}」中有空格或控制字符；请只用汉字、字母、数字和 {JOINERS}")
    others = sorted({ch for ch in name if not _allowed(ch)})
    if others:
        shown = "、".join(f"「{ch}」（{unicodedata.name(ch, hex(ord(ch)))}）" for ch in others)
        raise UserError(f"用户名「{name}」中有 {shown}：用户名只能用汉字、拉丁字母、数字和 {JOINERS}，"
                        "以免与其他账号看起来一样")
    return name


def _allowed(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum() or ch in JOINERS
    return ch in JOINERS or unicodedata.name(ch, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))
