"""A printable HTML page in the style of the exports: Chinese fonts, bordered tables, A4 print."""
from __future__ import annotations

import html

STYLE = """body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 2em auto; max-width: 60em; line-height: 1.5; color: #222; }
h1 { font-size: 1.5em; text-align: center; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #888; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #eef3fa; }
.code { font-family: monospace; white-space: nowrap; }
@media print { body { margin: 0; max-width: none; } thead { display: table-header-group; }
               tr { page-break-inside: avoid; } }"""


def html_page(title: str, body: str) -> str:
    """A whole page; `body` is HTML already escaped."""
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
            f"<style>\n{STYLE}\n</style>\n</head>\n<body>\n<h1>{html.escape(title)}</h1>\n{body}</body>\n</html>\n")


def html_table(headers: list[str], rows: list[list[str]], code_columns: tuple[int, ...] = ()) -> str:
    """A table of text cells, escaped; `code_columns` (indexes) in a monospace font, unbroken."""
    def cell(n: int, value: str) -> str:
        return f"<td class=code>{html.escape(value)}</td>" if n in code_columns else f"<td>{html.escape(value)}</td>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(cell(n, v) for n, v in enumerate(row)) + "</tr>\n" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"


def html_paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>\n"
