"""The 公示 notice as a printable PDF (fpdf2), embedding a subset of Debian's Noto Sans CJK font.

fpdf2 reads the OpenType collection (.ttc) of fonts-noto-cjk directly (face chosen by its family name), so
the project's set-up needs no other font package.
"""
from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTCollection, TTLibError
from fpdf import FPDF, FontFace
from fpdf.enums import WrapMode

from models.problems import UserError
from planner.export.context import ExportContext
from planner.export.formatting import write_files
from planner.export.notice import (
    FOLDER,
    PDF_NAME,
    drawn_businesses,
    item_counts,
    notice_title,
    summary_line,
    verification_lines,
)

FONT_FAMILY = "Noto Sans CJK SC"  # the simplified-Chinese face of the collection
FONT_FILES = {"": "NotoSansCJK-Regular.ttc", "B": "NotoSansCJK-Bold.ttc"}
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts", "/usr/local/share/fonts")
FONT_MISSING = ("生成公示 PDF 需要中文字体 {file}（Debian 软件包 fonts-noto-cjk），但在 {dirs} 中没有找到。"
                "请运行 bash scripts/setup.sh，或以 root 执行 apt-get install fonts-noto-cjk；"
                "也可以用 --format xlsx,ics,notice 先导出其他文件。")


def find_font_file(file_name: str) -> Path | None:
    """The first copy of `file_name` under the usual font folders (Debian's path first)."""
    for folder in map(Path, FONT_DIRS):
        direct = folder / file_name
        if direct.is_file():
            return direct
        found = sorted(folder.rglob(file_name)) if folder.is_dir() else []
        if found:
            return found[0]
    return None


def collection_index(path: Path, family: str) -> int:
    """Index of the face named `family` in an OpenType collection."""
    try:
        faces = TTCollection(str(path), lazy=True).fonts
    except (TTLibError, OSError) as error:
        raise UserError(f"字体文件 {path} 无法读取（{error}），请重新安装 fonts-noto-cjk") from None
    for index, face in enumerate(faces):
        if face["name"].getDebugName(1) == family:
            return index
    raise UserError(f"字体文件 {path} 中没有「{family}」字形，请重新安装 fonts-noto-cjk")


class NoticePDF(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.cell(0, 6, f"第 {self.page_no()} 页，共 {{nb}} 页", align="C")


def write_notice_pdf(context: ExportContext, out: Path) -> list[Path]:
    return write_files(out / FOLDER, [(PDF_NAME, bytes(notice_pdf(context).output()))])


def new_pdf(context: ExportContext, title: str, orientation: str = "portrait") -> FPDF:
    """A PDF with its first page and title, stamped with the plan's time, not the clock (same plan, same bytes)."""
    pdf = NoticePDF(orientation=orientation, format="A4")
    pdf.set_creation_date(context.timestamp)
    pdf.set_title(title)
    pdf.set_creator("inspection-planner")
    pdf.set_lang("zh-CN")
    add_cjk_font(pdf)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    pdf.set_font("cjk", "B", 15)
    pdf.multi_cell(0, 9, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    return pdf


def notice_pdf(context: ExportContext) -> FPDF:
    pdf = new_pdf(context, notice_title(context))
    paragraph(pdf, summary_line(context))
    heading(pdf, "抽查事项")
    table(pdf, ["事项编号", "抽查事项", "实施部门", "抽取家数"], (1, 3, 2, 1),
          [[i, name, dept, str(n)] for i, name, dept, n in item_counts(context)])
    heading(pdf, "抽取的检查对象")
    table(pdf, ["序号", "企业名称", "统一社会信用代码", "实施部门：抽查事项"], (0.6, 3, 2.4, 4),
          [[str(n), b.name, b.credit_code, b.items_text()]
           for n, b in enumerate(drawn_businesses(context), start=1)])
    heading(pdf, "随机种子与复核方法")
    for line in verification_lines(context):
        paragraph(pdf, "· " + line)
    digests = context.input_digests
    if digests:
        heading(pdf, "输入文件指纹（SHA-256）", size=10)
        table(pdf, ["文件", "SHA-256"], (1, 3), [list(d) for d in digests], size=7)
    return pdf


def add_cjk_font(pdf: FPDF) -> None:
    regular = find_font_file(FONT_FILES[""])
    if regular is None:
        raise UserError(FONT_MISSING.format(file=FONT_FILES[""], dirs="、".join(FONT_DIRS)))
    bold = find_font_file(FONT_FILES["B"]) or regular  # bold is a nicety; regular will do
    for style, path in (("", regular), ("B", bold)):
        pdf.add_font("cjk", style, str(path), collection_font_number=collection_index(path, FONT_FAMILY))


def heading(pdf: FPDF, text: str, size: float = 12) -> None:
    pdf.ln(3)
    pdf.set_font("cjk", "B", size)
    pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")


def paragraph(pdf: FPDF, text: str) -> None:
    pdf.set_font("cjk", "", 10)
    pdf.multi_cell(0, 6, text, wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")


def table(pdf: FPDF, headers: list[str], widths: tuple, rows: list[list[str]], size: float = 9) -> None:
    pdf.set_font("cjk", "", size)
    with pdf.table(col_widths=widths, text_align="LEFT", wrapmode=WrapMode.CHAR, line_height=size * 0.55,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(238, 243, 250)),
                   padding=1) as grid:
        for row in [headers, *rows]:
            line = grid.row()
            for value in row:
                line.cell(value)
