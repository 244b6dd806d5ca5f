"""检查码: one visit's leaf of the plan's Merkle tree, and the code a business verifies it with (docs/commitment.md).

A visit's leaf commits to its own fields only — business, week, the day (through a salted date commitment, so a
notice may show only the week), departments, items and officers with their 执法证号 — salted per visit with a
secret of the plan, so that a leaf (or a neighbour's hash on a code's path) reveals nothing of its visit.

The code, `JCM1-` and base32 (RFC 4648, no padding, QR alphanumeric mode) of:

    form (1 byte: 1 with the day, 0 week only) ‖ leaf index (4 bytes) ‖ leaves (4 bytes) ‖ root (32) ‖ salt (16)
    ‖ date salt (16) and the day (10, ASCII)  — or, week only, the date commitment (32)
    ‖ path length (1) ‖ path (32 each) ‖ the fields' text (UTF-8)
"""
from __future__ import annotations

import base64
import binascii
import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from models.dataset import Dataset
from planner.plan import commitment
from planner.plan.model import Visit

PREFIX = "JCM1-"
WITH_DAY, WEEK_ONLY = 1, 0
# the fields' keys, in the one order they are written; the list keys repeat, one line each
KEYS = ("visit_id", "week", "credit_code", "business", "lead", "joining", "item", "officer", "kind")
LIST_KEYS = ("joining", "item", "officer")
_ESCAPES = (("\\", "\\\\"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))


def escape(value: str) -> str:
    for raw, written in _ESCAPES:
        value = value.replace(raw, written)
    return value


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            ch = {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}.get(nxt)
            if ch is None:
                raise ValueError("bad escape")
        out.append(ch)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class VisitFields:
    """What one visit's leaf commits to, by name (as a business reads them), not by the dataset's ids."""
    visit_id: str
    day: date
    credit_code: str
    business: str
    lead: str  # lead department's name
    joining: tuple[str, ...]  # the other departments' names
    items: tuple[tuple[str, str], ...]  # (department, item); written with the department's number (0 the lead)
    officers: tuple[tuple[str, str, str], ...]  # (department, name, 执法证号 or ""), the department by number
    kind: str

    @property
    def week(self) -> date:
        """Monday of the visit's week."""
        return self.day - timedelta(days=self.day.weekday())

    def text(self) -> str:
        """The canonical fields: one "key=value" line each (values escaped), in KEYS order."""
        number = {d: str(n) for n, d in reversed(list(enumerate((self.lead, *self.joining))))}
        lines = [("visit_id", self.visit_id), ("week", self.week.isoformat()), ("credit_code", self.credit_code),
                 ("business", escape(self.business)), ("lead", escape(self.lead)),
                 *(("joining", escape(d)) for d in self.joining),
                 *(("item", f"{number[dept]}\t{escape(name)}") for dept, name in self.items),
                 *(("officer", f"{number[dept]}\t{escape(name)}\t{escape(badge)}") for dept, name, badge in self.officers),
                 ("kind", self.kind)]
        return "".join(f"{key}={value}\n" for key, value in lines)


def visit_fields(visit: Visit, dataset: Dataset) -> VisitFields:
    def dept(dept_id: str) -> str:
        record = dataset.department.get(dept_id)
        return record.name if record else dept_id

    def item(item_id: str) -> tuple[str, str]:
        record = dataset.item.get(item_id)
        return (dept(record.dept_id), record.name) if record else ("", item_id)

    def officer(inspector_id: str) -> tuple[str, str, str]:
        person = dataset.inspector.get(inspector_id)
        return (dept(person.dept_id), person.name, person.badge_no) if person else ("", inspector_id, "")

    items, officers = tuple(item(i) for i in visit.item_ids), tuple(officer(p) for p in visit.inspector_ids)
    joining = [dept(d) for d in visit.dept_ids if d != visit.lead_dept_id]
    lead = dept(visit.lead_dept_id)
    # every item's and officer's department is one of the visit's; one that is not is listed with them
    joining += [d for d in dict.fromkeys(d for d, *_ in (*items, *officers)) if d != lead and d not in joining]
    return VisitFields(visit.visit_id, visit.date, visit.credit_code, visit.business_name, lead, tuple(joining),
                       items, officers, visit.kind)


def date_commitment(date_salt: str, day: date) -> str:
    return commitment.sha256_hex(f"{date_salt}\n{day.isoformat()}".encode())


def leaf_of(fields_text: str, date_sha256: str, salt: str) -> str:
    return commitment.leaf_hash(f"visit\n{fields_text}date_sha256={date_sha256}\nsalt={salt}\n".encode())


def visit_leaf(fields: VisitFields, salt_key: str) -> str:
    salt, date_salt = (commitment.salt_of(salt_key, label, fields.visit_id) for label in ("salt", "date"))
    return leaf_of(fields.text(), date_commitment(date_salt, fields.day), salt)


def visit_leaves(visits: list[Visit], dataset: Dataset, salt_key: str) -> dict[str, str]:
    """visit id -> its leaf hash."""
    return {v.visit_id: visit_leaf(visit_fields(v, dataset), salt_key) for v in visits}


# --- the code ------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Code:
    fields_text: str
    salt: str
    index: int
    size: int
    path: tuple[str, ...]
    root: str  # the commitment it was issued under
    day: date | None  # None: the code proves the week only
    date_salt: str = ""
    date_sha256: str = ""

    @property
    def leaf(self) -> str:
        sealed = date_commitment(self.date_salt, self.day) if self.day else self.date_sha256
        return leaf_of(self.fields_text, sealed, self.salt)

    def computed_root(self) -> str | None:
        return commitment.root_from_path(self.leaf, self.index, self.size, list(self.path))

    def fields(self) -> list[tuple[str, tuple[str, ...]]]:
        """(key, its parts) in order: one part, or (department, item) and (department, name, 执法证号)."""
        return [(key, tuple(unescape(part) for part in value.split("\t")))
                for key, _, value in (line.partition("=") for line in self.fields_text.splitlines())]

    def field(self, key: str) -> str:
        return next((parts[0] for k, parts in self.fields() if k == key), "")

    def text(self) -> str:
        """The code as printed and put in the QR code."""
        body = bytes([WITH_DAY if self.day else WEEK_ONLY]) + struct.pack(">II", self.index, self.size)
        body += bytes.fromhex(self.root) + bytes.fromhex(self.salt)
        body += bytes.fromhex(self.date_salt) + self.day.isoformat().encode() if self.day else \
            bytes.fromhex(self.date_sha256)
        body += bytes([len(self.path)]) + b"".join(bytes.fromhex(p) for p in self.path)
        body += self.fields_text.encode("utf-8")
        return PREFIX + base64.b32encode(body).decode().rstrip("=")


KIND_WORDS = {"routine": "双随机抽查", "urgent": "临时增加的检查", "recheck": "整改复查"}


def shown_fields(code: Code) -> list[tuple[str, str]]:
    """(label, value) as a business reads them: the day (or the week), then the code's fields in order."""
    week = code.field("week")
    rows = [("检查日期", code.day.isoformat() if code.day else f"{week} 起的一周（具体日期另行通知）")]
    labels = {"visit_id": "检查编号", "credit_code": "统一社会信用代码", "business": "被检查单位", "lead": "牵头部门",
              "joining": "配合部门", "item": "检查事项", "officer": "检查人员", "kind": "检查类型"}
    departments = [parts[0] for key, parts in code.fields() if key in ("lead", "joining")]

    def dept(number: str) -> str:
        return departments[int(number)] if number.isdigit() and int(number) < len(departments) else number

    for key, parts in code.fields():
        if key == "item":
            value = f"{dept(parts[0])}：{parts[-1]}"
        elif key == "officer":
            number, name, badge = (*parts, "", "")[:3]
            value = f"{name}（{dept(number)}，{'执法证号 ' + badge if badge else '未登记执法证号'}）"
        elif key == "kind":
            value = KIND_WORDS.get(parts[0], parts[0])
        else:
            value = parts[0]
        if key in labels:
            rows.append((labels[key], value))
    return rows


def issue(fields: VisitFields, salt_key: str, index: int, size: int, path: list[str], root: str,
          with_day: bool) -> Code:
    salt, date_salt = (commitment.salt_of(salt_key, label, fields.visit_id) for label in ("salt", "date"))
    if with_day:
        return Code(fields.text(), salt, index, size, tuple(path), root, fields.day, date_salt)
    return Code(fields.text(), salt, index, size, tuple(path), root, None,
                date_sha256=date_commitment(date_salt, fields.day))


def issue_all(fields: list[VisitFields], salt_key: str, state_leaf: str,
              with_day: Callable[[date], bool]) -> dict[str, Code]:
    """visit id -> its code, in the tree of these visits' leaves and `state_leaf`."""
    leaves = {f.visit_id: visit_leaf(f, salt_key) for f in fields}
    order = commitment.ordered_leaves(leaves.values(), state_leaf)
    root, paths = commitment.tree_root(order), commitment.all_paths(order)
    position = {leaf: n for n, leaf in enumerate(order)}
    return {f.visit_id: issue(f, salt_key, position[leaves[f.visit_id]], len(order), paths[position[leaves[f.visit_id]]],
                              root, with_day(f.day)) for f in fields}


class BadCode(ValueError):
    """Text that is not a 检查码 of this format (a message in 简体中文)."""


def parse_code(text: str) -> Code:
    cleaned = "".join(text.split()).upper().removeprefix("检查码：").removeprefix("检查码:")
    if not cleaned.startswith(PREFIX):
        raise BadCode(f"检查码应以 {PREFIX} 开头")
    payload = cleaned[len(PREFIX):]
    try:
        body = base64.b32decode(payload + "=" * (-len(payload) % 8))
    except (binascii.Error, ValueError):
        raise BadCode("检查码中有不属于检查码的字符，或缺了一部分（请完整复制）") from None
    if base64.b32encode(body).decode().rstrip("=") != payload:  # one text per code: no stray trailing bits
        raise BadCode("检查码的最后几位不对（请完整复制，或重新扫描）")
    try:
        return _decode(body)
    except (IndexError, struct.error, ValueError):
        raise BadCode("检查码不完整或已损坏（请完整复制，或重新扫描）") from None


def _decode(body: bytes) -> Code:
    form, (index, size), at = body[0], struct.unpack(">II", body[1:9]), 9
    if form not in (WITH_DAY, WEEK_ONLY):
        raise ValueError("form")

    def take(n: int) -> bytes:
        nonlocal at
        if at + n > len(body):
            raise ValueError("short")
        part, at = body[at:at + n], at + n
        return part

    root, salt = take(32).hex(), take(16).hex()
    if form == WITH_DAY:
        date_salt, day, sealed = take(16).hex(), date.fromisoformat(take(10).decode("ascii")), ""
    else:
        date_salt, day, sealed = "", None, take(32).hex()
    path = tuple(take(32).hex() for _ in range(take(1)[0]))
    fields_text = body[at:].decode("utf-8")
    code = Code(fields_text, salt, index, size, path, root, day, date_salt, sealed)
    keys = [key for key, _ in code.fields()]
    if not fields_text.endswith("\n") or [k for k in KEYS if k in keys] != list(dict.fromkeys(keys)) \
            or any(keys.count(k) > 1 for k in KEYS if k not in LIST_KEYS) or set(keys) - set(KEYS):
        raise ValueError("fields")
    if day is not None and day - timedelta(days=day.weekday()) != date.fromisoformat(code.field("week")):
        raise ValueError("week")
    return code

