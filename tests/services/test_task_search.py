"""Search ignoring diacritics and Vietnamese sort order, both done by the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from cchc_desktop.domain.task_rules import TaskDraft
from cchc_desktop.domain.text import fold, vi_sort_key
from cchc_desktop.services import tasks as svc
from cchc_desktop.services.task_queries import (
    TaskFilter,
    list_tasks,
    sort_expression,
    summarize_tasks,
)
from cchc_desktop.services.units import create_unit
from cchc_desktop.store.db import make_engine, open_database
from cchc_desktop.store.migrate import _config
from cchc_desktop.store.models import Task, Unit
from cchc_desktop.store.search_columns import task_index_values

AS_OF = date(2024, 6, 1)
TASK_COLUMNS = ("content", "lead_unit", "supporting_units", "timing_text", "due_date",
                "completed_on", "status", "assigned_by", "area", "year")


@pytest.fixture
def lead(any_db) -> int:
    with any_db.session() as s:
        return create_unit(s, "Văn phòng Sở", "VP").id


def _add(db, lead: int, content: str, **kw) -> int:
    with db.session() as s:
        draft = TaskDraft(content=content, lead_unit_id=lead, year=2024, **kw)
        return svc.create_task(s, draft).id


def _found(db, query: str) -> set[int]:
    with db.session() as s:
        return {r.id for r in list_tasks(s, AS_OF, TaskFilter(search=query))}


def test_search_finds_substrings_ignoring_diacritics(any_db, lead) -> None:
    training = _add(any_db, lead, "Đào tạo, bồi dưỡng công chức", output="Kế hoạch")
    merge = _add(any_db, lead, "Sáp nhập trường phổ thông dân tộc", timing_text="Quý II")
    harmony = _add(any_db, lead, "Khảo sát sự hài lòng (hoà giải)", assigned_by="UBND tỉnh")
    assert _found(any_db, "dao tao") == {training}
    assert _found(any_db, "ĐÀO") == {training}
    assert _found(any_db, "boi duong cong") == {training}
    assert _found(any_db, "hòa giải") == {harmony}  # the other tone placement
    assert _found(any_db, "nhap truong") == {merge}  # a substring across words
    assert _found(any_db, "quy ii") == {merge}  # the timing is searched too
    assert _found(any_db, "ubnd tinh") == {harmony}
    assert _found(any_db, "ke hoach") == {training}  # and the output
    assert _found(any_db, "dt") == set()  # short words fall back to LIKE
    assert _found(any_db, "ch") == {training}
    assert _found(any_db, "dao xyz") == set()
    assert _found(any_db, "50%") == set()  # LIKE wildcards are plain characters
    odd = _add(any_db, lead, "Tỷ lệ 50%_/ đạt")
    assert _found(any_db, "50%_/") == {odd}
    assert _found(any_db, "%_/ dat") == {odd}
    assert _found(any_db, "0%_") == {odd}
    assert _found(any_db, "van phong") == {training, merge, harmony, odd}  # the lead unit
    with any_db.session() as s:
        assert summarize_tasks(s, AS_OF, TaskFilter(search="dao"))["total"] == 1


def test_search_follows_create_update_delete_and_bulk_insert(any_db, lead) -> None:
    first = _add(any_db, lead, "Rà soát thủ tục hành chính")
    assert _found(any_db, "ra soat") == {first}
    with any_db.session() as s:
        svc.update_task(s, first, TaskDraft(content="Số hóa hồ sơ", lead_unit_id=lead, year=2024))
    assert _found(any_db, "ra soat") == set()
    assert _found(any_db, "so hoa") == {first}
    with any_db.session() as s:  # a Core bulk insert, as the demo and fast imports write
        content = "Tuyên truyền cải cách hành chính"
        s.execute(insert(Task), [{
            "content": f"{content} {n}", "year": 2024, "lead_unit_id": lead, "version": 1,
            **task_index_values(f"{content} {n}"),
        } for n in range(3)])
    bulk = _found(any_db, "tuyen truyen")
    assert len(bulk) == 3
    with any_db.session() as s:  # a Core update of the text, with its derived columns
        s.execute(update(Task).where(Task.id == first)
                  .values(content="Tuyên truyền", **task_index_values("Tuyên truyền")))
    assert _found(any_db, "tuyen truyen") == bulk | {first}
    with any_db.session() as s:
        s.execute(delete(Task).where(Task.id.in_(bulk)))
    assert _found(any_db, "tuyen truyen") == {first}
    with any_db.session() as s:
        svc.delete_task(s, first)
    assert _found(any_db, "tuyen") == set()


def test_fts_table_matches_the_tasks_after_writes(db) -> None:
    with db.session() as s:
        unit = create_unit(s, "Văn phòng Sở", "VP").id
    ids = [_add(db, unit, f"Nhiệm vụ số {n}") for n in range(5)]
    with db.session() as s:
        svc.update_task(s, ids[0], TaskDraft(content="Đổi nội dung", lead_unit_id=unit,
                                             year=2024))
        svc.delete_task(s, ids[1])
    with db.session() as s:
        s.execute(text("INSERT INTO tasks_fts(tasks_fts, rank) VALUES ('integrity-check', 1)"))
        assert_index_holds_the_tasks(s)
        count = s.scalar(text("SELECT count(*) FROM tasks_fts WHERE tasks_fts MATCH "
                              "'\"vu \" AND \"u s\" AND \" so\"'"))
        assert count == 3


def assert_index_holds_the_tasks(session) -> None:
    """The SQLite trigram index holds, for each term, exactly the tasks whose text followed
    by two spaces contains it (and every such trigram is a term)."""
    texts = dict(session.execute(text("SELECT id, search_text || '  ' FROM tasks")).all())
    expected: dict[str, int] = {}
    for padded in texts.values():
        for gram in {padded[i:i + 3] for i in range(len(padded) - 2)}:
            expected[gram] = expected.get(gram, 0) + 1
    terms = dict(session.execute(text("SELECT term, doc FROM tasks_fts_terms")).all())
    assert terms == expected


@pytest.mark.parametrize("key", TASK_COLUMNS)
def test_sort_expression_covers_every_column(any_db, lead, key) -> None:
    for content in ("Bảo vệ", "Ăn", "An"):
        _add(any_db, lead, content)
    with any_db.session() as s:
        ids = s.scalars(select(Task.id).order_by(sort_expression(key), Task.id)).all()
        assert len(ids) == 3


def test_sort_expression_orders_vietnamese_names(any_db) -> None:
    names = ["Đồng", "Dung", "Âu", "Ăn", "An", "Ba", "bà", "Bả", "Uyên", "Ưng", "Ô", "Ơn", "Ong",
             "Phòng 10", "Phòng 2", "Zê", "Yên"]
    with any_db.session() as s:
        units = {create_unit(s, name, "").id: name for name in names}
        for unit_id in units:
            s.add(Task(content=units[unit_id], year=2024, lead_unit_id=unit_id))
        s.flush()
        expected = sorted(names, key=lambda n: vi_sort_key(n)[:2])
        by_content = s.scalars(
            select(Task.content).order_by(sort_expression("content"), Task.id)).all()
        assert by_content == expected
        by_unit = s.scalars(
            select(Task.content).order_by(sort_expression("lead_unit"), Task.id)).all()
        assert by_unit == expected
        assert s.scalars(select(Unit.name).order_by(Unit.name_sort)).all() == expected
    assert expected.index("Dung") < expected.index("Đồng")
    assert expected.index("An") < expected.index("Ăn") < expected.index("Âu")
    assert expected.index("Phòng 2") < expected.index("Phòng 10")


def test_sort_by_dates_puts_empty_last_and_status_follows_the_official_order(any_db, lead):
    late = _add(any_db, lead, "a", due_date=date(2024, 1, 10))
    open_ = _add(any_db, lead, "b")
    done = _add(any_db, lead, "c", due_date=date(2030, 1, 10), completed_on=date(2024, 1, 5))
    with any_db.session() as s:
        assert s.scalars(select(Task.id).order_by(sort_expression("due_date"), Task.id)
                         ).all() == [late, done, open_]
        # done on time < open overdue < open without a deadline
        assert s.scalars(select(Task.id).order_by(sort_expression("status"), Task.id)
                         ).all() == [done, late, open_]


def test_demo_fills_the_derived_columns(db) -> None:
    from cchc_desktop.services.demo import build_demo

    with db.session() as s:
        build_demo(s, 120, seed=3, today=date(2024, 11, 20))
    with db.session() as s:
        tasks = s.execute(select(Task.content, Task.output, Task.assigned_by, Task.timing_text,
                                 Task.content_key, Task.search_text, Task.content_sort,
                                 Task.timing_sort, Task.assigned_by_sort)).all()
        assert len(tasks) == 120
        for row in tasks:
            assert tuple(row[4:]) == tuple(task_index_values(*row[:4]).values())
        assert all(s.scalars(select(Unit.name_sort)))
        assert_index_holds_the_tasks(s)


def _database_at(path: Path, revision: str, unit: str):  # noqa: ANN202
    """A SQLite file at schema ``revision`` with one unit (id 1) named ``unit``."""
    from alembic import command

    engine = make_engine(f"sqlite:///{path}")
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.execute(text("INSERT INTO units (id, name, kind, active, position, created_at) "
                          "VALUES (1, :name, 'division', 1, 1, '2022-01-01')"), {"name": unit})
    return engine


def test_upgrade_fills_existing_tasks(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = _database_at(path, "0007", "Đội quản lý")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO tasks (id, year, position, content, content_key, output, "
            "timing_text, lead_unit_id, completion_note, note, created_at, updated_at, "
            "version) VALUES (:i, 2022, :i, :c, '', 'Báo cáo', 'Quý II', 1, '', '', "
            "'2022-01-01', '2022-01-01', 1)"),
            [{"i": task_id, "c": f"Đẩy mạnh cải cách {task_id}"}
             for task_id in range(1, 12_001)])  # more than one batch
    engine.dispose()
    db = open_database(str(path))
    try:
        with db.session() as s:
            row = s.execute(select(Task.content_key, Task.search_text, Task.content_sort)
                            .where(Task.id == 12_000)).one()
            assert tuple(row) == tuple(task_index_values(
                "Đẩy mạnh cải cách 12000", "Báo cáo", None, "Quý II").values())[:3]
            assert s.scalar(select(Unit.name_sort)) != ""
            assert len(list_tasks(s, AS_OF, TaskFilter(search="day manh cai cach 1200"))) == 3
    finally:
        db.close()


def test_demo_load_leaves_the_indexes_and_triggers_as_the_schema_has_them(db) -> None:
    from cchc_desktop.services.demo import build_demo

    def schema() -> set[tuple[str, str]]:
        with db.session() as s:
            return set(s.execute(text(
                "SELECT type, name FROM sqlite_master WHERE tbl_name IN "
                "('tasks', 'task_supporting_units') AND type IN ('index', 'trigger')")).all())

    before = schema()
    assert ("trigger", "tasks_fts_insert") in before
    with db.session() as s:
        build_demo(s, 50, seed=3, today=date(2024, 11, 20))
    assert schema() == before


def test_a_large_demo_spreads_tasks_over_years(db, monkeypatch) -> None:
    from cchc_desktop.services import demo

    monkeypatch.setattr(demo, "_TASKS_PER_YEAR", 40)  # as 100,000 are, at a small scale
    with db.session() as s:
        demo.build_demo(s, 200, seed=3, today=date(2024, 11, 20))
    with db.session() as s:
        years = dict(s.execute(select(Task.year, text("count(*)")).group_by(Task.year)).all())
    assert sorted(years) == [2020, 2021, 2022, 2023, 2024]
    assert all(30 <= n <= 80 for n in years.values())


@pytest.mark.parametrize("common", [1, 2000])
def test_short_words_match_the_same_tasks_however_common(any_db, lead, monkeypatch,
                                                         common) -> None:
    # A word under three letters is looked for without the trigram index; on PostgreSQL its
    # matches are gathered first when they are few (under task_search._COMMON).
    from cchc_desktop.services import task_search

    monkeypatch.setattr(task_search, "_COMMON", common)
    first = _add(any_db, lead, "Chuyển đổi số")
    second = _add(any_db, lead, "Cải cách hành chính", output="Kế hoạch")
    _add(any_db, lead, "Rà soát thủ tục")
    assert _found(any_db, "ch") == {first, second}
    assert _found(any_db, "cH đổi") == {first}
    assert _found(any_db, "xy") == set()
    assert _found(any_db, "ke ch") == {second}
    with any_db.session() as s:
        assert summarize_tasks(s, AS_OF, TaskFilter(search="oi"))["total"] == 1


def test_a_page_checks_supporting_units_row_by_row_and_finds_the_same_tasks(any_db,
                                                                           lead) -> None:
    # A word in a supporting unit's name: a page of the list probes each row's links (it
    # stops with the page); a count may gather every link first. Both find the same tasks.
    from cchc_desktop.services.task_queries import apply_filter, count_tasks, task_ids

    with any_db.session() as s:
        helper = create_unit(s, "Phòng Pháp chế", "PC").id
    supported = _add(any_db, lead, "Rà soát văn bản", supporting_unit_ids=[helper])
    _add(any_db, lead, "Cải cách hành chính")
    flt = TaskFilter(search="phap che")
    with any_db.session() as s:
        assert task_ids(s, flt, AS_OF) == [supported]
        assert count_tasks(s, flt, AS_OF) == 1
        page = apply_filter(s, select(Task.id), flt, AS_OF, in_order=True)
        sql = str(page.compile(s.get_bind()))
        assert "EXISTS" in sql
        if any_db.engine.dialect.name == "postgresql":
            # OFFSET 0 keeps the planner from hashing every link before the first row.
            plan = "\n".join(r[0] for r in s.execute(
                text("EXPLAIN " + str(page.compile(s.get_bind(), compile_kwargs={
                    "literal_binds": True})).replace("%%", "%"))))
            assert "hashed SubPlan" not in plan


@pytest.mark.parametrize(("common", "term_rows"), [(2000, 100_000), (3, 4)])
def test_every_short_word_finds_exactly_the_tasks_that_hold_it(any_db, lead, monkeypatch,
                                                               common, term_rows) -> None:
    # SQLite finds a word under three letters through the trigrams it begins (the index
    # holds each text followed by two spaces, so a word at the very end begins one too);
    # the small limits send common words down the row-by-row path instead.
    from cchc_desktop.services import task_search

    monkeypatch.setattr(task_search, "_COMMON", common)
    monkeypatch.setattr(task_search, "_TERM_ROWS", term_rows)
    texts = ["Xây dựng kế hoạch năm 2024", "Quý IV", "z", "Đề án số 13/ĐA", "k€ 😀x",
             "kiểm tra kỷ luật, kỷ cương", "Tỷ lệ 50%_/ đạt"]
    ids = {_add(any_db, lead, content): fold(content) for content in texts}
    unit = fold("Văn phòng Sở")
    words = {t[i:i + n] for t in ids.values() for n in (1, 2) for i in range(len(t) - n + 1)}
    words = {w for w in words if " " not in w} | {"xy", "qq", "\U0010ffff", "\ud7ff"}
    for word in sorted(words):
        expected = set(ids) if word in unit else {i for i, t in ids.items() if word in t}
        assert _found(any_db, word) == expected, word


def test_upgrade_to_0012_pads_the_index_and_downgrade_restores_it(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old.sqlite3"
    engine = _database_at(path, "0011", "Đội")
    config = _config()
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO tasks (id, year, position, content, content_key, search_text, "
            "output, timing_text, lead_unit_id, completion_note, note, created_at, "
            "updated_at, version) VALUES (1, 2022, 1, 'Đề án 13', 'de an 13', 'de an 13', "
            "'', '', 1, '', '', '2022-01-01', '2022-01-01', 1)"))

    def objects() -> set[str]:
        with engine.connect() as conn:
            return set(conn.scalars(text("SELECT name FROM sqlite_master "
                                         "WHERE name LIKE 'tasks_fts%'")))

    assert "tasks_fts_terms" not in objects()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0012")
    assert {"tasks_fts_terms", "tasks_fts_insert"} <= objects()
    with Session(engine) as session:  # the last two characters begin a trigram ("13 ")
        assert_index_holds_the_tasks(session)
        assert session.scalar(text("SELECT doc FROM tasks_fts_terms WHERE term = '13 '")) == 1
    engine.dispose()
    db = open_database(str(path))
    try:
        with db.session() as s:
            assert [r.id for r in list_tasks(s, AS_OF, TaskFilter(search="13"))] == [1]
    finally:
        db.close()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0011")
    assert objects() >= {"tasks_fts", "tasks_fts_insert"}
    assert "tasks_fts_terms" not in objects()
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH '\"n 1\"'")) == 1
    engine.dispose()
