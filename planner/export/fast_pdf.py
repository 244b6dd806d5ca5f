"""A small, fast PDF writer for the per-visit documents: hundreds of A4 files with Chinese text in seconds.

fpdf2 parses and subsets the 20 MB Noto Sans CJK collection for every document (0.7–1.6 s each). Here the font
is subset once per export with fontTools (`Glyphs.of`: every character of every document, outlines without
subroutines), and each PDF then embeds only its own glyphs as a CID-keyed CFF built by concatenation
(`cff_font`): no font parsing per document. Text is set glyph by glyph with the font's own advance widths, and
a ToUnicode map keeps it searchable and copyable. The same input gives the same bytes.
"""
from __future__ import annotations

import hashlib
import io
import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime

from fontTools import subset
from fontTools.ttLib import TTFont

from models.problems import UserError
from planner.export.notice_pdf import FONT_DIRS, FONT_FAMILY, FONT_FILES, FONT_MISSING, collection_index, find_font_file

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
MARGIN = 50.0
ASCENT, DESCENT = 0.88, 0.12  # Noto Sans CJK, per em
NOTDEF = 0
UNIT_JOIN = "\u3000"  # ideographic space: between parts that stay whole on a line
PUNCTUATION_NOT_FIRST = "，。、；：？！）》」』”’%,.;:?!)]"


# --- the font: subset once, embedded per document -------------------------------------------------------------

@dataclass
class Glyphs:
    """The export's glyphs: character -> CID, each CID's advance (per 1000) and Type 2 charstring, its FD."""
    cid_of: dict[str, int]
    width: dict[int, int]
    charstring: dict[int, bytes]
    fd_of: dict[int, int]
    private: list[tuple[int, int]]  # per FD: (defaultWidthX, nominalWidthX)
    bbox: tuple[int, int, int, int]

    @classmethod
    def of(cls, text: str) -> Glyphs:
        path = find_font_file(FONT_FILES[""])
        if path is None:
            raise UserError(FONT_MISSING.format(file=FONT_FILES[""], dirs="、".join(FONT_DIRS)))
        font = TTFont(str(path), fontNumber=collection_index(path, FONT_FAMILY), lazy=True)
        options = subset.Options()
        options.layout_features, options.hinting, options.desubroutinize = [], False, True
        options.name_IDs, options.notdef_outline = [], True
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(set(text) - {"\n"})))
        subsetter.subset(font)
        top = font["CFF "].cff.topDictIndex[0]
        cid = {name: int(name[3:]) if name.startswith("cid") else NOTDEF for name in font.getGlyphOrder()}
        width, charstring, fd_of = {}, {}, {}
        for gid, name in enumerate(font.getGlyphOrder()):
            glyph = top.CharStrings[name]
            glyph.compile()
            width[cid[name]], charstring[cid[name]] = font["hmtx"][name][0], glyph.bytecode
            fd_of[cid[name]] = top.FDSelect[gid]
        private = [(int(fd.Private.rawDict.get("defaultWidthX", 0)), int(fd.Private.rawDict.get("nominalWidthX", 0)))
                   for fd in top.FDArray]
        cmap = font.getBestCmap()
        return cls({chr(c): cid[name] for c, name in cmap.items()}, width, charstring, fd_of, private,
                   tuple(int(v) for v in top.FontBBox))

    def __post_init__(self) -> None:
        self.advance = {ch: self.width.get(cid, 1000) for ch, cid in self.cid_of.items()}  # per 1000 of the size

    def cid(self, ch: str) -> int:
        return self.cid_of.get(ch, NOTDEF)

    def text_width(self, text: str, size: float) -> float:
        advance = self.advance
        return sum(advance.get(ch, 1000) for ch in text) * size / 1000


def _int(value: int) -> bytes:
    return b"\x1d" + struct.pack(">i", value)  # the 5-byte form: a DICT's size never depends on its values


def _index(items: list[bytes]) -> bytes:
    if not items:
        return b"\x00\x00"
    offsets, at = [], 1
    for item in items:
        offsets.append(at)
        at += len(item)
    offsets.append(at)
    return struct.pack(">HB", len(items), 4) + b"".join(struct.pack(">I", o) for o in offsets) + b"".join(items)


def cff_font(glyphs: Glyphs, cids: list[int]) -> bytes:
    """A CID-keyed CFF (Adobe-Identity-0) holding .notdef and `cids`, the glyphs keeping their CIDs."""
    cids = [NOTDEF, *sorted(set(cids) - {NOTDEF})]
    name = _index([b"NotoSansCJKsc-Regular"])
    strings = _index([b"Adobe", b"Identity"])
    charset = b"\x00" + b"".join(struct.pack(">H", c) for c in cids[1:])
    fd_select = b"\x00" + bytes(glyphs.fd_of.get(c, 0) for c in cids)
    charstrings = _index([glyphs.charstring[c] for c in cids])
    privates = [_int(default) + b"\x14" + _int(nominal) + b"\x15" for default, nominal in glyphs.private]

    def top_dict(charset_at: int, fd_select_at: int, charstrings_at: int, fd_array_at: int) -> bytes:
        return (_int(391) + _int(392) + _int(0) + b"\x0c\x1e" + _int(65535) + b"\x0c\x22"
                + b"".join(_int(v) for v in glyphs.bbox) + b"\x05"
                + _int(charset_at) + b"\x0f" + _int(fd_select_at) + b"\x0c\x25"
                + _int(charstrings_at) + b"\x11" + _int(fd_array_at) + b"\x0c\x24")

    head = b"\x01\x00\x04\x04" + name
    start = len(head) + len(_index([top_dict(0, 0, 0, 0)])) + len(strings) + 2
    charset_at = start
    fd_select_at = charset_at + len(charset)
    charstrings_at = fd_select_at + len(fd_select)
    fd_array_at = charstrings_at + len(charstrings)
    font_dict_size = len(_int(0) * 2 + b"\x12")
    private_at = fd_array_at + len(_index([b"\x00" * font_dict_size] * len(privates)))
    font_dicts, at = [], private_at
    for private in privates:
        font_dicts.append(_int(len(private)) + _int(at) + b"\x12")
        at += len(private)
    return (head + _index([top_dict(charset_at, fd_select_at, charstrings_at, fd_array_at)]) + strings + b"\x00\x00"
            + charset + fd_select + charstrings + _index(font_dicts) + b"".join(privates))


# --- pages ---------------------------------------------------------------------------------------------------

def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


@dataclass
class Page:
    ops: list[str] = field(default_factory=list)


@dataclass
class Layout:
    """One document laid out: its pages' drawing operators and the characters it shows."""
    glyphs: Glyphs
    pages: list[Page] = field(default_factory=list)
    y: float = 0.0
    chars: set[str] = field(default_factory=set)
    header_repeat: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.new_page()

    @property
    def width(self) -> float:
        return PAGE_W - 2 * MARGIN

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = PAGE_H - MARGIN

    def room(self, height: float) -> None:
        """A new page unless `height` still fits above the bottom margin (and the footer)."""
        if self.y - height < MARGIN + 14:
            self.new_page()

    # drawing
    def text(self, x: float, baseline: float, text: str, size: float, bold: bool = False, gray: float = 0.0,
             page: Page | None = None) -> None:
        self.chars.update(text)
        codes = "".join(f"{self.glyphs.cid(ch):04X}" for ch in text)
        style = f"2 Tr {_num(size * 0.035)} w " if bold else "0 Tr "  # the render mode outlasts ET
        color = f"{_num(gray)} g {_num(gray)} G " if gray else ""
        (page or self.pages[-1]).ops.append(f"BT {color}{style}/F1 {_num(size)} Tf {_num(x)} {_num(baseline)} Td <{codes}> Tj ET"
                                  + (" 0 g 0 G" if gray else ""))

    def rect(self, x: float, y: float, w: float, h: float, fill: float | None = None, stroke: bool = True) -> None:
        paint = (f"{_num(fill)} g " if fill is not None else "") + ("B" if fill is not None and stroke else
                                                                     "f" if fill is not None else "S")
        self.pages[-1].ops.append(f"0.6 w {_num(x)} {_num(y)} {_num(w)} {_num(h)} re {paint}" +
                                  (" 0 g" if fill is not None else ""))

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.6) -> None:
        self.pages[-1].ops.append(f"{_num(width)} w {_num(x1)} {_num(y1)} m {_num(x2)} {_num(y2)} l S")

    def modules(self, runs, x: float, top: float, module: float) -> None:
        """A QR code's dark runs ((row, first column, length) in modules), in module units, filled at once."""
        rects = " ".join(f"{c} {-r - 1} {n} 1 re" for r, c, n in runs)
        self.pages[-1].ops.append(f"q {_num(module)} 0 0 {_num(module)} {_num(x)} {_num(top)} cm 0 g {rects} f Q")

    # text flow
    def wrap(self, text: str, width: float, size: float) -> list[str]:
        """Lines of at most `width`, broken between any two characters (Chinese), kept whole within a Latin word
        where the word fits, never starting with closing punctuation; "\n" breaks; parts joined by an ideographic
        space (U+3000, e.g. "□未发现问题　□责令改正") stay whole where they fit."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            if UNIT_JOIN not in paragraph:
                lines += self._wrap_chars(paragraph, width, size)
                continue
            line = ""
            for unit in paragraph.split(UNIT_JOIN):
                joined = f"{line}{UNIT_JOIN}{unit}" if line else unit
                if not line or self.glyphs.text_width(joined, size) <= width:
                    line = joined
                else:
                    lines.append(line)
                    line = unit
            lines += self._wrap_chars(line, width, size)
        return lines

    def _wrap_chars(self, paragraph: str, width: float, size: float) -> list[str]:
        if self.glyphs.text_width(paragraph, size) <= width:
            return [paragraph]
        lines, line, line_w, advance = [], "", 0.0, self.glyphs.advance
        for ch in paragraph:
            w = advance.get(ch, 1000) * size / 1000
            if line and line_w + w > width and ch not in PUNCTUATION_NOT_FIRST:
                cut = _word_start(line)
                if 0 < cut < len(line) and ch.isascii() and ch != " ":
                    lines.append(line[:cut].rstrip())
                    line = line[cut:]
                else:
                    lines.append(line.rstrip())
                    line = ""
                line = line.lstrip(" ")
                line_w = self.glyphs.text_width(line, size)
            line += ch
            line_w += w
        lines.append(line)
        return lines

    def paragraph(self, text: str, size: float = 10.5, bold: bool = False, align: str = "left",
                  indent: float = 0.0, gray: float = 0.0, after: float = 3.0) -> None:
        leading = size * 1.45
        for line in self.wrap(text, self.width - indent, size):
            self.room(leading)
            x = MARGIN + indent
            if align == "center":
                x = MARGIN + (self.width - self.glyphs.text_width(line, size)) / 2
            elif align == "right":
                x = PAGE_W - MARGIN - self.glyphs.text_width(line, size)
            self.text(x, self.y - size * ASCENT - (leading - size) / 2, line, size, bold, gray)
            self.y -= leading
        self.y -= after

    def column(self, text: str, x: float, width: float, top: float, size: float, gray: float = 0.0) -> float:
        """`text` wrapped into a column at `x` from `top` down, on this page; returns the column's bottom."""
        leading = size * 1.35
        for n, line in enumerate(self.wrap(text, width, size)):
            self.text(x, top - size * ASCENT - n * leading, line, size, gray=gray)
        return top - len(self.wrap(text, width, size)) * leading

    def space(self, height: float) -> None:
        self.y -= height

    def table(self, widths: list[float], rows: list[list[str]], header: list[str] | None = None, size: float = 9.5,
              groups: dict[int, str] | None = None) -> None:
        """A bordered table; `widths` relative; `groups` (row index -> text) puts a full-width row before it.
        A row never splits across pages; the header repeats on each page."""
        total = sum(widths)
        cols = [w * self.width / total for w in widths]
        pad, leading = 3.0, size * 1.45

        def height(cells: list[str], spans: list[float]) -> tuple[float, list[list[str]]]:
            wrapped = [self.wrap(c, w - 2 * pad, size) for c, w in zip(cells, spans)]
            return max(len(w) for w in wrapped) * leading + 2 * pad, wrapped

        def draw(cells: list[str], spans: list[float], fill: float | None = None, bold: bool = False,
                 keep_with: float = 0.0) -> None:
            h, wrapped = height(cells, spans)
            if self.y - h - keep_with < MARGIN + 14:
                self.new_page()
                if header:
                    draw(header, cols, 0.93, True)
            x = MARGIN
            for lines, w in zip(wrapped, spans):
                self.rect(x, self.y - h, w, h, fill)
                for n, line in enumerate(lines):
                    self.text(x + pad, self.y - pad - n * leading - size * ASCENT - (leading - size) / 2, line,
                              size, bold)
                x += w
            self.y -= h

        if header:
            draw(header, cols, 0.93, True)
        for n, row in enumerate(rows):
            if groups and n in groups:  # a department's row stays with its first item
                draw([groups[n]], [self.width], 0.97, True, keep_with=height(row, cols)[0])
            draw(row, cols)
        self.y -= 6

    def finish(self, footer: str = "第 {page} 页，共 {pages} 页") -> Layout:
        for n, page in enumerate(self.pages, start=1):
            text = footer.format(page=n, pages=len(self.pages))
            self.text((PAGE_W - self.glyphs.text_width(text, 8)) / 2, MARGIN - 20, text, 8, gray=0.4, page=page)
        return self


def _word_start(line: str) -> int:
    """Where the trailing Latin word of `line` begins (its length when it ends in a space or a Chinese character)."""
    n = len(line)
    while n > 0 and line[n - 1].isascii() and line[n - 1] not in " ":
        n -= 1
    return n


# --- the file ------------------------------------------------------------------------------------------------

def _stream(dictionary: str, data: bytes) -> bytes:
    packed = zlib.compress(data, 1)  # level 1: a few percent larger, several times faster
    return f"<< {dictionary} /Filter /FlateDecode /Length {len(packed)} >>\nstream\n".encode() + packed + \
        b"\nendstream"


def _text_string(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _widths(glyphs: Glyphs, cids: list[int]) -> str:
    return "[" + " ".join(f"{c} [{glyphs.width.get(c, 1000)}]" for c in cids if glyphs.width.get(c, 1000) != 1000) + "]"


def _to_unicode(glyphs: Glyphs, chars: set[str]) -> bytes:
    pairs = sorted({(glyphs.cid(ch), ch) for ch in chars if glyphs.cid(ch) != NOTDEF})
    blocks = []
    for start in range(0, len(pairs), 100):
        part = pairs[start:start + 100]
        blocks.append(f"{len(part)} beginbfchar\n" + "".join(
            f"<{cid:04X}> <{ch.encode('utf-16-be').hex().upper()}>\n" for cid, ch in part) + "endbfchar\n")
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
            "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "".join(blocks)
            + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode()


def pdf_bytes(layouts: list[Layout], title: str, created: datetime) -> bytes:
    """One PDF of every page of `layouts`, the font holding the glyphs they show."""
    glyphs = layouts[0].glyphs
    chars = set().union(*(layout.chars for layout in layouts))
    cids = sorted({glyphs.cid(ch) for ch in chars} | {NOTDEF})
    pages = [page for layout in layouts for page in layout.pages]
    stamp = created.strftime("D:%Y%m%d%H%M%SZ")
    first_page = 9
    objects = [
        "<< /Type /Catalog /Pages 2 0 R /Lang (zh-CN) >>",
        "<< /Type /Pages /Kids [" + " ".join(f"{first_page + 2 * n} 0 R" for n in range(len(pages)))
        + f"] /Count {len(pages)} >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /NotoSansCJKsc-Regular /Encoding /Identity-H "
        "/DescendantFonts [4 0 R] /ToUnicode 7 0 R >>",
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /NotoSansCJKsc-Regular "
        f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R "
        f"/DW 1000 /W {_widths(glyphs, cids)} >>",
        "<< /Type /FontDescriptor /FontName /NotoSansCJKsc-Regular /Flags 4 /FontBBox ["
        + " ".join(map(str, glyphs.bbox)) + "] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 733 /StemV 80 "
        "/FontFile3 6 0 R >>",
        _stream("/Subtype /CIDFontType0C", cff_font(glyphs, cids)),
        _stream("", _to_unicode(glyphs, chars)),
        f"<< /Title {_text_string(title)} /Creator (inspection-planner) /Producer (inspection-planner) "
        f"/CreationDate ({stamp}) >>",
    ]
    for n, page in enumerate(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_num(PAGE_W)} {_num(PAGE_H)}] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {first_page + 2 * n + 1} 0 R >>")
        objects.append(_stream("", "\n".join(page.ops).encode("ascii")))
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + (body if isinstance(body, bytes) else body.encode()) + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    digest = hashlib.md5(out.getvalue(), usedforsecurity=False).hexdigest()
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 8 0 R /ID [<{digest}> <{digest}>] >>\n"
              f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
