"""Unit workbooks out and back in: services.unit_sheets with exporters/importers around it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from cchc_desktop.errors import ConflictError, ValidationError
from cchc_desktop.exporters.unit_sheets_xlsx import export_unit_sheets
from cchc_desktop.services import unit_sheets as us
from cchc_desktop.services.task_queries import summarize_tasks
from cchc_desktop.services.tasks import draft_from_task, get_task, update_task
from cchc_desktop.store.models import AuditEntry, ExtensionRequest, ProgressUpdate, Task, Unit
from tests.conftest import DEMO_TODAY
from tests.unit_sheets.helpers import COL, copy_row, fill, sheet_of, task_rows


@pytest.fixture
def sheets(demo_db, tmp_path: Path) -> list[Path]:
    with demo_db.session() as session:
        return export_unit_sheets(session, tmp_path / "out", DEMO_TODAY)


def _office(sheets: list[Path]) -> Path:
    return sheet_of(sheets, "Van_phong_So")


def _open_ids(db, path: Path, count: int) -> list[int]:
    """Tasks of the workbook that were assigned well before the demo's today, open, with a
    deadline (so an extension request makes sense)."""
    ids = sorted(task_rows(path))
    with db.session() as session:
        chosen = [t.id for t in session.scalars(select(Task).where(Task.id.in_(ids)))
                  if t.completed_on is None and t.due_date is not None
                  and (t.assigned_on is None or t.assigned_on <= date(2024, 10, 1))]
    assert len(chosen) >= count
    return chosen[:count]


def _preview(db, *paths: Path) -> list[us.FilePreview]:
    with db.session() as session:
        return [us.preview_unit_sheet(session, p, today=DEMO_TODAY) for p in paths]


def _apply(db, previews, **kw) -> us.MergeReceipt:
    with db.session() as session:
        return us.apply_unit_sheets(session, previews, today=DEMO_TODAY, **kw)


def test_one_workbook_per_lead_unit_with_locked_and_fill_in_columns(demo_db, sheets) -> None:
    with demo_db.session() as session:
        leads = set(session.scalars(select(Unit.name).join(Task, Task.lead_unit_id == Unit.id)
                                    .where((Task.completed_on.is_(None))
                                           | (Task.completed_on > DEMO_TODAY))))
    assert len(sheets) == len(leads)
    path = _office(sheets)
    assert path.name == "Phieu_cap_nhat_Van_phong_So_20241120.xlsx"
    ws = openpyxl.load_workbook(path).active
    assert ws.protection.sheet
    assert ws.column_dimensions[openpyxl.utils.get_column_letter(COL["key"])].hidden
    row = next(iter(task_rows(path).values()))
    assert ws.cell(row=row, column=COL["content"]).protection.locked
    assert not ws.cell(row=row, column=COL["completed_on"]).protection.locked
    assert not ws.cell(row=row, column=COL["percent"]).protection.locked
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert kinds == {"date", "whole"}
    assert "Hướng dẫn" in ws["A3"].value
    assert all(p.mergeable and not p.of_kind("change") for p in _preview(demo_db, *sheets))


def test_round_trip_merges_only_what_the_unit_filled(demo_db, sheets) -> None:
    path = _office(sheets)
    done, progress, extend, locked = _open_ids(demo_db, path, 4)
    with demo_db.session() as session:
        due = get_task(session, extend).due_date
        old_content = get_task(session, locked).content
        before = summarize_tasks(session, DEMO_TODAY)
    fill(path, done, completed_on=date(2024, 11, 18), result="Báo cáo số 15/BC-VP")
    fill(path, progress, percent=40, note="Đang lấy ý kiến các phòng")
    fill(path, extend, extension_to=due + timedelta(days=30), extension_reason="Chờ hướng dẫn")
    fill(path, locked, content="Nội dung do đơn vị tự sửa")

    [preview] = _preview(demo_db, path)
    assert preview.mergeable
    assert {r.task_id for r in preview.of_kind("change")} == {done, progress, extend}
    assert preview.ignored == [f"dòng {task_rows(path)[locked]}: đơn vị sửa cột “Nội dung "
                               "nhiệm vụ”: không áp dụng"]
    receipt = _apply(demo_db, [preview])
    assert (receipt.rows, len(receipt.completions), len(receipt.progress_ids),
            len(receipt.request_ids)) == (3, 1, 1, 1)

    with demo_db.session() as session:
        task = get_task(session, done)
        assert (task.completed_on, task.completion_note) == (date(2024, 11, 18),
                                                            "Báo cáo số 15/BC-VP")
        update = session.scalars(select(ProgressUpdate).where(
            ProgressUpdate.task_id == progress)).all()[-1]
        assert (update.percent, update.note, update.source, update.on_date) == (
            40, "Đang lấy ý kiến các phòng", "Văn phòng Sở", DEMO_TODAY)
        request = session.scalars(select(ExtensionRequest)).one()
        assert (request.task_id, request.status, request.source) == (extend, "pending",
                                                                     "Văn phòng Sở")
        assert get_task(session, extend).due_date == due  # only queued, not granted
        assert get_task(session, locked).content == old_content
        after = summarize_tasks(session, DEMO_TODAY)
        audited = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity == "task", AuditEntry.entity_id == done,
            AuditEntry.field == "completed_on"))
    assert audited == 1
    assert after["total"] == before["total"]
    done_delta = sum(after[k] - before[k] for k in ("done_on_time", "done_late"))
    assert done_delta == 1
    # Importing the same file again changes nothing.
    [again] = _preview(demo_db, path)
    assert not again.of_kind("change") and not again.of_kind("conflict")


def test_conflict_is_never_overwritten_silently(demo_db, sheets) -> None:
    path = _office(sheets)
    clash, other = _open_ids(demo_db, path, 2)
    with demo_db.session() as session:  # the secretary records a result after the export
        draft = draft_from_task(get_task(session, clash))
        draft.completion_note = "Văn phòng ghi: đã có dự thảo"
        update_task(session, clash, draft)
    fill(path, clash, result="Đơn vị ghi: đã ban hành", completed_on=date(2024, 11, 19))
    fill(path, other, percent=70)
    [preview] = _preview(demo_db, path)
    [conflict] = preview.of_kind("conflict")
    assert conflict.task_id == clash
    assert {(c.name, c.current, c.returned) for c in conflict.changes} >= {
        ("completion_note", "Văn phòng ghi: đã có dự thảo", "Đơn vị ghi: đã ban hành")}
    with pytest.raises(ConflictError):
        _apply(demo_db, [preview])
    with demo_db.session() as session:
        assert session.scalar(select(func.count()).select_from(ProgressUpdate).where(
            ProgressUpdate.source != "")) == 0
    receipt = _apply(demo_db, [preview], skip_conflicts=True)
    assert (receipt.rows, receipt.skipped_conflicts) == (1, 1)
    with demo_db.session() as session:
        assert get_task(session, clash).completion_note == "Văn phòng ghi: đã có dự thảo"
    # The secretary looks at both values and takes the unit's.
    [preview] = _preview(demo_db, path)
    _apply(demo_db, [preview], take_conflicts={(str(path), conflict.row)})
    with demo_db.session() as session:
        assert get_task(session, clash).completion_note == "Đơn vị ghi: đã ban hành"


def test_task_changed_between_preview_and_merge_is_a_conflict(demo_db, sheets) -> None:
    path = _office(sheets)
    [task_id] = _open_ids(demo_db, path, 1)
    fill(path, task_id, completed_on=date(2024, 11, 19))
    [preview] = _preview(demo_db, path)
    with demo_db.session() as session:
        draft = draft_from_task(get_task(session, task_id))
        draft.note = "sửa trong lúc xem trước"
        update_task(session, task_id, draft)
    with pytest.raises(ConflictError):
        _apply(demo_db, [preview])
    with demo_db.session() as session:
        assert get_task(session, task_id).completed_on is None


def test_workbook_of_another_database_is_refused(demo_db, tmp_path: Path) -> None:
    from cchc_desktop.services.demo import build_demo
    from cchc_desktop.store.db import open_database

    other = open_database(str(tmp_path / "other.sqlite3"), auto_backup=False)
    try:
        with other.session() as session:
            build_demo(session, 40, seed=3, today=DEMO_TODAY)
            files = export_unit_sheets(session, tmp_path / "other", DEMO_TODAY)
    finally:
        other.close()
    [preview] = _preview(demo_db, files[0])
    assert "cơ sở dữ liệu khác" in preview.refused
    with pytest.raises(ValidationError):
        _apply(demo_db, [preview])


def test_rows_of_another_unit_and_tampered_keys_refuse_the_file(demo_db, sheets) -> None:
    office, staff = _office(sheets), sheet_of(sheets, "To_chuc_can_bo")
    mine = _open_ids(demo_db, office, 1)[0]
    theirs = _open_ids(demo_db, staff, 2)
    fill(office, mine, percent=50)
    pasted = copy_row(staff, theirs[0], office)
    wb = openpyxl.load_workbook(office)
    ws = wb.active
    row = task_rows(office)[mine]
    ws.cell(row=pasted, column=COL["percent"]).value = 90
    key = ws.cell(row=row, column=COL["key"]).value
    parts = key.split(":")
    parts[3] = str(theirs[1])  # point the row at another unit's task
    tampered_row = ws.max_row + 1
    for col in range(1, COL["key"]):
        ws.cell(row=tampered_row, column=col).value = ws.cell(row=row, column=col).value
    ws.cell(row=tampered_row, column=COL["key"]).value = ":".join(parts)
    wb.save(office)

    [preview] = _preview(demo_db, office)
    problems = {r.row: r.problem for r in preview.of_kind("problem")}
    assert "đơn vị khác" in problems[pasted]
    assert "khóa ẩn" in problems[tampered_row]
    assert not preview.mergeable
    with pytest.raises(ValidationError):
        _apply(demo_db, [preview])
    with demo_db.session() as session:  # nothing of the file was written
        assert session.scalar(select(func.count()).select_from(ProgressUpdate).where(
            ProgressUpdate.source != "")) == 0


def test_task_now_led_by_another_unit_is_refused(demo_db, sheets) -> None:
    office = _office(sheets)
    [task_id] = _open_ids(demo_db, office, 1)
    fill(office, task_id, percent=30)
    with demo_db.session() as session:
        task = get_task(session, task_id)
        draft = draft_from_task(task)
        draft.lead_unit_id = session.scalar(select(Unit.id).where(Unit.id != task.lead_unit_id,
                                                                  Unit.name.like("Thanh tra%")))
        draft.supporting_unit_ids = [u for u in draft.supporting_unit_ids
                                     if u != draft.lead_unit_id]
        update_task(session, task_id, draft)
    [preview] = _preview(demo_db, office)
    [problem] = preview.of_kind("problem")
    assert "đơn vị khác chủ trì" in problem.problem


def test_bad_values_and_formulas_are_row_problems(demo_db, sheets) -> None:
    office = _office(sheets)
    a, b, c, d = _open_ids(demo_db, office, 4)
    fill(office, a, percent=150)
    fill(office, b, completed_on="31/02/2024")
    fill(office, c, percent="=40+2")
    fill(office, d, completed_on=date(2030, 1, 1))
    [preview] = _preview(demo_db, office)
    problems = {r.task_id: r.problem for r in preview.of_kind("problem")}
    assert "0 đến 100" in problems[a]
    assert "Ngày không hợp lệ" in problems[b]
    assert "công thức" in problems[c]
    assert "sau ngày hôm nay" in problems[d]


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04broken zip"])
def test_wrong_files_are_refused_with_a_reason(demo_db, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "tra_loi.xlsx"
    path.write_bytes(content)
    [preview] = _preview(demo_db, path)
    assert preview.refused and not preview.rows


def test_ordinary_workbook_is_not_a_unit_sheet(demo_db, tmp_path: Path) -> None:
    path = tmp_path / "bang.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["STT", "Nội dung"])
    wb.active.append([1, "Một việc"])
    wb.save(path)
    [preview] = _preview(demo_db, path)
    assert "không phải phiếu cập nhật" in preview.refused


def test_huge_sheets_are_refused(demo_db, sheets, monkeypatch) -> None:
    from cchc_desktop.importers import unit_sheets_xlsx

    monkeypatch.setattr(unit_sheets_xlsx, "MAX_ROWS", 3)
    [preview] = _preview(demo_db, _office(sheets))
    assert "quá nhiều" in preview.refused
    monkeypatch.setattr(unit_sheets_xlsx, "MAX_FILE_BYTES", 1000)
    [preview] = _preview(demo_db, _office(sheets))
    assert "quá lớn" in preview.refused


def test_merge_can_be_undone_and_redone(demo_db, sheets) -> None:
    path = _office(sheets)
    done, progress = _open_ids(demo_db, path, 2)
    fill(path, done, completed_on=date(2024, 11, 18))
    fill(path, progress, percent=20, note="Bắt đầu")
    receipt = _apply(demo_db, _preview(demo_db, path))
    with demo_db.session() as session:
        us.revert_unit_import(session, receipt)
    with demo_db.session() as session:
        assert get_task(session, done).completed_on is None
        assert not session.scalars(select(ProgressUpdate).where(
            ProgressUpdate.source != "")).all()
    with demo_db.session() as session:
        us.revert_unit_import(session, receipt, undo=False)
    with demo_db.session() as session:
        assert get_task(session, done).completed_on == date(2024, 11, 18)
        assert session.scalars(select(ProgressUpdate.note).where(
            ProgressUpdate.source != "")).all() == ["Bắt đầu"]


def test_supporting_rows_are_read_only_information(demo_db, tmp_path: Path) -> None:
    with demo_db.session() as session:
        files = export_unit_sheets(session, tmp_path, DEMO_TODAY, include_supporting=True)
        [preview] = [us.preview_unit_sheet(session, f, today=DEMO_TODAY) for f in files
                     if "Van_phong_So" in f.name]
    ws = openpyxl.load_workbook(preview.path).active
    info = [r for r in range(1, ws.max_row + 1)
            if ws.cell(row=r, column=COL["key"]).value == us.INFO_KEY]
    assert info
    assert ws.cell(row=info[0], column=COL["percent"]).protection.locked
    assert preview.mergeable


def test_text_that_looks_like_a_formula_stays_text(demo_db, tmp_path: Path) -> None:
    with demo_db.session() as session:
        task = session.scalars(select(Task).where(Task.completed_on.is_(None),
                                                  Task.lead_unit_id.is_not(None))).first()
        draft = draft_from_task(task)
        draft.content = '=HYPERLINK("http://x","bấm vào đây")'
        update_task(session, task.id, draft)
        task_id = task.id
        files = export_unit_sheets(session, tmp_path, DEMO_TODAY)
    path = next(f for f in files if task_id in task_rows(f))
    ws = openpyxl.load_workbook(path).active
    cell = ws.cell(row=task_rows(path)[task_id], column=COL["content"])
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    [preview] = _preview(demo_db, path)
    assert preview.mergeable and preview.ignored == []


def test_a_failure_half_way_leaves_the_database_as_it_was(demo_db, sheets, monkeypatch) -> None:
    from cchc_desktop.errors import EnvironmentProblem

    path = _office(sheets)
    [done] = _open_ids(demo_db, path, 1)
    # One row: the completion is written first, then the progress note fails.
    fill(path, done, completed_on=date(2024, 11, 18), percent=10)
    previews = _preview(demo_db, path)

    def broken(*_args, **_kw):
        raise EnvironmentProblem("Ổ đĩa đầy.")

    monkeypatch.setattr(us, "add_progress", broken)
    with demo_db.session() as session:
        audit_before = session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(EnvironmentProblem):
        _apply(demo_db, previews)
    with demo_db.session() as session:
        assert get_task(session, done).completed_on is None
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before


def test_round_trip_on_both_databases(any_db, tmp_path: Path) -> None:
    from cchc_desktop.services.demo import build_demo

    with any_db.session() as session:
        build_demo(session, 60, seed=5, today=DEMO_TODAY)
        files = export_unit_sheets(session, tmp_path, DEMO_TODAY)
    path = max(files, key=lambda f: len(task_rows(f)))
    [task_id] = _open_ids(any_db, path, 1)
    fill(path, task_id, completed_on=date(2024, 11, 15), percent=100, note="Đã xong")
    receipt = _apply(any_db, _preview(any_db, path))
    assert receipt.rows == 1
    with any_db.session() as session:
        assert get_task(session, task_id).completed_on == date(2024, 11, 15)
        us.revert_unit_import(session, receipt)
    with any_db.session() as session:
        assert get_task(session, task_id).completed_on is None


def test_the_same_task_in_two_returned_files_is_refused(demo_db, sheets, tmp_path) -> None:
    import shutil

    path = _office(sheets)
    [task_id] = _open_ids(demo_db, path, 1)
    fill(path, task_id, percent=30)
    twice = tmp_path / "gui_lai.xlsx"
    shutil.copy(path, twice)
    fill(twice, task_id, percent=35)
    with pytest.raises(ValidationError, match="hai dòng"):
        _apply(demo_db, _preview(demo_db, path, twice))


def test_a_sheet_sent_before_the_glossary_renamed_a_header_is_still_read(demo_db, sheets) -> None:
    """Sheets sent out headed "Hạn hoàn thành" come back after the header became "Thời hạn"."""
    path = _office(sheets)
    [done] = _open_ids(demo_db, path, 1)
    fill(path, done, completed_on=date(2024, 11, 18))
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = next(c for row in ws.iter_rows() for c in row if c.value == "Thời hạn")
    header.value = "Hạn hoàn thành"
    wb.save(path)
    [preview] = _preview(demo_db, path)
    assert preview.mergeable
    assert {r.task_id for r in preview.of_kind("change")} == {done}
