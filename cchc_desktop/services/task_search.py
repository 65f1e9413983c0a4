"""Search in the task list: every word of the search box, ignoring case and diacritics, in
a task's own text or the names of its units and its document (one rule for the Nhiệm vụ
tab, ``cchc tasks list --search`` and the reports, through
:func:`cchc_desktop.services.task_queries.apply_filter`).

The task's own text is the stored, folded ``tasks.search_text``
(:mod:`cchc_desktop.store.search_columns`), found through a trigram index: SQLite's FTS5
table ``tasks_fts`` (migrations 0008 and 0012), PostgreSQL's pg_trgm GIN index.
"""

from __future__ import annotations

import sys

from sqlalchemy import ColumnElement, and_, column, false, func, literal, or_, select, table
from sqlalchemy.orm import Session

from cchc_desktop.domain.text import fold
from cchc_desktop.store.models import Document, Task, Unit, task_supporting_units

# SQLite's full-text table over tasks.search_text (migrations 0008 and 0012,
# store/search_columns.py) and the list of its terms (trigrams) with their task counts.
_TASKS_FTS = table("tasks_fts", column("rowid"), column("tasks_fts"), column("search_text"))
_FTS_TERMS = table("tasks_fts_terms", column("term"), column("doc"))
_MIN_INDEXED = 3  # the trigram index needs three characters; shorter words scan the column
_COMMON = 2000  # rows from the index beyond which checking rows in list order is faster
_TERM_ROWS = 50 * _COMMON  # tasks counted over a short word's trigrams before it is common
_LIKE_SPECIAL = ("/", "%", "_")  # the escape character itself first


def _like_pattern(word: str) -> str:
    for ch in _LIKE_SPECIAL:
        word = word.replace(ch, "/" + ch)
    return f"%{word}%"


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _trigram_query(words: list[str]) -> str:
    """An FTS5 query asking for every trigram of ``words`` (the index holds no positions)."""
    grams = {word[i:i + _MIN_INDEXED] for word in words
             for i in range(len(word) - _MIN_INDEXED + 1)}
    return " AND ".join(_fts_phrase(gram) for gram in sorted(grams))


def _short_word_ids(session: Session, word: str) -> list[int] | None:
    """SQLite: the tasks whose text holds ``word`` (under three characters), or None when
    thousands do (the list then finds its page faster by checking rows in its own order).

    The index holds each text followed by two spaces, so every occurrence of the word
    begins a trigram: the index's terms from ``word`` up to the next word in code-point
    order are those trigrams, and the tasks that hold any of them hold the word. Counting
    the terms' tasks stops early for a common word (a few ms), as does reading the ids.
    """
    after = ord(word[-1]) + 1
    if after > sys.maxunicode:
        return None
    upper = word[:-1] + chr(0xE000 if 0xD800 <= after <= 0xDFFF else after)  # no surrogate
    terms: list[str] = []
    counted = 0
    rows = session.execute(select(_FTS_TERMS.c.term, _FTS_TERMS.c.doc).where(
        _FTS_TERMS.c.term >= word, _FTS_TERMS.c.term < upper))
    for term, tasks in rows:
        terms.append(term)
        counted += tasks
        if counted >= _TERM_ROWS:
            rows.close()
            return None
    if not terms:
        return []
    match = _TASKS_FTS.c.tasks_fts.match(" OR ".join(_fts_phrase(t) for t in terms))
    found = list(session.scalars(select(_TASKS_FTS.c.rowid).where(match).limit(_COMMON)))
    return None if len(found) >= _COMMON else found


def _own_text_matches(session: Session, words: list[str]) -> ColumnElement[bool]:
    """Tasks whose own folded text holds every word (an index answers where it can).

    SQLite: the rows holding every trigram of the words come from the FTS5 index alone; a
    word longer than three characters is then checked in ``search_text``, since its
    trigrams may sit apart. A shorter word is found through the trigrams it begins
    (:func:`_short_word_ids`). When the words are common (thousands of rows hold them), the
    index would hand over most of the table: the rows are then checked one by one in the
    list's own order, and the first page comes after a few hundred rows.
    PostgreSQL: pg_trgm's index serves the LIKE itself, and the planner makes that choice.
    Words under three characters scan ``search_text`` (through an expression that keeps the
    planner off the trigram index, which cannot narrow them).
    """
    conditions: list[ColumnElement[bool]] = []
    sqlite = session.get_bind().dialect.name == "sqlite"
    indexed = [w for w in words if len(w) >= _MIN_INDEXED] if sqlite else []
    if indexed:
        match = _TASKS_FTS.c.tasks_fts.match(_trigram_query(indexed))
        probe = select(_TASKS_FTS.c.rowid).where(match).limit(_COMMON).subquery()
        if (session.scalar(select(func.count()).select_from(probe)) or 0) >= _COMMON:
            indexed = []
        else:
            conditions.append(Task.id.in_(select(_TASKS_FTS.c.rowid).where(match)))
    for word in words:
        if sqlite and len(word) < _MIN_INDEXED:
            ids = _short_word_ids(session, word)
            if ids is not None:
                conditions.append(Task.id.in_(ids) if ids else false())
                continue
        elif word in indexed and len(word) == _MIN_INDEXED:
            continue  # the index alone answers
        column: ColumnElement[str] = Task.search_text.expression
        if len(word) < _MIN_INDEXED and not sqlite:
            # pg_trgm finds no whole trigram in a short word and its index would hand
            # over every row to recheck (2.8 s at a million tasks; a plain scan: 0.4 s):
            # an expression the index does not cover keeps the planner off it.
            column = Task.search_text.concat("")
        conditions.append(column.like(_like_pattern(word), escape="/"))
    if not sqlite and any(len(w) < _MIN_INDEXED for w in words):
        return _known_when_rare(session, and_(*conditions))
    return and_(*conditions)


def _known_when_rare(session: Session, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """PostgreSQL, a word no index narrows: the matching ids themselves when there are few.

    The list walks its sort index until a page is found; a short word found in few tasks
    then reads the whole table in index order (3 s at a million tasks for "xy"). A scan
    that stops at ``_COMMON`` matches costs a few ms for a common word and one plain scan
    for a rare one, whose ids then stand for the condition.
    """
    found = list(session.scalars(select(Task.id).where(condition).limit(_COMMON)))
    if len(found) >= _COMMON:
        return condition
    return Task.id.in_(found) if found else false()


def _supported_by(session: Session, unit_ids: list[int], in_order: bool
                  ) -> ColumnElement[bool]:
    """Tasks that one of ``unit_ids`` supports, as a condition checked row by row.

    SQLite: for a page (``in_order``) a correlated EXISTS, a probe of the primary key for
    the row at hand (the first page needs a few hundred rows); for a count,
    ``id IN (subquery)``, whose ids it gathers once into a temporary index.
    PostgreSQL: a correlated EXISTS (a probe of the primary key task_id, unit_id): its
    ``IN (subquery)`` under an OR is hashed only when the ids fit in work_mem; a word found
    in most unit names names hundreds of thousands of links, and the plain subplan then
    reads them all again for every task (minutes at a million tasks). The planner may
    still hash the EXISTS (every link read first: right for a count); for a page
    ``OFFSET 0`` keeps it a probe per row, which stops with the page.
    """
    links = task_supporting_units.c
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite and not in_order:
        return (Task.id + 0).in_(select(links.task_id).where(links.unit_id.in_(unit_ids)))
    probe = select(links.task_id).where(links.task_id == Task.id, links.unit_id.in_(unit_ids))
    if in_order and not sqlite:
        probe = probe.offset(0)
    return probe.exists()


def search_condition(session: Session, text: str, *, in_order: bool = False
                     ) -> ColumnElement[bool]:
    """Tasks where every word of ``text`` occurs, ignoring case and diacritics, in the task's
    content, output, assigning body, timing, lead or supporting unit names or document symbol.

    The task's own text is searched in the stored ``search_text`` through the trigram index
    (FTS5 on SQLite, pg_trgm on PostgreSQL); unit names and document symbols are matched in
    their small tables, so renaming a unit never leaves stale rows behind. ``in_order``: a
    supporting unit is looked up for each row at hand (a page of the list needs a few
    hundred rows), not every supported task gathered first (a count reads them all).
    """
    words = fold(text).split()
    if not words:
        return and_(literal(True))
    units = [(uid, fold(name)) for uid, name in session.execute(select(Unit.id, Unit.name))]
    documents = [(did, fold(symbol))
                 for did, symbol in session.execute(select(Document.id, Document.symbol))]
    own_only: list[str] = []
    alternatives: list[ColumnElement[bool]] = []
    for word in words:
        unit_ids = [uid for uid, name in units if word in name]
        doc_ids = [did for did, symbol in documents if word in symbol]
        if not unit_ids and not doc_ids:
            own_only.append(word)
            continue
        either: list[ColumnElement[bool]] = [_own_text_matches(session, [word])]
        if unit_ids:
            # "+ 0": checked row by row in the list's order, never an OR of index lookups
            # (SQLite would then sort every match to give the first page).
            either += [(Task.lead_unit_id + 0).in_(unit_ids),
                       _supported_by(session, unit_ids, in_order)]
        if doc_ids:
            either.append((Task.document_id + 0).in_(doc_ids))
        alternatives.append(or_(*either))
    if own_only:
        alternatives.insert(0, _own_text_matches(session, own_only))
    return and_(*alternatives) if alternatives else false()
