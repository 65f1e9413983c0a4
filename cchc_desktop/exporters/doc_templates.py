"""Templates the office owns: the body, fixed sentences, recipients and signature of a document.

Each document kind has a .docx template the office can open and edit in Word. It holds what
follows the title: the outline's headings, the fixed sentences, and a two-column table with
"Nơi nhận:" on the left and the signature block on the right. Data goes in through fields
written as docxtpl (Jinja2) writes them, ``{{ so_ky_hieu }}``, ``{{ ngay }}``,
``{{ noi_nhan }}``, ``{{ nguoi_ky }}``; a paragraph holding nothing but a *block* field
(``{{ muc_area1 }}``, ``{{ bang_don_vi }}``) is replaced by what the code writes there: a
section's text, a table, a chart.

The national header (quốc hiệu, tiêu ngữ, số/ký hiệu, place and date), the title and every
table stay written by :class:`~cchc_desktop.exporters.docx_base.DocWriter`, and the template's
paragraphs are copied into its document with its styles: A4, margins, Times New Roman and the
decree's sizes hold whatever fonts or page size the template has (those are warned about, not
used). A template that cannot be read falls back to the shipped one with a warning.

docxtpl renders the fields: Word splits a field typed in a document into several runs (spell
check, an edit in the middle) and docxtpl joins them again before Jinja2 sees the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO

__all__ = ["TemplateKind", "TEMPLATE_KINDS", "TemplateProblem", "build_default",
           "check_template", "template_kind"]

_A4_MM = (210, 297)


class TemplateProblem(Exception):  # noqa: N818 - a reason, shown as such
    """A template that cannot be used at all (not a .docx, broken field syntax)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Fields every kind knows: the frame's data, for sentences that repeat it.
COMMON_FIELDS: dict[str, str] = {
    "so_ky_hieu": "số, ký hiệu văn bản (263/BC-SGDĐT)",
    "ngay": "ngày ban hành (ngày 07 tháng 6 năm 2021)",
    "co_quan": "tên cơ quan trong câu văn (Sở GD&ĐT tỉnh Sơn La)",
    "co_quan_chu_quan": "cơ quan chủ quản (UBND TỈNH SƠN LA)",
    "dia_danh": "địa danh (Sơn La)",
    "nam": "năm",
    "noi_nhan": "các dòng Nơi nhận (theo loại văn bản, trong Thông tin cơ quan)",
    "tham_quyen": "quyền hạn ký (KT. GIÁM ĐỐC)",
    "chuc_vu": "chức vụ người ký (PHÓ GIÁM ĐỐC)",
    "nguoi_ky": "họ và tên người ký",
}


@dataclass(frozen=True)
class TemplateKind:
    """A document kind with a template: its key (CLI), name, shipped file and fields.

    ``fields`` are replaced inside sentences; ``blocks`` stand alone in a paragraph and are
    replaced by what the code writes there; ``required`` must appear in the template.
    """

    key: str
    label: str
    file_name: str
    fields: dict[str, str]
    blocks: dict[str, str]
    required: tuple[str, ...]
    # The default body: (style, text) pairs; style "h1", "h2", "h3", "body" or "center".
    default_body: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    default_recipients_head: str = "Nơi nhận:"

    @property
    def known(self) -> set[str]:
        """Every field and block name this kind's template may use."""
        return set(COMMON_FIELDS) | set(self.fields) | set(self.blocks)


def _report_kind(kind_value: str, label: str, file_name: str) -> TemplateKind:
    from cchc_desktop.domain.report_kinds import OutlineHeading, ReportKind, outline

    kind = ReportKind(kind_value)
    blocks = {f"muc_{s.key}": f"nội dung mục “{s.label}” (soạn tại thẻ Báo cáo)"
              for s in _sections(kind)}
    blocks["bieu_do_nhiem_vu"] = "biểu đồ và bảng tình hình nhiệm vụ theo đơn vị chủ trì"
    blocks["bang_chi_so"] = "bảng và biểu đồ kết quả các chỉ số qua các năm"
    body: list[tuple[str, str]] = []
    for item in outline(kind):
        if isinstance(item, OutlineHeading):
            body.append((f"h{item.level}", _caps(item.text) if item.level == 1 else item.text))
            continue
        if item.heading:
            text = item.heading.replace("{next}", "{{ ky_toi }}")
            body.append((f"h{item.level}", _caps(text) if item.level == 1 else text))
        body.append(("body", f"{{{{ muc_{item.key} }}}}"))
        if item.key == "intro":
            body.append(("body", _LEAD[kind]))
        elif item.key == "area1" and kind is not ReportKind.INDEX:
            body.append(("body", "{{ bieu_do_nhiem_vu }}"))
        elif (item.key == "area8" and kind is ReportKind.GENERAL) or item.key == "indexes":
            body.append(("body", "{{ bang_chi_so }}"))
    body.append(("body", _CLOSING[kind]))
    return TemplateKind(
        key=f"report-{kind.value}", label=label, file_name=file_name,
        fields={
            "noi_dung": "công tác được báo cáo (công tác cải cách hành chính)",
            "ky_bao_cao": "kỳ báo cáo trong câu (6 tháng đầu năm 2021)",
            "ky_toi": "kỳ tới trong câu (6 tháng cuối năm 2021)",
            "thoi_gian_so_lieu": "thời gian số liệu (từ ngày 15/12/2020 đến ngày 14/6/2021)",
        },
        blocks=blocks,
        required=(*[f"muc_{s.key}" for s in _sections(kind)], "noi_nhan"),
        default_body=tuple(body),
    )


def _caps(text: str) -> str:
    """Capitals outside the fields: "IV. PHƯƠNG HƯỚNG ... {{ ky_toi }}"."""
    return re.sub(r"(\{\{.*?\}\})|([^{]+|\{)",
                  lambda m: m.group(1) or m.group(2).upper(), text)


def _sections(kind):  # noqa: ANN001, ANN202
    from cchc_desktop.domain.report_kinds import sections

    return sections(kind)


_LEAD = {
    "general": ("{{ co_quan }} báo cáo kết quả thực hiện {{ noi_dung }} {{ ky_bao_cao }}, "
                "nhiệm vụ trọng tâm {{ ky_toi }} (số liệu tính {{ thoi_gian_so_lieu }}) như sau:"),
    "index": ("{{ co_quan }} báo cáo kết quả thực hiện {{ noi_dung }} {{ ky_bao_cao }} "
              "(số liệu tính {{ thoi_gian_so_lieu }}) như sau:"),
}
_LEAD["propaganda"] = _LEAD["general"]
_CLOSING = {
    "general": ("Trên đây là báo cáo kết quả thực hiện {{ noi_dung }} {{ ky_bao_cao }}, nhiệm "
                "vụ trọng tâm {{ ky_toi }}. {{ co_quan }} trân trọng báo cáo./."),
    "index": ("Trên đây là báo cáo kết quả thực hiện {{ noi_dung }} {{ ky_bao_cao }}. "
              "{{ co_quan }} trân trọng báo cáo./."),
}
_CLOSING["propaganda"] = _CLOSING["general"]

_PLAN = TemplateKind(
    key="plan", label="Kế hoạch", file_name="ke_hoach.docx",
    fields={"trich_yeu": "trích yếu trong câu (cải cách hành chính năm 2026)",
            "so_nhiem_vu": "tổng số nhiệm vụ"},
    blocks={"mo_dau": "phần mở đầu của kế hoạch (nhập ở thẻ Kế hoạch)",
            "muc_dich": "các đoạn mục đích theo loại kế hoạch",
            "yeu_cau": "các đoạn yêu cầu theo loại kế hoạch",
            "nhiem_vu": "số nhiệm vụ theo nhóm và tổng số (chi tiết ở phụ lục)"},
    required=("nhiem_vu", "noi_nhan"),
    default_body=(
        ("body", "{{ mo_dau }}"),
        ("body", "{{ co_quan }} ban hành Kế hoạch {{ trich_yeu }} như sau:"),
        ("h1", "I. MỤC ĐÍCH, YÊU CẦU"),
        ("h2", "1. Mục đích"),
        ("body", "{{ muc_dich }}"),
        ("h2", "2. Yêu cầu"),
        ("body", "{{ yeu_cau }}"),
        ("h1", "II. NỘI DUNG, NHIỆM VỤ"),
        ("body", "{{ nhiem_vu }}"),
        ("h1", "III. TỔ CHỨC THỰC HIỆN"),
        ("body", "1. Các phòng, đơn vị thuộc Sở căn cứ nhiệm vụ được giao tại Phụ lục kèm theo, "
                 "chủ động tổ chức thực hiện bảo đảm chất lượng, đúng thời hạn; báo cáo kết quả "
                 "thực hiện về Văn phòng Sở trước ngày 12 của tháng cuối kỳ báo cáo để tổng hợp."),
        ("body", "2. Văn phòng Sở theo dõi, đôn đốc, kiểm tra việc thực hiện Kế hoạch; tổng hợp, "
                 "báo cáo Giám đốc Sở theo quy định."),
        ("body", "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị phản ánh về "
                 "Văn phòng Sở để tổng hợp, báo cáo Giám đốc Sở xem xét, quyết định./."),
    ),
)

_SCORING = TemplateKind(
    key="scoring", label="Báo cáo tự chấm điểm", file_name="tu_cham_diem.docx",
    fields={"can_cu": "bộ tiêu chí được căn cứ",
            "ngay_so_lieu": "ngày tính số liệu (dd/mm/yyyy)"},
    blocks={"tong_diem": "câu tổng điểm tự đánh giá",
            "bang_linh_vuc": "bảng và biểu đồ điểm theo lĩnh vực"},
    required=("tong_diem", "noi_nhan"),
    default_body=(
        ("body", "Căn cứ {{ can_cu }}, {{ co_quan }} đã tự đánh giá, chấm điểm Chỉ số cải cách "
                 "hành chính năm {{ nam }} (số liệu tính đến ngày {{ ngay_so_lieu }}), kết quả "
                 "như sau:"),
        ("body", "{{ tong_diem }}"),
        ("body", "{{ bang_linh_vuc }}"),
        ("body", "Chi tiết điểm tự đánh giá từng tiêu chí, tiêu chí thành phần và tài liệu kiểm "
                 "chứng tại Phụ lục kèm theo."),
        ("body", "Trên đây là kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm "
                 "{{ nam }} của {{ co_quan }}./."),
    ),
)

_LETTER = TemplateKind(
    key="letter", label="Công văn đôn đốc", file_name="cong_van_don_doc.docx",
    fields={"don_vi": "đơn vị nhận công văn",
            "ngay_so_lieu": "ngày tính số liệu (07/6/2021)",
            "so_nhiem_vu": "số nhiệm vụ quá hạn, sắp đến hạn của đơn vị, trong câu"},
    blocks={"bang_nhiem_vu": "bảng nhiệm vụ quá hạn, sắp đến hạn của đơn vị"},
    required=("don_vi", "bang_nhiem_vu", "noi_nhan"),
    default_body=(
        ("center", "Kính gửi: {{ don_vi }}."),
        ("body", "Qua theo dõi tình hình thực hiện nhiệm vụ cải cách hành chính, tính đến ngày "
                 "{{ ngay_so_lieu }}, {{ don_vi }} còn {{ so_nhiem_vu }}, cụ thể như sau:"),
        ("body", "{{ bang_nhiem_vu }}"),
        ("body", "Để bảo đảm tiến độ thực hiện nhiệm vụ cải cách hành chính, {{ co_quan }} đề "
                 "nghị {{ don_vi }} khẩn trương hoàn thành các nhiệm vụ quá hạn, chủ động triển "
                 "khai các nhiệm vụ sắp đến hạn; báo cáo kết quả thực hiện (kèm sản phẩm) về Văn "
                 "phòng Sở để tổng hợp, báo cáo Giám đốc Sở."),
        ("body", "Đề nghị {{ don_vi }} quan tâm thực hiện./."),
    ),
)


def _all_kinds() -> dict[str, TemplateKind]:
    kinds = [
        _report_kind("general", "Báo cáo CCHC định kỳ", "bao_cao_dinh_ky.docx"),
        _report_kind("propaganda", "Báo cáo công tác tuyên truyền CCHC",
                     "bao_cao_tuyen_truyen.docx"),
        _report_kind("index", "Báo cáo thực hiện Kế hoạch cải thiện các chỉ số",
                     "bao_cao_cai_thien_chi_so.docx"),
        _PLAN, _SCORING, _LETTER,
    ]
    return {k.key: k for k in kinds}


TEMPLATE_KINDS: dict[str, TemplateKind] = _all_kinds()


def template_kind(key: str) -> TemplateKind:
    """The kind ``key``; TemplateProblem naming the kinds for anything else."""
    try:
        return TEMPLATE_KINDS[key.strip().lower()]
    except KeyError:
        raise TemplateProblem(f"Loại mẫu văn bản không có: “{key}” (chọn một trong: "
                              f"{', '.join(TEMPLATE_KINDS)})") from None


# ---------------------------------------------------------------------- checking


def _open(data: bytes):  # noqa: ANN202 - DocxTemplate
    from docxtpl import DocxTemplate

    try:
        tpl = DocxTemplate(BytesIO(data))
        tpl.init_docx()
    except Exception:  # noqa: BLE001 - any reader failure means "not a Word file"
        raise TemplateProblem("Tệp không phải tài liệu Word .docx đọc được (hãy lưu mẫu bằng "
                              "Word với định dạng .docx).") from None
    return tpl


def _fields_of(tpl) -> set[str]:  # noqa: ANN001
    from jinja2 import TemplateError

    try:
        return set(tpl.get_undeclared_template_variables())
    except TemplateError as exc:
        lineno = getattr(exc, "lineno", None)
        line = f" (dòng {lineno})" if lineno else ""
        raise TemplateProblem(f"Mẫu có trường viết sai{line}: {exc.message or exc}. Mỗi trường "
                              "viết dạng {{ ten_truong }}.") from None
    except Exception as exc:  # noqa: BLE001 - docxtpl's XML patching on odd documents
        raise TemplateProblem(f"Không đọc được các trường của mẫu: {exc}") from None


def check_template(kind: TemplateKind, data: bytes) -> list[str]:
    """Warnings (Vietnamese) about a template of ``kind``: fields it does not know, required
    fields it lacks, no "Nơi nhận" table, a page that is not A4 portrait, another font.

    Raises TemplateProblem when it cannot be used at all (not a .docx, broken field syntax).
    """
    tpl = _open(data)
    used = _fields_of(tpl)
    warnings = []
    unknown = sorted(used - kind.known)
    if unknown:
        warnings.append(
            f"Mẫu “{kind.label}” có trường chương trình không biết: "
            f"{', '.join('{{ ' + u + ' }}' for u in unknown)}; trường đó in ra trống. Các trường "
            f"dùng được: {', '.join(sorted(kind.known))}.")
    missing = [r for r in kind.required if r not in used]
    if missing:
        warnings.append(
            f"Mẫu “{kind.label}” thiếu trường bắt buộc: "
            f"{', '.join('{{ ' + m + ' }}' for m in missing)}; nội dung đó sẽ không có trong "
            f"văn bản.")
    doc = tpl.docx
    from docx.oxml.ns import qn

    tables = len(doc.element.body.findall(qn("w:tbl")))
    closing = closing_table(doc.element.body)
    if tables > (closing is not None):
        warnings.append(f"Mẫu “{kind.label}” có bảng ngoài bảng “Nơi nhận:” – chữ ký: bảng đó "
                        f"không được in (khung tiêu đề và các bảng số liệu do chương trình tạo).")
    if closing is None:
        warnings.append(f"Mẫu “{kind.label}” không có bảng “Nơi nhận:” – chữ ký: văn bản in "
                        f"Nơi nhận và chữ ký theo Thông tin cơ quan.")
    section = doc.sections[0]
    if section.page_width and section.page_height:
        size = (round(section.page_width.mm), round(section.page_height.mm))
        if size != _A4_MM:
            warnings.append(f"Mẫu “{kind.label}” đặt khổ giấy {size[0]}×{size[1]} mm: văn bản "
                            f"vẫn in khổ A4 dọc theo Nghị định 30/2020/NĐ-CP.")
    fonts = sorted(_fonts_used(doc) - {"Times New Roman"})
    if fonts:
        warnings.append(f"Mẫu “{kind.label}” dùng phông chữ {', '.join(fonts)}: văn bản vẫn in "
                        f"phông Times New Roman theo Nghị định 30/2020/NĐ-CP.")
    return warnings


def _fonts_used(doc) -> set[str]:  # noqa: ANN001
    from docx.oxml.ns import qn

    names = set()
    for root in (doc.element.body, doc.styles.element):
        for fonts in root.iter(qn("w:rFonts")):
            for attr in ("w:ascii", "w:hAnsi"):
                value = fonts.get(qn(attr))
                if value:
                    names.add(value)
    return names


def closing_table(body):  # noqa: ANN001, ANN201 - lxml elements
    """The template's "Nơi nhận" / signature table: the first whose text starts so."""
    from docx.oxml.ns import qn

    for tbl in body.iterchildren(qn("w:tbl")):
        first = "".join(t.text or "" for t in tbl.iter(qn("w:t")))
        if first.strip().lower().startswith("nơi nhận"):
            return tbl
    return None


# ---------------------------------------------------------------------- shipped templates


def build_default(kind: TemplateKind) -> bytes:
    """The shipped template of ``kind`` as .docx bytes, the same bytes on every run (fixed
    dates in the package and in its zip entries), so resources/templates/ is reproducible."""
    import zipfile
    from datetime import datetime

    from docx.shared import Pt

    from cchc_desktop.exporters.docx_base import DocWriter

    w = DocWriter()
    for style, text in kind.default_body:
        if style == "h1":
            w.paragraph(text, "CCHCHeading1")  # heading1() would capitalise the fields too
        elif style in ("h2", "h3"):
            (w.heading2 if style == "h2" else w.heading3)(text)
        else:
            p = w.paragraph(text, align="center" if style == "center" else None)
            if style == "center":  # "Kính gửi: ..." stands apart from the text
                p.paragraph_format.first_line_indent = 0
                p.paragraph_format.space_before = Pt(18)
                p.paragraph_format.space_after = Pt(12)
    w.closing_table([kind.default_recipients_head, "{{ noi_nhan }}"],
                    ["{{ tham_quyen }}", "{{ chuc_vu }}", "", "", "", "", "{{ nguoi_ky }}"])
    core = w.doc.core_properties
    fixed = datetime(2026, 1, 1)
    core.created = core.modified = fixed
    core.last_printed = fixed
    core.author = core.last_modified_by = "CCHC Desktop"
    core.title = kind.label
    core.revision = 1
    raw = BytesIO()
    w.doc.save(raw)
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()
