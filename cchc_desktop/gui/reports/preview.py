"""The figures of a report as a small HTML page, for the Báo cáo tab's preview pane."""

from __future__ import annotations

from html import escape

from cchc_desktop.domain.status import STATUS_LABELS, StatusClass
from cchc_desktop.domain.text import format_date_vn, format_number_vi
from cchc_desktop.services.reports import ReportData


def preview_html(data: ReportData, own_documents: int | None = None) -> str:
    """The figures of a report as a small HTML page for the preview pane (``own_documents``:
    how many of the window's directing documents the department issued, Phụ lục I)."""
    n = format_number_vi
    s = data.summary
    parts = [
        f"<h3>{escape(data.period.title_vi)}</h3>",
        f"<p>Số liệu từ ngày {format_date_vn(data.start)} đến ngày {format_date_vn(data.end)}; "
        f"tình trạng nhiệm vụ tính đến ngày {format_date_vn(data.as_of)}.</p>",
        f"<p><b>Nhiệm vụ:</b> tổng số {n(s['total'])}</p><ul>",
    ]
    parts += [f"<li>{escape(STATUS_LABELS[c])}: {n(s[c.value])}</li>" for c in StatusClass]
    parts.append("</ul>")
    a = data.assigned_summary
    if a["total"]:
        parts.append(f"<p>Trong đó cấp trên giao: {n(a['total'])}, chưa hoàn thành quá hạn "
                     f"{n(a['open_overdue'])}</p>")
    if data.completion_rate is not None:
        parts.append(f"<p>Tỷ lệ hoàn thành: {n(data.completion_rate, 2)}%</p>")
    own = len(data.documents) if own_documents is None else own_documents
    parts.append(f"<p><b>Văn bản chỉ đạo, triển khai của cơ quan trong kỳ:</b> {n(own)} "
                 f"(phụ lục văn bản)</p>")
    if data.by_unit:
        parts.append("<p><b>Theo đơn vị chủ trì</b> (đã hoàn thành / tổng số, quá hạn):</p><ul>")
        parts += [f"<li>{escape(u.unit)}: {n(u.done)}/{n(u.total)} ({n(u.rate, 1)}%), "
                  f"quá hạn {n(u.overdue)}</li>" for u in data.by_unit]
        parts.append("</ul>")
    p = data.procedures
    if p is not None:
        parts.append(f"<p><b>Thủ tục hành chính:</b> tiếp nhận {n(p.received)} hồ sơ, đúng hạn "
                     f"{n(p.resolved_on_time)}, quá hạn {n(p.resolved_late)}, đang giải quyết "
                     f"{n(p.in_progress)}</p>")
    else:
        parts.append("<p><b>Thủ tục hành chính:</b> chưa có số liệu trong kỳ</p>")
    if data.indexes:
        parts.append("<p><b>Kết quả các chỉ số:</b></p><ul>")
        parts += [f"<li>{escape(r.index_name)} {r.year}: "
                  f"{n(r.score, 2) if r.score is not None else '—'}</li>" for r in data.indexes]
        parts.append("</ul>")
    return "".join(parts)
