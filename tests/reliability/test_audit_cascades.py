"""The audit log sees what the database cascades and what bulk statements touch.

Deleting a plan takes its tasks (and their notes, extensions and evidence links);
replacing or editing a framework takes criteria, scores and links; clearing scores
and removing an index result are bulk statements. Each lost row must leave a
"delete" row with its old snapshot, and a rolled-back operation must leave none.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.services import documents, index_results, plans, scoring
from cchc_desktop.services import tasks as task_service
from cchc_desktop.services.units import create_unit
from cchc_desktop.store.audit import list_audit
from cchc_desktop.store.models import (
    AuditEntry,
    Criterion,
    Evidence,
    EvidenceLink,
    Plan,
    Score,
    ScoringFramework,
    Task,
)


def deletes(db: Any, entity: str) -> dict[int, dict[str, Any]]:
    """Entity id -> old snapshot of every "delete" row of ``entity``."""
    with db.session() as s:
        return {r.entity_id: json.loads(r.old_value) for r in list_audit(s, entity=entity)
                if r.action == "delete"}


def audit_count(db: Any) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)))


def add_evidence(s: Any, name: str, **target: int) -> int:
    """A stored file linked to one target; returns the link's id."""
    evidence = Evidence(sha256=name.encode().hex().ljust(64, "0")[:64], original_name=name,
                        size=10)
    s.add(evidence)
    s.flush()
    link = EvidenceLink(evidence_id=evidence.id, **target)
    s.add(link)
    s.flush()
    return link.id


def fill_plan(any_db: Any) -> Any:
    """A plan of three tasks: one with a supporting unit, a progress note, an extension
    and an evidence link; and a task of another plan that must stay."""
    with any_db.session() as s:
        lead = create_unit(s, "Văn phòng Sở", "VP")
        helper = create_unit(s, "Thanh tra Sở", "TTr")
        plan = plans.save_plan(s, title="Kế hoạch CCHC năm 2024", year=2024)
        other = plans.save_plan(s, title="Kế hoạch tuyên truyền 2024", year=2024,
                                kind="propaganda")
        ids = []
        for i in range(3):
            task = task_service.create_task(s, TaskDraft(
                content=f"Nhiệm vụ {i + 1}", lead_unit_id=lead.id, year=2024,
                due_date=date(2024, 6, 30), supporting_unit_ids=[helper.id] if i == 0 else []),
                plan_id=plan.id)
            ids.append(task.id)
        task_service.add_progress(s, ids[0], date(2024, 3, 1), "Đã xây dựng dự thảo", 40)
        task_service.extend_deadline(s, ids[0], date(2024, 9, 30), "Chờ ý kiến Sở Nội vụ")
        link = add_evidence(s, "du_thao.pdf", task_id=ids[0])
        keep = task_service.create_task(s, TaskDraft(content="Tuyên truyền", lead_unit_id=lead.id,
                                                     year=2024), plan_id=other.id)
    any_db.ids = {"plan": plan.id, "tasks": ids, "link": link, "keep": keep.id,
                  "helper": helper.id}
    return any_db


@pytest.fixture
def plan_db(any_db: Any) -> Any:
    return fill_plan(any_db)


@pytest.mark.parametrize("delete", [plans.delete_plan, plans.delete_plan_with_snapshot])
def test_deleting_a_plan_records_every_task_and_child(plan_db: Any, delete: Callable) -> None:
    ids = plan_db.ids
    with plan_db.session() as s:
        delete(s, ids["plan"])
    assert set(deletes(plan_db, "plan")) == {ids["plan"]}
    tasks = deletes(plan_db, "task")
    assert set(tasks) == set(ids["tasks"])  # the other plan's task stays out of it
    assert tasks[ids["tasks"][0]]["content"] == "Nhiệm vụ 1"
    assert tasks[ids["tasks"][0]]["plan_id"] == ids["plan"]
    assert tasks[ids["tasks"][0]]["due_date"] == "2024-09-30"
    assert tasks[ids["tasks"][0]]["supporting_units"] == [ids["helper"]]
    [progress] = deletes(plan_db, "progress_update").values()
    assert (progress["note"], progress["percent"]) == ("Đã xây dựng dự thảo", 40)
    [extension] = deletes(plan_db, "deadline_extension").values()
    assert extension["reason"] == "Chờ ý kiến Sở Nội vụ"
    links = deletes(plan_db, "evidence_link")
    assert list(links) == [ids["link"]] and links[ids["link"]]["task_id"] == ids["tasks"][0]
    with plan_db.session() as s:
        assert s.get(Task, ids["keep"]) is not None


def test_deleting_a_task_records_its_evidence_link(plan_db: Any) -> None:
    ids = plan_db.ids
    with plan_db.session() as s:
        task_service.delete_task(s, ids["tasks"][0])
    links = deletes(plan_db, "evidence_link")
    assert links[ids["link"]]["task_id"] == ids["tasks"][0]
    assert set(deletes(plan_db, "task")) == {ids["tasks"][0]}


def test_deleting_a_plan_of_500_tasks_reads_its_rows_in_batches(any_db: Any) -> None:
    """The cascade is read a few hundred rows per query, not one query per task (the time it
    takes is a benchmark's business; the number of statements is what makes it fast)."""
    from sqlalchemy import event

    with any_db.session() as s:
        unit = create_unit(s, "Văn phòng Sở")
        plan = Plan(year=2024, title="Kế hoạch lớn")
        s.add(plan)
        s.flush()
        s.add_all(Task(plan_id=plan.id, year=2024, content=f"Nhiệm vụ {i}", position=i,
                       lead_unit_id=unit.id) for i in range(500))
        s.flush()
        plan_id, first = plan.id, min(t.id for t in plan.tasks)
        add_evidence(s, "a.pdf", task_id=first)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(any_db.engine, "before_cursor_execute", count)
    try:
        with any_db.session() as s:
            assert plans.delete_plan(s, plan_id) == 500
    finally:
        event.remove(any_db.engine, "before_cursor_execute", count)
    assert len(deletes(any_db, "task")) == 500 and len(deletes(any_db, "evidence_link")) == 1
    assert 0 < len(statements) < 100, len(statements)  # batched, whatever 500 tasks hold


def fill_scores(any_db: Any) -> Any:
    """The 2024 template with two scores and an evidence link on 1.1.1."""
    with any_db.session() as s:
        scoring.load_template(s, 2024)
        scoring.set_score(s, 2024, "1.1.1", score=1, note="Ban hành ngày 05/01")
        scoring.set_score(s, 2024, "2.3", score=0.5)
        crit = s.scalar(select(Criterion).where(Criterion.code == "1.1.1"))
        link = add_evidence(s, "qd.pdf", criterion_id=crit.id)
        any_db.ids = {
            "criteria": {c.code: c.id for c in s.scalars(select(Criterion))},
            "scores": {sc.criterion.code: sc.id for sc in s.scalars(select(Score))},
            "framework": s.scalar(select(ScoringFramework.id)),
            "link": link,
        }
    return any_db


@pytest.fixture
def scored_db(any_db: Any) -> Any:
    return fill_scores(any_db)


def test_replacing_a_framework_records_its_criteria_scores_and_links(scored_db: Any) -> None:
    ids = scored_db.ids
    with scored_db.session() as s:
        scoring.load_template(s, 2024, replace=True)
    assert set(deletes(scored_db, "scoring_framework")) == {ids["framework"]}
    criteria = deletes(scored_db, "criterion")
    assert set(criteria) == set(ids["criteria"].values())
    assert criteria[ids["criteria"]["1.1.1"]]["code"] == "1.1.1"
    scores = deletes(scored_db, "score")
    assert set(scores) == set(ids["scores"].values())
    assert scores[ids["scores"]["1.1.1"]]["self_note"] == "Ban hành ngày 05/01"
    assert scores[ids["scores"]["1.1.1"]]["self_score"] == 1
    assert deletes(scored_db, "evidence_link")[ids["link"]]["criterion_id"] == \
        ids["criteria"]["1.1.1"]


def test_deleting_a_criterion_records_sub_criteria_scores_and_links(scored_db: Any) -> None:
    from cchc_desktop.services.framework_edit import delete_criterion

    ids = scored_db.ids
    with scored_db.session() as s:
        assert delete_criterion(s, 2024, "1.1") == 3
    criteria = deletes(scored_db, "criterion")
    assert set(criteria) == {ids["criteria"][c] for c in ("1.1", "1.1.1", "1.1.2")}
    assert criteria[ids["criteria"]["1.1.2"]]["parent_id"] == ids["criteria"]["1.1"]
    scores = deletes(scored_db, "score")
    assert list(scores) == [ids["scores"]["1.1.1"]]  # 2.3's score is untouched
    assert scores[ids["scores"]["1.1.1"]]["self_score"] == 1
    assert list(deletes(scored_db, "evidence_link")) == [ids["link"]]


def test_clearing_scores_records_every_score(scored_db: Any) -> None:
    ids = scored_db.ids
    with scored_db.session() as s:
        assert scoring.clear_scores(s, 2024) == 2
    scores = deletes(scored_db, "score")
    assert set(scores) == set(ids["scores"].values())
    assert scores[ids["scores"]["2.3"]]["self_score"] == 0.5
    assert scores[ids["scores"]["2.3"]]["criterion_id"] == ids["criteria"]["2.3"]


def test_removing_an_index_result_records_it(any_db: Any) -> None:
    with any_db.session() as s:
        row = index_results.set_index_result(s, "PAR INDEX", 2023, 85.5, "03/18", "Tăng 2 bậc")
        index_results.set_index_result(s, "SIPAS", 2023, 82.0)
    with any_db.session() as s:
        assert index_results.delete_index_result(s, "PAR INDEX", 2023)
        assert not index_results.delete_index_result(s, "PAR INDEX", 2023)
    removed = deletes(any_db, "index_result")
    assert list(removed) == [row.id]
    assert (removed[row.id]["score"], removed[row.id]["rank"], removed[row.id]["note"]) == (
        85.5, 3, "Tăng 2 bậc")


def test_deleting_a_document_records_tasks_set_to_null_and_links(any_db: Any) -> None:
    with any_db.session() as s:
        unit = create_unit(s, "Văn phòng Sở")
        doc = documents.save_document(s, "36/KH-UBND", date(2024, 1, 26), issuer="UBND tỉnh")
        task = task_service.create_task(s, TaskDraft(content="Rà soát TTHC", lead_unit_id=unit.id,
                                                     year=2024), document_id=doc.id)
        link = add_evidence(s, "kh36.pdf", document_id=doc.id)
        doc_id, task_id = doc.id, task.id
    with any_db.session() as s:
        documents.delete_document(s, doc_id)
    with any_db.session() as s:
        rows = list_audit(s, entity="task", entity_id=task_id)
    assert [(r.action, r.field, r.old_value, r.new_value) for r in rows if r.action == "update"] \
        == [("update", "document_id", str(doc_id), None)]
    assert deletes(any_db, "evidence_link")[link]["document_id"] == doc_id
    assert deletes(any_db, "document")[doc_id]["symbol"] == "36/KH-UBND"
    # Undo points the tasks at the document again: a bulk UPDATE, recorded too.
    with any_db.session() as s:
        again = documents.save_document(s, "36/KH-UBND", date(2024, 1, 26), issuer="UBND tỉnh")
        documents.cite_document(s, again.id, [task_id])
        new_id = again.id
    with any_db.session() as s:
        rows = list_audit(s, entity="task", entity_id=task_id)
    assert rows[0].action == "update" and rows[0].field == "document_id"
    assert (rows[0].old_value, rows[0].new_value) == (None, str(new_id))


def _operations() -> dict[str, Callable[[Any, Any], Any]]:
    from cchc_desktop.services.framework_edit import delete_criterion

    return {
        "delete_plan": lambda s, ids: plans.delete_plan(s, ids["plan"]),
        "delete_task": lambda s, ids: task_service.delete_task(s, ids["tasks"][0]),
        "replace_framework": lambda s, ids: scoring.load_template(s, 2024, replace=True),
        "delete_criterion": lambda s, ids: delete_criterion(s, 2024, "1.1"),
        "clear_scores": lambda s, ids: scoring.clear_scores(s, 2024),
        "delete_index_result": lambda s, ids: index_results.delete_index_result(s, "PCI", 2023),
    }


@pytest.mark.parametrize("operation", list(_operations()))
def test_a_rolled_back_operation_leaves_no_audit_row(any_db: Any, operation: str) -> None:
    with any_db.session() as s:
        index_results.set_index_result(s, "PCI", 2023, 66.1)
    db = fill_plan(any_db) if "task" in operation or "plan" in operation \
        else fill_scores(any_db)
    before = audit_count(db)
    with db.session() as s:
        counts = {m: s.scalar(select(func.count()).select_from(m))
                  for m in (Task, Criterion, Score, EvidenceLink)}
    with pytest.raises(RuntimeError), db.session() as s:
        _operations()[operation](s, db.ids)
        s.flush()
        assert s.scalar(select(func.count()).select_from(AuditEntry)) > before  # written...
        raise RuntimeError("mất điện")
    assert audit_count(db) == before  # ...and gone with the rest of the transaction
    with db.session() as s:
        assert {m: s.scalar(select(func.count()).select_from(m)) for m in counts} == counts


def test_rows_with_text_keys_are_each_recorded(any_db: Any) -> None:
    from sqlalchemy import update

    from cchc_desktop.store.models import Setting

    with any_db.session() as s:
        present = set(s.scalars(select(Setting.key)))  # what migrations put there
        s.add_all([Setting(key="signer", value='"Cầm Văn An"'), Setting(key="city", value='"X"')])
    with any_db.session() as s:
        for setting in s.scalars(select(Setting)):
            s.delete(setting)
        s.flush()
        s.add(Setting(key="place", value='"Y"'))
        s.flush()
        s.execute(update(Setting).where(Setting.key == "place").values(value='"Z"'))
    with any_db.session() as s:
        rows = list_audit(s, entity="setting")
    gone = {json.loads(r.old_value)["key"] for r in rows if r.action == "delete"}
    assert gone == {"signer", "city"} | present
    assert [(r.field, r.old_value, r.new_value) for r in rows if r.action == "update"] == [
        ("value", '"Y"', '"Z"')]
