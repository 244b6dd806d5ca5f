"""The per-visit documents (visit_documents.py) as files: one HTML and one PDF per visit and document, and one PDF
of each kind for printing (检查通知书/全部检查通知书.pdf, 现场检查记录（一表通查）/全部现场检查记录.pdf).

The PDFs use fast_pdf: the font is subset once for the whole export and each file embeds only its own glyphs.
"""
from __future__ import annotations

import html
from pathlib import Path

from planner.export.context import ExportContext
from planner.export.fast_pdf import MARGIN, PAGE_W, Glyphs, Layout, pdf_bytes
from planner.export.formatting import write_files
from planner.export.html_page import STYLE
from planner.export.visit_documents import (
    ALL_CHECKLISTS,
    ALL_NOTICES,
    CHECKLIST_FOLDER,
    NOTICE_FOLDER,
    CodeBlock,
    Document,
    Grid,
    Heading,
    Para,
    Title,
    visit_documents,
)

EXTRA_STYLE = """@page { size: A4; margin: 18mm; }
.right { text-align: right; } .small { font-size: 0.85em; color: #444; }
.code { font-family: monospace; font-size: 0.75em; word-break: break-all; white-space: normal; }
.qr { width: 45mm; height: 45mm; display: block; margin: 0.5em 0; }
td { white-space: pre-line; }"""
QR_MM = 42.0


def write_visit_documents(context: ExportContext, out: Path) -> list[Path]:
    documents = visit_documents(context)
    if not documents:
        return []
    written = []
    for folder, docs in ((NOTICE_FOLDER, [n for n, _ in documents]), (CHECKLIST_FOLDER, [c for _, c in documents])):
        written += write_files(out / folder, [(f"{d.file_stem}.html", document_html(d).encode("utf-8")) for d in docs])
    glyphs = Glyphs.of("".join(document_text(d) for pair in documents for d in pair) + "第页共，0123456789")
    stamp = context.timestamp
    for folder, docs, everything in ((NOTICE_FOLDER, [n for n, _ in documents], ALL_NOTICES),
                                     (CHECKLIST_FOLDER, [c for _, c in documents], ALL_CHECKLISTS)):
        layouts = [document_layout(glyphs, d) for d in docs]
        files = [(f"{d.file_stem}.pdf", pdf_bytes([layout], d.title, stamp)) for d, layout in zip(docs, layouts)]
        files.append((everything, pdf_bytes(layouts, docs[0].title, stamp)))
        written += write_files(out / folder, files)
    return written


def document_text(document: Document) -> str:
    """Every character a document shows (the font subset must hold them all)."""
    parts = [document.title]
    for block in document.blocks:
        if isinstance(block, Grid):
            parts += block.headers + [cell for row in block.rows for cell in row] + list(block.groups.values())
        elif isinstance(block, CodeBlock):
            parts.append(block.text)
        else:
            parts.append(block.text)
    return "".join(parts)


# --- HTML -----------------------------------------------------------------------------------------------------

def document_html(document: Document) -> str:
    e = html.escape
    body = []
    for block in document.blocks:
        if isinstance(block, Title):
            body.append(f"<h1>{e(block.text)}</h1>")
        elif isinstance(block, Heading):
            body.append(f"<h2>{e(block.text)}</h2>")
        elif isinstance(block, Para):
            classes = " ".join(c for c in ("right" if block.align == "right" else "", "small" if block.small else "") if c)
            body.append(f"<p class=\"{classes}\">{e(block.text)}</p>" if classes else f"<p>{e(block.text)}</p>")
        elif isinstance(block, Grid):
            body.append(_grid_html(block))
        elif isinstance(block, CodeBlock):
            body.append(qr_svg(block) + f"<p class=\"code\">检查码：{e(block.text)}</p>")
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{e(document.title)}</title>\n'
            f"<style>\n{STYLE}\n{EXTRA_STYLE}\n</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def _grid_html(grid: Grid) -> str:
    e = html.escape
    head = "<thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in grid.headers) + "</tr></thead>" if grid.headers else ""
    rows = []
    for n, row in enumerate(grid.rows):
        if n in grid.groups:
            rows.append(f"<tr><th colspan=\"{len(row)}\">{e(grid.groups[n])}</th></tr>")
        rows.append("<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>")
    return f"<table>{head}<tbody>\n" + "\n".join(rows) + "\n</tbody></table>"


def qr_svg(block: CodeBlock) -> str:
    """The QR code as inline SVG, one path of dark runs, a quiet zone of four modules."""
    side = block.size + 8
    path = "".join(f"M{c + 4} {r + 4}h{n}v1h-{n}z" for r, c, n in block.runs)
    return (f'<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" role="img" '
            f'aria-label="检查码二维码"><rect width="{side}" height="{side}" fill="#fff"/>'
            f'<path fill="#000" d="{path}"/></svg>')


# --- PDF ------------------------------------------------------------------------------------------------------

def document_layout(glyphs: Glyphs, document: Document) -> Layout:
    layout = Layout(glyphs)
    for block in document.blocks:
        if isinstance(block, Title):
            layout.paragraph(block.text, 17, bold=True, align="center", after=4)
        elif isinstance(block, Heading):
            layout.room(40)  # a heading never ends a page
            layout.paragraph(block.text, 11, bold=True, after=1)
        elif isinstance(block, Para):
            layout.paragraph(block.text, 8.5 if block.small else 10, align=block.align, gray=0.25 if block.small else 0,
                             after=1.5)
        elif isinstance(block, Grid):
            layout.table(block.widths, block.rows, block.headers or None, size=9, groups=block.groups)
        elif isinstance(block, CodeBlock):  # the QR code, and the code's text in a column beside it
            side = QR_MM / 25.4 * 72
            layout.room(side + 4)
            module = side / (block.size + 8)
            layout.modules(block.runs, MARGIN + 4 * module, layout.y - 4 * module, module)
            x = MARGIN + side + 6
            bottom = layout.column("检查码：" + block.text, x, PAGE_W - MARGIN - x, layout.y - 4 * module, 6.2, gray=0.1)
            layout.space(max(side, layout.y - bottom) + 4)
    return layout.finish()
