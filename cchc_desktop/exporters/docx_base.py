"""The layout every exported document shares (Nghị định 30/2020/NĐ-CP, Phụ lục I).

:class:`DocWriter` wraps a python-docx ``Document`` set up once for A4, the margins of the
decree, Times New Roman in all four font slots, Vietnamese language, and a handful of
paragraph styles; exporters only add content: the national header, the title, sections,
"Nơi nhận" with the signature, appendices and fast tables.

python-docx is imported here, and this module is imported only inside exporter functions,
so that starting the application does not pay for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Mm, Pt

from cchc_desktop.exporters.doc_parts import (
    MOTTO,
    NATION,
    BoldRow,
    Column,
    GroupRow,
    Heading,
    Signature,
    header_columns,
    recipient_lines,
    signature_parts,
    title_rule_cm,
)
from cchc_desktop.exporters.docx_xml import (
    PPR_AFTER_BORDER,
    SECTPR_AFTER_PGNUM,
    TBLPR_AFTER_BORDERS,
    TR_OPEN,
    TWIPS_PER_CM,
    fill_cell,
    first_paragraph,
    fix_widths,
    tc_xml,
)

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
# Margins inside the decree's ranges: top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGIN_TOP = Mm(20)
MARGIN_BOTTOM = Mm(20)
MARGIN_LEFT = Mm(30)
MARGIN_RIGHT = Mm(15)
A4_WIDTH, A4_HEIGHT = Mm(210), Mm(297)
BODY_PT = 14
FIRST_LINE_INDENT = Cm(1.27)

_FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
# The set-up empty document, saved once per process and read back by every DocWriter.
_BLANK_DOCX: dict[bool, bytes] = {}  # portrait / landscape
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# style id -> (name, size pt, bold, italic, alignment, first-line indent, before pt, after pt)
_STYLES: dict[str, tuple[str, float, bool, bool, str, bool, float, float]] = {
    "CCHCPlain": ("CCHC Plain", 13, False, False, "center", False, 0, 0),
    "CCHCTitle": ("CCHC Title", 14, True, False, "center", False, 0, 0),
    "CCHCHeading1": ("CCHC Heading 1", BODY_PT, True, False, "justify", True, 6, 0),
    "CCHCHeading2": ("CCHC Heading 2", BODY_PT, True, False, "justify", True, 6, 0),
    "CCHCHeading3": ("CCHC Heading 3", BODY_PT, False, True, "justify", True, 6, 0),
    "CCHCCell": ("CCHC Cell", 12, False, False, "left", False, 2, 2),
    "CCHCCellCenter": ("CCHC Cell Center", 12, False, False, "center", False, 2, 2),
    "CCHCCellHead": ("CCHC Cell Head", 12, True, False, "center", False, 2, 2),
    "CCHCCellGroup": ("CCHC Cell Group", 12, True, False, "left", False, 2, 2),
    "CCHCRecipientsHead": ("CCHC Recipients Head", 12, True, True, "left", False, 0, 0),
    "CCHCRecipients": ("CCHC Recipients", 11, False, False, "left", False, 0, 0),
    "CCHCSignature": ("CCHC Signature", BODY_PT, True, False, "center", False, 0, 0),
    "CCHCFigure": ("CCHC Figure", 12, False, True, "center", False, 6, 0),
}
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


class DocWriter:
    """A document being written: A4 (portrait unless ``landscape``), the decree's margins,
    fonts and styles."""

    def __init__(self, *, landscape: bool = False) -> None:
        blank = _BLANK_DOCX.get(landscape)
        if blank is not None:
            # The set-up below costs six times what reading its result back does (#18).
            self.doc = Document(BytesIO(blank))
            styles = self.doc.styles
            self._style = {sid: styles[spec[0]] for sid, spec in _STYLES.items()}
            self._table_style = styles["Table Grid"]
            return
        self.doc = Document()
        self._setup_fonts()
        self._setup_styles()
        section = self.doc.sections[0]
        self._page_setup(section, landscape=landscape)
        self._page_number_header(section)
        section.different_first_page_header_footer = True
        # The template's document starts with one empty paragraph: drop it.
        body = self.doc.element.body
        for p in body.findall(qn("w:p")):
            body.remove(p)
        buffer = BytesIO()
        self.doc.save(buffer)
        _BLANK_DOCX[landscape] = buffer.getvalue()

    # ------------------------------------------------------------------ setup

    def _setup_fonts(self) -> None:
        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for lang in rpr.findall(qn("w:lang")):
            rpr.remove(lang)
        rpr.append(parse_xml(
            f'<w:lang {nsdecls("w")} w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/>'
        ))
        for style in styles.findall(qn("w:style")):
            if style.get(qn("w:type")) in ("paragraph", "character", "table"):
                style.get_or_add_rPr().get_or_add_rFonts()
        for fonts in styles.iter(qn("w:rFonts")):
            _set_fonts(fonts)
        # The template's Word 2010 copy of the styles would keep the theme fonts alive.
        for rid, rel in list(self.doc.part.rels.items()):
            if rel.reltype.endswith("/stylesWithEffects"):
                self.doc.part.drop_rel(rid)
        settings = self.doc.settings.element
        for lang in settings.findall(qn("w:themeFontLang")):
            lang.set(qn("w:val"), LANGUAGE)
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(BODY_PT)
        normal.font.name = FONT  # python-docx sets ascii/hAnsi; the loop above set the rest
        _set_fonts(normal.element.rPr.rFonts)
        pf = normal.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        pf.first_line_indent = FIRST_LINE_INDENT
        pf.space_before = Pt(6)
        pf.space_after = Pt(0)
        pf.line_spacing = 1.15
        pf.widow_control = True

    def _setup_styles(self) -> None:
        styles = self.doc.styles
        for style_id, (name, size, bold, italic, align, indent, before, after) in _STYLES.items():
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.element.set(qn("w:styleId"), style_id)
            style.base_style = styles["Normal"]
            style.font.size = Pt(size)
            style.font.bold = bold
            style.font.italic = italic
            _set_fonts(style.element.get_or_add_rPr().get_or_add_rFonts())
            pf = style.paragraph_format
            pf.alignment = _ALIGN[align]
            pf.first_line_indent = FIRST_LINE_INDENT if indent else Cm(0)
            pf.space_before = Pt(before)
            pf.space_after = Pt(after)
            pf.line_spacing = 1.0 if style_id.startswith("CCHCCell") else 1.15
            if style_id.startswith("CCHCHeading") or style_id == "CCHCTitle":
                pf.keep_with_next = True
        self._style = {sid: styles[spec[0]] for sid, spec in _STYLES.items()}
        self._table_style = styles["Table Grid"]

    @staticmethod
    def _page_setup(section, *, landscape: bool) -> None:  # noqa: ANN001 - docx Section
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (
            (A4_HEIGHT, A4_WIDTH) if landscape else (A4_WIDTH, A4_HEIGHT)
        )
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)
        section.gutter = Mm(0)

    def _page_number_header(self, section) -> None:  # noqa: ANN001
        """Page numbers centred in the top margin; the first page's header stays empty."""
        header = section.header
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.style = self._style["CCHCPlain"]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p._p.append(parse_xml(
            f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'
        ))
        p._p.append(parse_xml(
            f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        ))
        p._p.append(parse_xml(
            f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'
        ))
        p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t>2</w:t></w:r>'))
        p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))
        first = section.first_page_header
        first.is_linked_to_previous = False
        first.paragraphs[0].style = self._style["CCHCPlain"]

    @property
    def text_width(self) -> Emu:
        """The width between the margins of the current (last) section."""
        s = self.doc.sections[-1]
        # A document made by python-docx always states its page size and margins.
        return Emu((s.page_width or 0) - (s.left_margin or 0) - (s.right_margin or 0))

    # ------------------------------------------------------------------ paragraphs

    def paragraph(self, text: str = "", style: str | None = None, *, bold: bool = False,
                  italic: bool = False, align: str | None = None):  # noqa: ANN201
        """Add a paragraph (body style unless ``style`` is a CCHC style id)."""
        p = self.doc.add_paragraph(style=self._style[style] if style else None)
        if text:
            run = p.add_run(text)
            if bold:
                run.bold = True
            if italic:
                run.italic = True
        if align:
            p.alignment = _ALIGN[align]
        return p

    def lead_in(self, text: str) -> None:
        """A body paragraph that introduces a table or chart and stays on its page."""
        self.paragraph(text).paragraph_format.keep_with_next = True

    def body(self, text: str) -> None:
        """Add body paragraphs: one per non-empty line of ``text``."""
        for line in text.splitlines():
            if line.strip():
                self.paragraph(line.strip())

    def heading1(self, text: str) -> None:
        """A roman section heading: "I. KẾT QUẢ THỰC HIỆN" (bold capitals)."""
        self.paragraph(text.upper(), "CCHCHeading1")

    def heading2(self, text: str) -> None:
        """"1. Công tác chỉ đạo, điều hành" (bold)."""
        self.paragraph(text, "CCHCHeading2")

    def heading3(self, text: str) -> None:
        """"a. ..." (italic)."""
        self.paragraph(text, "CCHCHeading3")

    def rule(self, width_cm: float, container_width_cm: float, *, container=None) -> None:  # noqa: ANN001
        """A short centred horizontal rule (a bottom border on an empty, tight paragraph)."""
        target = container if container is not None else self.doc
        p = target.add_paragraph(style=self._style["CCHCPlain"])
        side = max(0.0, (container_width_cm - width_cm) / 2)
        pf = p.paragraph_format
        pf.left_indent = Cm(side)
        pf.right_indent = Cm(side)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(2)
        p._p.get_or_add_pPr().insert_element_before(
            parse_xml(
                f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="0" '
                f'w:color="000000"/></w:pBdr>'
            ),
            *PPR_AFTER_BORDER,
        )

    # ------------------------------------------------------------------ blocks

    def national_header(self, heading: Heading) -> None:
        """The two-column borderless header of Nghị định 30: agency left, nation right.

        The columns are sized so the place-and-date line stays on one line: at 14 pt when the
        agency's name still fits beside it, else at 13 pt (the decree allows 13–14 pt).
        """
        left_cm, right_cm, date_pt = header_columns(heading, self.text_width / 360000)
        table = self._borderless_table([left_cm, right_cm])
        left, right = table.rows[0].cells
        first_paragraph(left, heading.parent.upper(), self._style["CCHCPlain"], size=13)
        p = left.add_paragraph(style=self._style["CCHCPlain"])
        p.add_run(heading.agency.upper()).bold = True
        self.rule(2.4, left_cm, container=left)
        p = left.add_paragraph(style=self._style["CCHCPlain"])
        p.paragraph_format.space_before = Pt(6)
        p.add_run(heading.number_line)
        if heading.subject:
            p = left.add_paragraph(style=self._style["CCHCPlain"])
            p.paragraph_format.space_before = Pt(3)
            p.add_run(heading.subject).font.size = Pt(12)

        p = first_paragraph(right, NATION, self._style["CCHCPlain"], size=12)
        p.runs[0].bold = True
        p = right.add_paragraph(style=self._style["CCHCPlain"])
        run = p.add_run(MOTTO)
        run.bold = True
        run.font.size = Pt(14)
        self.rule(6.1, right_cm, container=right)
        p = right.add_paragraph(style=self._style["CCHCPlain"])
        p.paragraph_format.space_before = Pt(6)
        run = p.add_run(heading.date_line)
        run.italic = True
        run.font.size = Pt(date_pt)

    def title(self, type_name: str, summary: str) -> None:
        """"BÁO CÁO" / "KẾ HOẠCH" in bold capitals, the trích yếu in bold, a short rule."""
        p = self.paragraph(type_name.upper(), "CCHCTitle")
        p.paragraph_format.space_before = Pt(18)
        self.paragraph(summary, "CCHCTitle")
        width = self.text_width / 360000
        self.rule(title_rule_cm(summary, width), width)

    def closing(self, signature: Signature) -> None:
        """"Nơi nhận:" on the left and the signature block on the right."""
        self.closing_lines(signature.recipients, signature.drafter,
                           [signature.authority, signature.signer_title, "", "", "", "",
                            signature.signer])

    def closing_lines(self, recipients: Iterable[str], drafter: str,
                      signature: Sequence[str]) -> None:
        """The closing from a template's lines, held to the decree: "Nơi nhận:" bold italic
        12 pt, each recipient "- X;" in 11 pt ending with "- Lưu: VT, {drafter}."; on the
        right the authority and title in bold capitals, room to sign, the signer's name."""
        top, blanks, name = signature_parts(signature)
        right = [line.upper() for line in top] + [""] * min(max(blanks, 4), 8)
        right += name or ["(Họ và tên người ký)"]
        self.closing_table(["Nơi nhận:", *recipient_lines(recipients, drafter)], right)

    def closing_table(self, left_lines: Sequence[str], right_lines: Sequence[str]) -> None:
        """The two-column borderless closing table with these lines as they are: the first
        left line is the "Nơi nhận:" heading, the right ones the signature block."""
        width = self.text_width / 360000
        # The signature is never cut from its block nor from the text it signs: the row is
        # not split across pages and the last paragraph stays with it.
        self.keep_last_with_next()
        table = self._borderless_table([width * 0.48, width * 0.52])
        table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
        left, right = table.rows[0].cells
        for i, line in enumerate(left_lines):
            style = self._style["CCHCRecipientsHead" if i == 0 else "CCHCRecipients"]
            p = left.paragraphs[0] if i == 0 else left.add_paragraph(style=style)
            if i == 0:
                p.style = style
                p.paragraph_format.space_before = Pt(12)
            if line:
                p.add_run(line)
        for i, line in enumerate(right_lines):
            style = self._style["CCHCSignature"]
            p = right.paragraphs[0] if i == 0 else right.add_paragraph(style=style)
            if i == 0:
                p.style = style
                p.paragraph_format.space_before = Pt(12)
            if line:
                p.add_run(line)

    def append_paragraph_xml(self, ppr_xml: str, runs_xml: str) -> None:
        """A body paragraph from XML: ``ppr_xml`` inside its w:pPr, then its runs (a
        template's paragraph, copied without python-docx's per-run objects)."""
        p = parse_xml(f'<w:p {nsdecls("w")}><w:pPr>{ppr_xml}</w:pPr>{runs_xml}</w:p>')
        body = self.doc.element.body
        sect = body.find(qn("w:sectPr"))
        if sect is not None:
            sect.addprevious(p)
        else:
            body.append(p)

    def keep_last_with_next(self) -> None:
        """Keep the last paragraph written on the page of what follows (a table's lead-in)."""
        last = next((el for el in reversed(self.doc.element.body)
                     if el.tag != qn("w:sectPr")), None)
        if last is not None and last.tag == qn("w:p"):
            from docx.text.paragraph import Paragraph

            Paragraph(last, self.doc).paragraph_format.keep_with_next = True

    def new_section(self, *, landscape: bool, restart_numbering: bool = False,
                    number_first_page: bool = True) -> None:
        """Start a new page in a new section (landscape for wide appendix tables).

        ``restart_numbering`` numbers the section's pages from 1, as each appendix is;
        ``number_first_page=False`` leaves the section's first page unnumbered, as the first
        page of a document (one letter of several in one file).
        """
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._page_setup(section, landscape=landscape)
        # The clone keeps "different first page"; later sections number every page.
        section.different_first_page_header_footer = not number_first_page
        sect_pr = section._sectPr
        for old in sect_pr.findall(qn("w:pgNumType")):
            sect_pr.remove(old)
        if restart_numbering:
            sect_pr.insert_element_before(
                parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>'), *SECTPR_AFTER_PGNUM)

    def appendix_heading(self, label: str, title: str, attached_to: str) -> None:
        """"PHỤ LỤC I", its title in bold capitals, then "(Kèm theo ...)" in italics."""
        from cchc_desktop.exporters.text_metrics import text_width_cm

        self.paragraph(label.upper(), "CCHCTitle")
        self.paragraph(title.upper(), "CCHCTitle")
        attached = f"({attached_to})"
        head, sep, tail = attached.rpartition(" của ")
        if sep and text_width_cm(attached, 14, italic=True) > self.text_width / 360000:
            attached = f"{head}\ncủa {tail}"  # as sample 000 breaks it: the agency below
        p = self.paragraph(attached, "CCHCPlain", italic=True)
        p.paragraph_format.space_after = Pt(12)
        p.runs[0].font.size = Pt(14)

    def picture(self, png: bytes, width_cm: float, caption: str = "") -> None:
        """A centred picture (a chart), with an italic caption under it."""
        p = self.paragraph(style="CCHCPlain")
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.keep_with_next = bool(caption)
        p.add_run().add_picture(BytesIO(png), width=Cm(width_cm))
        if caption:
            self.paragraph(caption, "CCHCFigure")

    # ------------------------------------------------------------------ tables

    def _borderless_table(self, widths_cm: Sequence[float]):  # noqa: ANN202
        table = self.doc.add_table(rows=1, cols=len(widths_cm))
        tbl = table._tbl
        tbl_pr = tbl.tblPr
        fix_widths(table, widths_cm)
        tbl_pr.insert_element_before(
            parse_xml(
                f'<w:tblBorders {nsdecls("w")}>'
                + "".join(f'<w:{side} w:val="nil"/>'
                          for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
                + "</w:tblBorders>"
            ),
            *TBLPR_AFTER_BORDERS,
        )
        tbl_pr.insert_element_before(
            parse_xml(
                f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/>'
                f'<w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
            ),
            *TBLPR_AFTER_BORDERS[3:],
        )
        return table

    def table(self, columns: Sequence[Column],
              rows: Iterable[Sequence[str] | GroupRow | BoldRow]) -> None:
        """A grid table whose header row repeats on every page; GroupRow and BoldRow are bold.

        The header row comes from ``add_table``; the data rows are written as one XML string
        and parsed once. python-docx's ``table.cell(i, j)`` walks the whole table on every
        call (minutes for 800 rows), and even ``row.cells`` with its per-element helpers took
        1.5 s for 2,000 rows; the string takes a tenth of that.
        """
        k = len(columns)
        table = self.doc.add_table(rows=1, cols=k)
        table.style = self._table_style
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        fix_widths(table, [c.width_cm for c in columns])
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        for cell, col in zip(header.cells, columns, strict=True):
            fill_cell(cell, col.header, "CCHCCellHead")
        widths = [round(c.width_cm * TWIPS_PER_CM) for c in columns]
        cell_styles = ["CCHCCellCenter" if c.align == "center" else "CCHCCell" for c in columns]
        bold_styles = ["CCHCCellHead" if c.align == "center" else "CCHCCellGroup" for c in columns]
        group_width = sum(widths[1:])
        parts: list[str] = []
        for data in rows:
            if isinstance(data, GroupRow):
                # A group row stays on the page of the row that follows it.
                parts.append(
                    TR_OPEN
                    + tc_xml(data.label, widths[0], "CCHCCellHead", keep_next=True)
                    + tc_xml(data.title, group_width, "CCHCCellGroup", span=k - 1,
                              keep_next=True)
                    + "</w:tr>"
                )
                continue
            styles = cell_styles
            if isinstance(data, BoldRow):
                data, styles = data.cells, bold_styles
            if len(data) != k:
                raise ValueError(f"row has {len(data)} cells, table has {k} columns")
            parts.append(
                TR_OPEN
                + "".join(map(tc_xml, data, widths, styles))
                + "</w:tr>"
            )
        if parts:
            holder = parse_xml(f'<w:tbl {nsdecls("w")}>{"".join(parts)}</w:tbl>')
            table._tbl.extend(list(holder))

    def save(self, path: str | Path) -> Path:
        """Write the document atomically: the previous file stays whole when writing fails,
        which raises EnvironmentProblem with the reason (disk full, file open in Word...)."""
        from cchc_desktop.store.file_errors import written_atomically

        target = Path(path)
        buffer = BytesIO()
        self.doc.save(buffer)
        with written_atomically(target) as tmp:
            tmp.write_bytes(buffer.getvalue())
        return target


# ---------------------------------------------------------------------- helpers


def _set_fonts(fonts) -> None:  # noqa: ANN001 - CT_Fonts
    for attr in _THEME_ATTRS:
        key = qn(attr)
        if key in fonts.attrib:
            del fonts.attrib[key]
    for attr in _FONT_SLOTS:
        fonts.set(qn(attr), FONT)
