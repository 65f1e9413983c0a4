"""WordprocessingML written by hand where python-docx is slow or silent: the schema order
of a few elements, table rows and cells as XML (a 2,000-row appendix in one parse), cell
text with line breaks, fixed column widths. Used by :mod:`cchc_desktop.exporters.docx_base`.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt

# Children that must follow w:pBdr in w:pPr, and w:tblBorders in w:tblPr (schema order).
PPR_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)
TBLPR_AFTER_BORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)
SECTPR_AFTER_PGNUM = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
    "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)


def first_paragraph(cell, text: str, style, *, size: float | None = None):  # noqa: ANN001, ANN202
    """A cell's first paragraph given ``style`` and ``text`` (at ``size`` pt when given)."""
    p = cell.paragraphs[0]
    p.style = style
    run = p.add_run(text)
    if size:
        run.font.size = Pt(size)
    return p


TWIPS_PER_CM = 1440 / 2.54
# A row is never split across pages: a split row leaves an empty sliver under the
# repeated header on the next page.
TR_OPEN = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"


# Characters XML 1.0 does not allow (pasted from old files now and then).
_BAD_XML = dict.fromkeys(c for c in range(32) if c not in (9, 10))


def runs_xml(text: str) -> str:
    """``text`` as one w:r, its line breaks as w:br, characters XML forbids left out."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").translate(_BAD_XML)
    lines = escape(text).split("\n")
    inner = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
    return f"<w:r>{inner}</w:r>"


def tc_xml(text: str, width: int, style_id: str, span: int = 1,
           keep_next: bool = False) -> str:
    """A table cell (w:tc) of ``width`` twips, spanning ``span`` columns, in ``style_id``."""
    grid = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    keep = "<w:keepNext/>" if keep_next else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid}</w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{keep}</w:pPr>{runs_xml(text)}</w:p></w:tc>'
    )


def fill_cell(cell, text: str, style_id: str) -> None:  # noqa: ANN001
    """Put ``text`` in a cell's first paragraph; line breaks become <w:br/>."""
    p = cell.paragraphs[0]
    p._p.style = style_id
    if not text:
        return
    if "\n" not in text:
        p.add_run(text)
        return
    parts = [escape(line) for line in text.split("\n")]
    inner = "<w:br/>".join(f'<w:t xml:space="preserve">{part}</w:t>' for part in parts)
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}>{inner}</w:r>'))


def fix_widths(table, widths_cm: Sequence[float]) -> None:  # noqa: ANN001
    """Fixed layout with these column widths (Word and LibreOffice both honour it)."""
    table.autofit = False
    tbl = table._tbl
    widths = [Cm(w) for w in widths_cm]
    for col, width in zip(tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = width
    for tr in tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = width
