"""Writing a template's body into a document: fields filled, blocks run, the closing held.

A template is read and its fields compiled once per process (docxtpl joins the runs Word
split a field over, Jinja2 compiles the result); each document then only renders the
compiled text and copies its paragraphs as XML into
:class:`~cchc_desktop.exporters.docx_base.DocWriter`'s document, with the decree's styles:
headings by their style, bold/italic/underline of each run, centring and extra spacing.
Fonts, sizes and page setup of the template are not copied.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from cchc_desktop.exporters.doc_templates import (
    TEMPLATE_KINDS,
    TemplateKind,
    TemplateProblem,
    build_default,
    check_template,
    closing_table,
)

__all__ = ["BLOCK_MARK", "render_body"]

BLOCK_MARK = "\ue000"  # a private-use character around a block field's name after rendering
_BLOCK_RE = re.compile(f"{BLOCK_MARK}([a-z0-9_]+){BLOCK_MARK}")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEADINGS = {"cchcheading1": 1, "heading1": 1, "cchcheading2": 2, "heading2": 2,
             "cchcheading3": 3, "heading3": 3}
_OFF = {"0", "false", "none"}


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


@dataclass
class _Compiled:
    docx: Any  # the DocxTemplate, for its listing helper
    template: Any  # the Jinja2 template of the body's XML


@lru_cache(maxsize=16)
def _checked(key: str, data: bytes) -> list[str]:
    """check_template, once per template (a batch of letters renders one many times)."""
    return check_template(TEMPLATE_KINDS[key], data)


@lru_cache(maxsize=16)
def _compiled(data: bytes) -> _Compiled:
    from docxtpl import DocxTemplate
    from jinja2 import Environment, TemplateError

    from cchc_desktop.exporters.doc_templates import _open

    tpl: DocxTemplate = _open(data)
    xml = tpl.patch_xml(tpl.get_xml())
    xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)  # as docxtpl renders it
    try:
        return _Compiled(tpl, Environment(autoescape=True).from_string(xml))
    except TemplateError as exc:
        raise TemplateProblem(f"trường viết sai: {exc}") from None


def _rendered_body(data: bytes, context: dict[str, str]):  # noqa: ANN202 - lxml element
    from jinja2 import TemplateError
    from lxml import etree  # type: ignore[import-untyped]

    compiled = _compiled(data)
    try:
        xml = compiled.template.render(context)
    except TemplateError as exc:
        raise TemplateProblem(f"lỗi khi điền trường: {exc}") from None
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    xml = compiled.docx.resolve_listing(xml)
    return etree.fromstring(xml, etree.XMLParser(recover=True))


def render_body(w, kind: TemplateKind, data: bytes, values: dict[str, str],  # noqa: ANN001
                blocks: dict[str, Callable[[], None]], drafter: str) -> list[str]:
    """Write the template's body into DocWriter ``w``: its paragraphs with the fields filled,
    each block field replaced by the code's output, and the "Nơi nhận" / signature table
    (held to the decree's form by :meth:`DocWriter.closing_lines`).

    Returns the warnings of :func:`check_template`; a template that cannot be used falls back
    to the shipped default of ``kind``, and says so.
    """
    context = dict(values)
    context.update({name: f"{BLOCK_MARK}{name}{BLOCK_MARK}" for name in blocks})
    try:
        warnings = list(_checked(kind.key, data))
        body = _rendered_body(data, context)
    except TemplateProblem as exc:
        warnings = [f"Mẫu “{kind.label}” của cơ quan không dùng được ({exc.message}): văn bản "
                    f"dùng mẫu gốc."]
        body = _rendered_body(build_default(kind), context)
    closing = closing_table(body)
    recipients: list[str] | None = None
    signature: list[str] = []
    for child in body:
        if child.tag == _w("p"):
            _copy_paragraph(w, child, blocks)
        elif child is closing:
            recipients, signature = _read_closing(child)
    if recipients is None:
        recipients = values.get("noi_nhan", "").split("\n")
        signature = [values.get("tham_quyen", ""), values.get("chuc_vu", ""), "", "", "", "",
                     values.get("nguoi_ky", "")]
    w.closing_lines(recipients, drafter, signature)
    return warnings


def _text(p) -> str:  # noqa: ANN001 - lxml w:p
    parts = []
    for el in p.iter(_w("t"), _w("tab"), _w("br"), _w("cr")):
        if el.tag == _w("t"):
            parts.append(el.text or "")
        else:
            parts.append("\t" if el.tag == _w("tab") else "\n")
    return "".join(parts)


def _on(rpr, tag: str) -> bool:  # noqa: ANN001
    if rpr is None:
        return False
    el = rpr.find(_w(tag))
    return el is not None and el.get(_w("val"), "true").lower() not in _OFF


def _copy_paragraph(w, p, blocks: dict[str, Callable[[], None]]) -> None:  # noqa: ANN001
    """Copy one rendered paragraph into ``w`` with the decree's styles (or run its block)."""
    text = _text(p)
    match = _BLOCK_RE.fullmatch(text.strip())
    if match:
        name = match.group(1)
        if name.startswith("bang_"):  # a table stays with the sentence that announces it
            w.keep_last_with_next()
        blocks[name]()
        return
    if not text.strip():
        return  # blank lines: the styles give the decree's spacing
    ppr = p.find(_w("pPr"))
    style = ppr.find(_w("pStyle")) if ppr is not None else None
    level = _HEADINGS.get(re.sub(r"[^a-z0-9]", "", (style.get(_w("val"), "") if style is not None
                                                     else "").lower()), 0)
    if level:  # "I. ..." in capitals, as DocWriter.heading1 writes it
        heading = _BLOCK_RE.sub("", text).strip()
        heading = heading.upper() if level == 1 else heading
        w.append_paragraph_xml(f'<w:pStyle w:val="CCHCHeading{level}"/>',
                               f'<w:r><w:t xml:space="preserve">{escape(heading)}</w:t></w:r>')
        return
    props = ""
    jc = ppr.find(_w("jc")) if ppr is not None else None
    if jc is not None and jc.get(_w("val")) in ("center", "right"):
        props += '<w:ind w:firstLine="0"/>'
        props += f'<w:jc w:val="{jc.get(_w("val"))}"/>'
    spacing = ppr.find(_w("spacing")) if ppr is not None else None
    if spacing is not None:
        before = int(spacing.get(_w("before"), "0") or 0)
        after = int(spacing.get(_w("after"), "0") or 0)
        if before > 120 or after > 0:  # kept, never below the decree's 6 pt (120 twips)
            props = (f'<w:spacing w:before="{max(before, 120)}" w:after="{max(after, 0)}"/>'
                     + props)
    runs = []
    for r in p.iter(_w("r")):
        piece = _BLOCK_RE.sub("", "".join(
            (el.text or "") if el.tag == _w("t") else "\t" if el.tag == _w("tab") else "\n"
            for el in r.iter(_w("t"), _w("tab"), _w("br"), _w("cr"))))
        if not piece:
            continue
        rpr = r.find(_w("rPr"))
        marks = "".join(f"<w:{tag}/>" for tag in ("b", "i") if _on(rpr, tag))
        if _on(rpr, "u"):
            marks += '<w:u w:val="single"/>'
        lines = escape(piece).split("\n")
        inner = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
        runs.append(f"<w:r>{f'<w:rPr>{marks}</w:rPr>' if marks else ''}{inner}</w:r>")
    w.append_paragraph_xml(props, "".join(runs))


def _read_closing(tbl) -> tuple[list[str], list[str]]:  # noqa: ANN001 - lxml w:tbl
    """The recipients' lines (after "Nơi nhận:") and the signature's lines of the table."""
    row = tbl.find(_w("tr"))
    cells = row.findall(_w("tc")) if row is not None else []
    if not cells:
        return [], []
    recipients = [line for p in cells[0].iter(_w("p")) for line in _text(p).split("\n")
                  if line.strip() and not line.strip().lower().startswith("nơi nhận")]
    signature = [line for p in cells[-1].iter(_w("p")) for line in _text(p).split("\n")]
    return recipients, signature
