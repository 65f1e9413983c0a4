"""The stored search and sort columns of tasks and units, and the one function that fills them.

A task keeps, beside its text:

- ``content_key``: its content folded (:func:`~cchc_desktop.domain.text.fold`), the key
  imports match rows on;
- ``search_text``: everything of the task's own text the search box looks in (content,
  output, assigning body, timing), folded. Unit names and document symbols are not copied
  in: a unit renamed would leave thousands of rows stale, so search matches those through
  the small units and documents tables (:func:`cchc_desktop.services.task_queries.apply_filter`);
- ``content_sort``, ``timing_sort``, ``assigned_by_sort``: the Vietnamese sort keys
  (:func:`~cchc_desktop.domain.text.vi_sort_text`) of the text columns the task list sorts by
  (only ``content_sort`` is indexed: the other two have few distinct values).

A unit keeps ``name_sort``, its name's sort key.

:func:`task_index_values` and :func:`unit_index_values` compute them; every way a row is
written must use them. ORM writes get them from the mapper events (:func:`fill_task`, :func:`fill_unit`, registered
in store/models.py); a Core bulk insert
(the demo, a fast import) merges :func:`task_index_values` into each row it writes.

On SQLite the full-text table ``tasks_fts`` (FTS5, trigram tokenizer, contentless: it
indexes each ``tasks.search_text`` followed by two spaces) is kept in step by SQL triggers,
so whatever writes ``tasks`` keeps it right. On PostgreSQL a pg_trgm GIN index on ``tasks.search_text`` does the same work.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cchc_desktop.domain.text import fold, vi_sort_text

TASK_INDEX_COLUMNS = ("content_key", "search_text", "content_sort", "timing_sort",
                      "assigned_by_sort")
# Outputs, timings and assigning bodies repeat from row to row: their keys are remembered.
_repeated_sort_text = lru_cache(maxsize=4096)(vi_sort_text)
_repeated_fold = lru_cache(maxsize=4096)(fold)


def task_index_values(
    content: str | None,
    output: str | None = None,
    assigned_by: str | None = None,
    timing_text: str | None = None,
) -> dict[str, str]:
    """The derived columns of a task (:data:`TASK_INDEX_COLUMNS`) from its text.

    Every writer of ``tasks`` uses it: the ORM through the events below, a Core bulk
    insert by merging the result into each row.
    """
    content_key = fold(content)
    parts = (content_key, _repeated_fold(output or ""), _repeated_fold(assigned_by or ""),
             _repeated_fold(timing_text or ""))
    return {
        "content_key": content_key,
        "search_text": " ".join(p for p in parts if p),
        "content_sort": vi_sort_text(content),
        "timing_sort": _repeated_sort_text(timing_text or ""),
        "assigned_by_sort": _repeated_sort_text(assigned_by or ""),
    }


def unit_index_values(name: str | None) -> dict[str, str]:
    """The derived columns of a unit (``name_sort``)."""
    return {"name_sort": vi_sort_text(name)}


def fill_task(_mapper: Any, _connection: Any, task: Any) -> None:
    """Mapper event (store/models.py): set a task's derived columns from its text."""
    values = task_index_values(task.content, task.output, task.assigned_by, task.timing_text)
    for key, value in values.items():
        if getattr(task, key) != value:
            setattr(task, key, value)


def fill_unit(_mapper: Any, _connection: Any, unit: Any) -> None:
    """Mapper event (store/models.py): set a unit's sort key from its name."""
    value = vi_sort_text(unit.name)
    if unit.name_sort != value:
        unit.name_sort = value


# SQLite: the full-text table and the triggers that keep it in step with tasks.search_text.
# Only LIKE '%...%' is asked of it (no ranking, no phrases): detail='none' and columnsize=0
# keep the index to the trigrams themselves, a third of the default size.
# The index holds each text followed by two spaces (SQLITE_FTS_PAD): every occurrence of a
# word under three characters then begins a trigram, so the trigrams that begin with the
# word (a range of the index's terms, read through the fts5vocab table tasks_fts_terms) find
# exactly the tasks that hold it. The table is contentless (content=''): it indexes what the
# triggers give it and reads no other table (a view of padded texts as its content would
# stop any later migration from rebuilding ``tasks``).
SQLITE_FTS_PAD = "  "
SQLITE_FTS_DDL = (
    "CREATE VIRTUAL TABLE tasks_fts USING fts5(search_text, content='', "
    "tokenize='trigram', detail='none', columnsize=0)",
    "CREATE VIRTUAL TABLE tasks_fts_terms USING fts5vocab(tasks_fts, row)",
    "CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN "
    "INSERT INTO tasks_fts(rowid, search_text) "
    f"VALUES (new.id, new.search_text || '{SQLITE_FTS_PAD}'); END",
    "CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN "
    "INSERT INTO tasks_fts(tasks_fts, rowid, search_text) "
    f"VALUES ('delete', old.id, old.search_text || '{SQLITE_FTS_PAD}'); END",
    "CREATE TRIGGER tasks_fts_update AFTER UPDATE OF search_text ON tasks "
    "WHEN old.search_text IS NOT new.search_text BEGIN "
    "INSERT INTO tasks_fts(tasks_fts, rowid, search_text) "
    f"VALUES ('delete', old.id, old.search_text || '{SQLITE_FTS_PAD}'); "
    "INSERT INTO tasks_fts(rowid, search_text) "
    f"VALUES (new.id, new.search_text || '{SQLITE_FTS_PAD}'); END",
)
# The index made again from every task in one pass (after a bulk load, in a migration).
SQLITE_FTS_FILL = (
    "INSERT INTO tasks_fts(tasks_fts) VALUES ('delete-all')",
    "INSERT INTO tasks_fts(rowid, search_text) "
    f"SELECT id, search_text || '{SQLITE_FTS_PAD}' FROM tasks",
)
SQLITE_FTS_TRIGGERS = ("tasks_fts_insert", "tasks_fts_delete", "tasks_fts_update")
# What SQLITE_FTS_DDL creates, in the order to drop it.
SQLITE_FTS_OBJECTS = (*(("TRIGGER", name) for name in SQLITE_FTS_TRIGGERS),
                      ("TABLE", "tasks_fts_terms"), ("TABLE", "tasks_fts"))

# The index as revision 0008 created it, external content over search_text alone
# (migration 0008 builds it, so that 0012 upgrades a database as it really was; 0012's
# downgrade restores it).
SQLITE_FTS_UNPADDED_DDL = (
    "CREATE VIRTUAL TABLE tasks_fts USING fts5(search_text, content='tasks', "
    "content_rowid='id', tokenize='trigram', detail='none', columnsize=0)",
    "CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN "
    "INSERT INTO tasks_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN "
    "INSERT INTO tasks_fts(tasks_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER tasks_fts_update AFTER UPDATE OF search_text ON tasks "
    "WHEN old.search_text IS NOT new.search_text BEGIN "
    "INSERT INTO tasks_fts(tasks_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO tasks_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild')",
)

POSTGRES_TRGM_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_tasks_search_text_trgm ON tasks "
    "USING gin (search_text gin_trgm_ops)",
)
