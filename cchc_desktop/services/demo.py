"""Realistic demo data for a Sở Giáo dục và Đào tạo (used by ``cchc demo`` and benchmarks).

Deterministic for a seed and a reference date: the same arguments give the same
database. Rows are written with bulk inserts so 100,000 tasks take seconds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from cchc_desktop.domain.areas import REFORM_AREAS
from cchc_desktop.domain.text import to_roman
from cchc_desktop.domain.timing import due_date_from_timing
from cchc_desktop.errors import UserError
from cchc_desktop.services.access import require_session_admin
from cchc_desktop.store.bulk_load import empty_tasks_load, insert_rows, sqlite_value
from cchc_desktop.store.models import (
    Document,
    IndexResult,
    Plan,
    PlanGroup,
    ProcedureStats,
    Task,
    Unit,
    task_supporting_units,
)
from cchc_desktop.store.search_columns import (
    TASK_INDEX_COLUMNS,
    task_index_values,
    unit_index_values,
)

DIVISIONS = [
    ("Văn phòng Sở", "VP"),
    ("Phòng Tổ chức cán bộ", "TCCB"),
    ("Phòng Kế hoạch - Tài chính", "KHTC"),
    ("Phòng Giáo dục Mầm non - Tiểu học", "GDMN-GDTH"),
    ("Phòng Giáo dục Trung học", "GDTrH"),
    ("Phòng Giáo dục Thường xuyên - Chuyên nghiệp", "GDTX-CN"),
    ("Phòng Quản lý chất lượng giáo dục và Công nghệ thông tin", "QLCLGD&CNTT"),
    ("Thanh tra Sở", "TTr"),
]
SUBORDINATES = [
    ("Trường THPT Chuyên Sơn La", "THPT Chuyên"),
    ("Trung tâm Giáo dục thường xuyên tỉnh", "TTGDTX"),
    ("Trường THPT Tô Hiệu", "THPT Tô Hiệu"),
    ("Trường Phổ thông Dân tộc nội trú tỉnh", "PTDTNT tỉnh"),
]
# Since 1 July 2025 local government has two levels: the Sở works with the communes and
# wards (xã, phường); the district offices (Phòng GD&ĐT huyện) no longer exist.
COMMUNES = [
    "phường Tô Hiệu", "phường Chiềng An", "phường Chiềng Cơi", "phường Chiềng Sinh",
    "phường Mộc Châu", "phường Mộc Sơn", "phường Vân Sơn", "phường Thảo Nguyên",
    "xã Mai Sơn", "xã Thuận Châu", "xã Sông Mã", "xã Yên Châu",
]
# The Sở Thông tin và Truyền thông merged into the Sở Khoa học và Công nghệ in 2025.
EXTERNAL = [("Sở Nội vụ", "SNV"), ("Sở Khoa học và Công nghệ", "SKHCN")]

# (area, content, output, timing) — typical rows of a CCHC plan's appendix.
PLAN_ROWS = [
    (1, "Xây dựng và triển khai Kế hoạch CCHC, Kế hoạch tuyên truyền CCHC", "Kế hoạch", "Tháng 01 hằng năm"),
    (1, "Thực hiện các nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh giao", "Văn bản", "Thường xuyên"),
    (1, "Công tác thông tin, báo cáo CCHC định kỳ", "Báo cáo", "Định kỳ và đột xuất"),
    (1, "Kiểm tra công tác CCHC tại các đơn vị trực thuộc", "Kế hoạch, Báo cáo", "Quý III"),
    (1, "Tự đánh giá, chấm điểm Chỉ số CCHC của Sở", "Báo cáo chấm điểm", "Quý IV"),
    (2, "Rà soát, hệ thống hóa văn bản quy phạm pháp luật thuộc lĩnh vực giáo dục", "Danh mục VBQPPL", "Năm {year}"),
    (2, "Tham mưu xây dựng văn bản QPPL theo đúng trình tự, thủ tục", "Dự thảo văn bản", "Quý II"),
    (3, "Xây dựng kế hoạch kiểm soát thủ tục hành chính", "Kế hoạch", "Tháng 01 hằng năm"),
    (3, "Rà soát, đánh giá các quy định, thủ tục hành chính", "Báo cáo kết quả rà soát", "Quý II, III hằng năm"),
    (3, "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính", "Báo cáo", "Thường xuyên trong năm"),
    (3, "Công khai thủ tục hành chính trên Cổng dịch vụ công của tỉnh", "Danh mục TTHC", "Quý I"),
    (4, "Xây dựng kế hoạch biên chế hằng năm trình Sở Nội vụ", "Kế hoạch", "Hàng năm"),
    (4, "Sắp xếp lại tổ chức bộ máy các đơn vị sự nghiệp trực thuộc Sở", "Đề án", "Sau khi có Quyết định UBND tỉnh"),
    (5, "Xây dựng và triển khai Kế hoạch đào tạo, bồi dưỡng công chức, viên chức", "Kế hoạch", "Hằng năm"),
    (5, "Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính", "Công văn", "Thường xuyên trong năm"),
    (5, "Đánh giá, xếp loại công chức, viên chức cuối năm", "Báo cáo", "Tháng 12 hằng năm"),
    (6, "Báo cáo tình hình thực hiện cơ chế tự chủ tài chính của đơn vị sự nghiệp", "Báo cáo", "Quý IV"),
    (6, "Thực hiện quy chế chi tiêu nội bộ, công khai tài chính", "Quyết định", "Hàng năm"),
    (7, "Nâng cao tỷ lệ hồ sơ trực tuyến toàn trình", "Báo cáo", "Năm {year}"),
    (7, "Duy trì, cải tiến Hệ thống quản lý chất lượng TCVN ISO 9001:2015", "Quyết định công bố", "Quý III"),
    (7, "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Báo cáo", "15/10/{year}"),
    (8, "Khảo sát sự hài lòng của người dân, tổ chức", "Báo cáo", "Quý IV"),
]
UBND_ROWS = [
    "Báo cáo kết quả thực hiện Chỉ số cải cách hành chính năm {prev}",
    "Triển khai các giải pháp nâng cao Chỉ số hài lòng (SIPAS)",
    "Rà soát, đề xuất phương án đơn giản hóa thủ tục hành chính lĩnh vực giáo dục",
    "Tham mưu kế hoạch chuyển đổi số ngành giáo dục giai đoạn 2021-2025",
    "Báo cáo tình hình tuyển dụng viên chức giáo dục",
    "Kiểm tra, rà soát việc thu, chi đầu năm học tại các cơ sở giáo dục",
    "Tổ chức đối thoại với phụ huynh học sinh về các khoản thu",
    "Xây dựng phương án sắp xếp các trường phổ thông dân tộc bán trú",
    "Báo cáo việc thực hiện Nghị định số 61/2018/NĐ-CP về cơ chế một cửa",
    "Cập nhật cơ sở dữ liệu về cán bộ, công chức, viên chức",
]
ASSIGNERS = ["UBND tỉnh", "Chủ tịch UBND tỉnh", "UBND tỉnh", "Văn phòng UBND tỉnh"]


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`build_demo` wrote."""

    units: int
    plans: int
    tasks: int
    documents: int


def _unit_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name, short in DIVISIONS:
        rows.append({"name": name, "short_name": short, "kind": "division"})
    for name, short in SUBORDINATES:
        rows.append({"name": name, "short_name": short, "kind": "subordinate"})
    for commune in COMMUNES:
        rows.append({"name": f"UBND {commune}", "short_name": "", "kind": "external"})
    for name, short in EXTERNAL:
        rows.append({"name": name, "short_name": short, "kind": "external"})
    for pos, row in enumerate(rows, start=1):
        row["position"] = pos
        row["active"] = True
        row.update(unit_index_values(row["name"]))
    return rows


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _completion(rng: random.Random, due: date | None, start: date, today: date) -> date | None:
    """Pick a completion date (or none) so that every status class occurs."""
    roll = rng.random()
    if due is not None and due < today - timedelta(days=45) and roll < 0.97:
        roll = roll * 0.75 / 0.97  # old tasks are mostly finished, as in a real office
    if due is None:
        done = start + timedelta(days=rng.randint(5, 300))
        # Never later than today: the demo's own export must import again.
        return done if roll < 0.5 and done <= today else None
    if roll < 0.55:
        done = due - timedelta(days=rng.randint(0, 40))
    elif roll < 0.75:
        done = due + timedelta(days=rng.randint(1, 45))
    else:
        return None
    done = max(done, start)
    return done if done <= today else None


_TASKS_PER_YEAR = 100_000
_MAX_YEARS = 10
_TASK_COLUMNS = (
    "id", "plan_id", "document_id", "assigned_by", "assigned_on", "year", "area", "position",
    "group_id", "content", "output", "timing_text", "due_date", "lead_unit_id", "completed_on",
    "completion_note", "note", "created_at", "updated_at", "version", *TASK_INDEX_COLUMNS,
)


def _task_rows(
    rng: random.Random, tasks: int, plan_share: int, year: int, start: date, today: date,
    plan_ids: list[int], group_of: dict[tuple[int, int], int], doc_ids: list[int],
    inside: list[int], first_id: int, leads: list[int], *, sqlite: bool,
) -> Iterator[tuple[Any, ...]]:
    """The demo's tasks as rows in the order of _TASK_COLUMNS (their lead units go to
    ``leads``), made one at a time so that a million never sit in memory together.
    For SQLite, dates are given as it stores them (each distinct date converted once)."""
    texts: dict[Any, Any] = {None: None}

    def stored(value: Any) -> Any:
        if not sqlite:
            return value
        found = texts.get(value)
        if found is None:
            found = texts[value] = sqlite_value(value)
        return found

    now = stored(datetime.now().replace(microsecond=0))
    done_note = "Đã hoàn thành, có văn bản báo cáo."
    # Beyond a year's worth, tasks go back in time: a million is a decade of assignments
    # (the oldest first), not one impossible year. Up to 100,000 tasks, all are this year's.
    years = min(_MAX_YEARS, -(-tasks // _TASKS_PER_YEAR))
    assigned = max(1, tasks - plan_share)
    for i in range(tasks):
        if i < plan_share:
            task_year = year
            area, content, output, timing = PLAN_ROWS[i % len(PLAN_ROWS)]
            timing = timing.format(year=year)
            plan_id: int | None = plan_ids[i // len(PLAN_ROWS) % 2]
            assigned_by, document_id, assigned_on = None, None, date(year, 1, 15)
            due = due_date_from_timing(timing, year)
        else:
            task_year = year - years + 1 + (i - plan_share) * years // assigned
            area = rng.randint(1, 8)
            template = rng.choice(UBND_ROWS).format(prev=task_year - 1)
            content = f"{template} (đợt {i - plan_share + 1})"
            output, plan_id = rng.choice(["Báo cáo", "Kế hoạch", "Văn bản", "Công văn"]), None
            assigned_by = rng.choice(ASSIGNERS)
            document_id = rng.choice(doc_ids)
            year_start = start if task_year == year else date(task_year, 1, 1)
            assigned_on = year_start + timedelta(days=rng.randint(0, 330))
            if rng.random() < 0.12:
                due, timing = None, "Thường xuyên"
            else:
                due = assigned_on + timedelta(days=rng.randint(7, 60))
                timing = f"Trước ngày {due.day:02d}/{due.month:02d}/{due.year}"
        lead = rng.choice(inside)
        leads.append(lead)
        completed = _completion(rng, due, assigned_on, today)
        group_id = group_of.get((plan_id, area)) if plan_id is not None else None
        index = task_index_values(content, output, assigned_by, timing)
        yield (first_id + i, plan_id, document_id, assigned_by, stored(assigned_on), task_year,
               area, i + 1, group_id, content, output, timing, stored(due), lead, stored(completed),
               done_note if completed else "", "", now, now, 1, *index.values())


def _supporting_rows(
    rng: random.Random, leads: list[int], everyone: list[int], first_id: int,
) -> Iterator[tuple[int, int, int]]:
    for offset, lead in enumerate(leads):
        for unit in rng.sample(everyone, rng.randint(0, 3)):
            if unit != lead:
                yield first_id + offset, unit, 0


# What the demo deletes and writes anew (units are kept and completed), with the
# words that describe each in the refusal and in the question.
_REPLACED = (
    (Task, "nhiệm vụ"), (Plan, "kế hoạch"), (Document, "văn bản"),
    (IndexResult, "kết quả chỉ số"), (ProcedureStats, "số liệu TTHC"),
)
DEMO_ACTION = "tạo dữ liệu mẫu (xóa và thay toàn bộ nhiệm vụ, kế hoạch, văn bản)"


class DemoWouldReplace(UserError):
    """The database already holds data that the demo would delete; ``existing`` says what."""

    def __init__(self, existing: dict[str, int]) -> None:
        self.existing = existing
        super().__init__(
            f"Cơ sở dữ liệu đã có dữ liệu ({describe_existing(existing)}); "
            "tạo dữ liệu mẫu sẽ xóa hết chúng nên chưa làm gì."
        )


def existing_data(session: Session) -> dict[str, int]:
    """How many rows of each kind the demo would delete (only the kinds that have rows).

    Administrators only: asking is the first step of replacing them.
    """
    require_session_admin(session, DEMO_ACTION)
    counts = {
        label: int(session.scalar(select(func.count()).select_from(model)) or 0)
        for model, label in _REPLACED
    }
    return {label: n for label, n in counts.items() if n}


def describe_existing(existing: dict[str, int]) -> str:
    """``{"nhiệm vụ": 3, "kế hoạch": 1}`` as "3 nhiệm vụ, 1 kế hoạch"."""
    return ", ".join(f"{n} {label}" for label, n in existing.items())


def build_demo(
    session: Session,
    tasks: int,
    *,
    seed: int = 1,
    today: date | None = None,
    replace: bool = False,
) -> DemoSummary:
    """Fill the database with a demo of about ``tasks`` tasks (administrators only).

    Units, a CCHC plan and a propaganda plan of the reference year, tasks assigned by
    UBND tỉnh with every status class, directing documents, index and TTHC figures; the
    agency profile of a Sở GD&ĐT of Sơn La when the database has none.
    A database that already holds tasks, plans, documents or figures is refused with
    :class:`DemoWouldReplace` unless ``replace`` is true (the caller asked the user
    first): the demo deletes them all.
    """
    existing = existing_data(session)
    if existing and not replace:
        raise DemoWouldReplace(existing)
    rng = random.Random(seed)
    today = today or date.today()
    year = today.year
    from cchc_desktop.services.profile import AgencyProfile, has_profile, save_profile

    if not has_profile(session):  # the demo is a Sở GD&ĐT of Sơn La: its letterhead
        save_profile(session, AgencyProfile(signer="Cầm Văn An"))
    session.execute(delete(task_supporting_units))
    for model in (Task, PlanGroup, Plan, Document, IndexResult, ProcedureStats):
        session.execute(delete(model))
    known_units = {name for (name,) in session.execute(select(Unit.name))}
    new_units = [r for r in _unit_rows() if r["name"] not in known_units]
    if new_units:
        session.execute(insert(Unit), new_units)
    unit_ids = dict(session.execute(select(Unit.name, Unit.id)).all())
    inside = [unit_ids[n] for n, _ in DIVISIONS]
    everyone = [unit_ids[r["name"]] for r in _unit_rows() if r["kind"] != "external"]

    start = date(year, 1, 1)
    documents = [
        {"symbol": "36/KH-UBND", "doc_type": "Kế hoạch", "issued_on": date(year, 1, 26),
         "issuer": "UBND tỉnh", "summary": f"Tuyên truyền công tác cải cách hành chính tỉnh năm {year}"},
        {"symbol": "41/KH-UBND", "doc_type": "Kế hoạch", "issued_on": date(year, 1, 29),
         "issuer": "UBND tỉnh", "summary": "Tuyên truyền về CCHC để nâng cao Chỉ số PAPI"},
    ]
    n_docs = max(12, min(400, tasks // 25))
    for _ in range(n_docs):
        issued = start + timedelta(days=rng.randint(5, 340))
        kind = rng.choice(["KH", "BC", "QĐ", "HD", ""])
        number = rng.randint(2, 2900)
        symbol = f"{number}/{kind}-SGDĐT" if kind else f"{number}/SGDĐT-VP"
        names = {"KH": "Kế hoạch", "BC": "Báo cáo", "QĐ": "Quyết định", "HD": "Hướng dẫn", "": "Công văn"}
        documents.append({
            "symbol": symbol, "doc_type": names[kind], "issued_on": issued, "issuer": "Sở GD&ĐT",
            "summary": f"{names[kind]} về {_lower_first(rng.choice(PLAN_ROWS)[1])}",
        })
    unique: dict[tuple[object, object], dict[str, Any]] = {}
    for doc in documents:
        unique.setdefault((doc["symbol"], doc["issuer"]), doc)
    documents = list(unique.values())
    session.execute(insert(Document), documents)
    doc_ids = list(session.scalars(select(Document.id).where(Document.issuer == "UBND tỉnh")))
    plan_ids = []
    for kind, title, plan_number, issued in (
        ("reform", f"Kế hoạch cải cách hành chính năm {year}", f"{rng.randint(20, 90)}/KH-SGDĐT", date(year, 1, 15)),
        ("propaganda", f"Kế hoạch tuyên truyền cải cách hành chính năm {year}", f"{rng.randint(91, 150)}/KH-SGDĐT", date(year, 2, 1)),
    ):
        plan = Plan(kind=kind, year=year, title=title, number=plan_number, issued_on=issued)
        session.add(plan)
        session.flush()
        plan_ids.append(plan.id)
    # Each plan's own groups: here the eight areas, numbered and titled as the appendix is.
    group_of: dict[tuple[int, int], int] = {}
    for owner in plan_ids:
        for n, area_info in enumerate(REFORM_AREAS, start=1):
            group = PlanGroup(plan_id=owner, position=n, number=to_roman(n),
                              title=area_info.name, area=area_info.code)
            session.add(group)
            session.flush()
            group_of[owner, area_info.code] = group.id

    plan_share = min(len(PLAN_ROWS) * 2, tasks // 2)
    first_id = (session.scalar(select(func.max(Task.id))) or 0) + 1
    leads: list[int] = []  # per task, for the supporting units drawn after all tasks
    rows = _task_rows(rng, tasks, plan_share, year, start, today, plan_ids, group_of,
                      doc_ids, inside, first_id, leads,
                      sqlite=session.get_bind().dialect.name == "sqlite")
    with empty_tasks_load(session):
        written = insert_rows(session, cast(Table, Task.__table__), _TASK_COLUMNS, rows,
                              ahead=True)
        insert_rows(session, task_supporting_units, ("task_id", "unit_id", "position"),
                    _supporting_rows(rng, leads, everyone, first_id))
    session.execute(insert(IndexResult), [
        {"index_name": "PAR INDEX", "year": y, "score": round(88 + rng.random() * 10, 2),
         "rank": rng.randint(1, 8), "out_of": 18, "note": ""}
        for y in range(year - 4, year)
    ] + [
        {"index_name": "SIPAS", "year": y, "score": round(80 + rng.random() * 15, 2),
         "rank": rng.randint(3, 15), "out_of": 21, "note": ""}
        for y in range(year - 4, year)
    ])
    received = rng.randint(3000, 9000)
    late = rng.randint(0, 40)
    progress = rng.randint(50, 400)
    session.execute(insert(ProcedureStats), [{
        "period_start": date(year - 1, 12, 15), "period_end": date(year, 6, 14),
        "procedures_total": 120, "procedures_published": 120, "procedures_online": 96,
        "received": received, "resolved_on_time": received - late - progress,
        "resolved_late": late, "in_progress": progress, "note": "",
    }])
    session.flush()
    return DemoSummary(
        units=len(unit_ids), plans=len(plan_ids), tasks=written, documents=len(documents)
    )
