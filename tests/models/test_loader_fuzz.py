"""Property: whatever a department sends, the loader loads it or explains it (DatasetError / UserError with a
message) — never another exception. Random mutations of the small valid dataset, deterministic (derandomize)."""
from __future__ import annotations

import io
import zipfile
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.loading import load_upload
from models.problems import DatasetError, UserError
from tests.builders import dataset_tables, write_workbook

FUZZ = settings(derandomize=True, max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SETTINGS_TOML = 'period = "2026Q4"\nseed = "fuzz"\n'
TRICKY = ['"', '""', ",", "\n", "\r", "\t", ";", "；", "\x00", "\ufeff", "　", "9.13308E+17", "1e400", "nan", "-0",
          "2026/10/9", "2026-02-30", "是", "TRUE", "%", "150%", "Z9", "P01;P01", "=SUM(A1)", "#N/A", "\\", "'"]
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp437"]
TOML_LINES = ["period = 5", "period = [1, 2]", 'start = 2026-10-01', "end = 1979-05-27T07:32:00Z", "[table]",
              "yearly_cap = inf", "time_limit_s = nan", 'shortlist = "all"', "seed = {a = 1}", 'cross_zone = ""',
              "period = ", '"""', "same_zone_first = 2", "min_certified = 1e9", "yearly_cap = -0"]

texts = st.one_of(st.text(max_size=12), st.sampled_from(TRICKY), st.integers().map(str),
                  st.floats(allow_nan=True, allow_infinity=True).map(repr), st.just(""))


def assert_loads_or_explains(name: str, data: bytes) -> None:
    try:
        load_upload(name, data)
    except DatasetError as error:
        assert error.problems and all(p.message and str(p) for p in error.problems)
    except UserError as error:
        assert str(error)


# --- table mutations -------------------------------------------------------------------------------

def mutate_tables(data, tables: dict[str, list[list[str]]]) -> None:
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        stem = data.draw(st.sampled_from(sorted(tables)), label="table")
        rows = tables[stem]
        kind = data.draw(st.sampled_from(["cell", "header", "drop_column", "duplicate_column", "drop_row",
                                          "duplicate_row", "empty", "title_row"]), label="kind")
        column = data.draw(st.integers(0, len(rows[0]) - 1)) if rows and rows[0] else 0
        row = data.draw(st.integers(0, len(rows) - 1)) if rows else 0
        if not rows:
            continue
        if kind == "cell" and column < len(rows[row]):
            rows[row][column] = data.draw(texts, label="value")
        elif kind == "header" and rows[0]:
            rows[0][column] = data.draw(st.one_of(texts, st.sampled_from(["所属片区", "是否免检", "信用代码", "行业"])))
        elif kind == "drop_column":
            for cells in rows:
                del cells[column:column + 1]
        elif kind == "duplicate_column":
            for cells in rows:
                cells.append(cells[column] if column < len(cells) else "")
        elif kind == "drop_row":
            del rows[row]
        elif kind == "duplicate_row":
            rows.insert(row, list(rows[row]))
        elif kind == "empty":
            del rows[1:]
        else:
            rows.insert(0, [data.draw(texts, label="title")])


def to_csv(data, rows: list[list[str]]) -> bytes:
    delimiter = data.draw(st.sampled_from([",", ",", "\t", ";"]), label="delimiter")
    text = "".join(delimiter.join(cells) + "\n" for cells in rows)  # unquoted on purpose: quotes stay stray
    if data.draw(st.booleans(), label="insert"):
        at = data.draw(st.integers(0, len(text)), label="at")
        text = text[:at] + data.draw(st.sampled_from(TRICKY + ['"' * 3, ",,,", "\n\n"]), label="inserted") + text[at:]
    encoding = data.draw(st.sampled_from(ENCODINGS), label="encoding")
    return text.encode(encoding, errors="replace")


def settings_toml(data) -> bytes:
    lines = SETTINGS_TOML.splitlines()
    if data.draw(st.booleans(), label="settings"):
        lines.insert(data.draw(st.integers(0, len(lines))), data.draw(st.one_of(st.sampled_from(TOML_LINES),
                                                                                 st.text(max_size=20))))
    return ("\n".join(lines) + "\n").encode("utf-8", errors="replace")


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def damage(data, blob: bytes) -> bytes:
    kind = data.draw(st.sampled_from(["none", "none", "truncate", "flip", "splice"]), label="damage")
    if kind == "none" or not blob:
        return blob
    at = data.draw(st.integers(0, len(blob) - 1), label="offset")
    if kind == "truncate":
        return blob[:at]
    if kind == "flip":
        return blob[:at] + bytes([blob[at] ^ data.draw(st.integers(1, 255))]) + blob[at + 1:]
    return blob[:at] + data.draw(st.binary(max_size=16)) + blob[at:]


@FUZZ
@given(st.data())
def test_mutated_csv_zip_loads_or_explains(data):
    tables = dataset_tables()
    mutate_tables(data, tables)
    entries = {f"county/{stem}.csv": to_csv(data, rows) for stem, rows in tables.items()}
    entries["county/settings.toml"] = settings_toml(data)
    if data.draw(st.booleans(), label="rename"):
        old = data.draw(st.sampled_from(sorted(entries)), label="entry")
        new = data.draw(st.one_of(st.sampled_from(["county\\towns.csv", "zones.csv", "a/b/items.csv", "x.xlsx",
                                                   "county/towns.xls", "settings.TOML"]), st.text(max_size=10)))
        entries[new.replace("\0", "") or "_"] = entries.pop(old)  # zipfile cuts a name at NUL
    if data.draw(st.booleans(), label="truncate_entry"):
        name = data.draw(st.sampled_from(sorted(entries)), label="truncated")
        entries[name] = entries[name][:data.draw(st.integers(0, len(entries[name])))]
    assert_loads_or_explains("county.zip", damage(data, zip_of(entries)))


@cache
def valid_workbook() -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        return write_workbook(Path(tmp) / "county.xlsx").read_bytes()


@settings(FUZZ, max_examples=60)
@given(st.data())
def test_damaged_workbook_loads_or_explains(data):
    blob = valid_workbook()
    if data.draw(st.booleans(), label="rewrite_entry"):
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            entries = {info.filename: archive.read(info) for info in archive.infolist()}
        name = data.draw(st.sampled_from(sorted(entries)), label="entry")
        entries[name] = damage(data, entries[name]) if data.draw(st.booleans()) else data.draw(st.binary(max_size=64))
        blob = zip_of(entries)
    else:
        blob = damage(data, blob)
    assert_loads_or_explains(data.draw(st.sampled_from(["county.xlsx", "county.zip"]), label="name"), blob)
