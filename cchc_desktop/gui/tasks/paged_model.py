"""The Nhiệm vụ tab's model: rows read from SQL a page at a time as the view scrolls.

Filtering, search, sorting and counting are done by the database through
:mod:`cchc_desktop.services.task_queries` (the same rule as the CLI), and only a bounded
number of pages is kept (least recently used first out), so a million tasks cost the
memory of a few hundred rows. Each page is one query for the rows and one for their
supporting units, read on the GUI thread when the view first asks for a row of it
(as Anki's browser table does).

On a large database (``defer_counts``) the list does not wait for its count: the first
page is shown at once and the rows grow as the view scrolls (``canFetchMore`` /
``fetchMore``) while a worker thread counts every match; when the count arrives the
list takes its full length (``counted`` is emitted). A count made stale by the next
keystroke is interrupted in the database and its answer dropped. A first page shorter
than a page is its own count: no count query is made.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

from cchc_desktop.gui.tasks.table_models import TASK_COLUMNS, TaskRowsModel
from cchc_desktop.services.task_queries import TaskFilter, TaskRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cchc_desktop.gui.common.jobs import Background

T = TypeVar("T")
PAGE_SIZE = 200  # rows per query: about seven screens
MAX_PAGES = 8  # pages kept; the least recently used goes first


class PagedTaskModel(TaskRowsModel):
    """Tasks matching a :class:`TaskFilter`, sorted by a column, read page by page.

    Attributes:
        filter: the TaskFilter shown (set with :meth:`set_filter`).
        sort_key, descending: the column key sorted by (None: by due date) and its direction.
        last_query_ms: how long the last count or page query took.
        defer_counts: count in a worker thread, showing the first page before the count.
        counting: True while the rows shown are only those read so far.

    Signals:
        counted(): the full count has arrived (the row count is now every match).
    """

    counted = Signal()

    def __init__(self, session: Callable[[], AbstractContextManager[Session]], today: date,
                 columns: Iterable[str] = TASK_COLUMNS, parent=None, *,
                 page_size: int | None = None, max_pages: int | None = None) -> None:
        super().__init__(today, tuple(columns), parent)
        self._session = session
        self.page_size = page_size or PAGE_SIZE
        self.max_pages = max_pages or MAX_PAGES
        self.filter = TaskFilter()
        self.sort_key: str | None = None
        self.descending = False
        self.last_query_ms = 0.0
        self._count = 0
        self._pages: OrderedDict[int, list[TaskRow]] = OrderedDict()
        self.defer_counts = False
        self.counting = False
        self._announcing = False
        self._generation = 0  # which reload a count in the background belongs to
        self._counters: list[_Counter] = []  # counts still running (stale ones interrupted)

    # ------------------------------------------------------------------ queries
    def _timed(self, work: Callable[[Session], T]) -> T:
        from time import perf_counter

        begin = perf_counter()
        with self._session() as session:
            result = work(session)
        self.last_query_ms = (perf_counter() - begin) * 1000
        return result

    def _page(self, number: int) -> list[TaskRow]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        from cchc_desktop.services.task_queries import task_page

        total = None if self.counting or not self._count else self._count  # when known
        page = self._timed(lambda s: task_page(
            s, self.filter, self.today, sort=self.sort_key, descending=self.descending,
            offset=number * self.page_size, limit=self.page_size, total=total))
        self._pages[number] = page
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return page

    def reload(self, today: date | None = None) -> None:
        """Count again and forget the pages read (the data or the date changed)."""
        from cchc_desktop.services.task_queries import count_tasks

        self._generation += 1
        self._interrupt_counts()
        self._announcing = True  # see _insert
        self.beginResetModel()
        try:
            if today is not None:
                self.today = today
            self._pages.clear()
            self.counting = False
            self._count = 0  # (a database error leaves an empty list, not a stale one)
            first = self._page(0)
            if len(first) < self.page_size:
                self._count = len(first)  # the whole list is on its first page
            elif self.defer_counts:
                self._count = len(first)
                self.counting = True
                self._count_behind()
            else:
                self._count = self._timed(lambda s: count_tasks(s, self.filter, self.today))
        finally:
            self.endResetModel()
            self._announcing = False

    def _insert(self, rows: int) -> None:
        """Show ``rows`` more rows at the end, fetching nothing while the change is being
        announced: a listener reading rows then (as Qt's model tester does) would
        otherwise insert rows inside the insertion."""
        self._announcing = True
        try:
            self.beginInsertRows(QModelIndex(), self._count, self._count + rows - 1)
            self._count += rows
            self.endInsertRows()
        finally:
            self._announcing = False

    def _count_behind(self) -> None:
        from cchc_desktop.services.task_queries import count_tasks

        generation, flt, today = self._generation, self.filter, self.today
        counter = _Counter(self._session, lambda s: count_tasks(s, flt, today))
        counter.start(lambda n: self._arrived(counter, generation, n),
                      lambda: self._forget(counter))
        self._counters.append(counter)

    def _forget(self, counter: _Counter) -> None:
        if counter in self._counters:
            self._counters.remove(counter)

    def _arrived(self, counter: _Counter, generation: int, total: int) -> None:
        self._forget(counter)
        if generation != self._generation or not self.counting:
            return  # the list has changed since: this count is stale
        self.counting = False
        if total > self._count:
            self._insert(total - self._count)
        elif total < self._count:  # rows deleted meanwhile: read the list again
            self.reload()
            return
        self.counted.emit()

    def _interrupt_counts(self) -> None:
        for counter in self._counters:
            counter.interrupt()

    def wait_counted(self) -> None:
        """Block until the count in the background has arrived (tests, closing)."""
        from PySide6.QtCore import QCoreApplication

        while self._counters:
            self._counters[0].wait()
            QCoreApplication.processEvents()  # deliver its answer in this thread

    def stop_counting(self) -> None:
        """Interrupt the counts still running and wait for their threads (closing)."""
        self._generation += 1
        self._interrupt_counts()
        self.wait_counted()

    def set_filter(self, flt: TaskFilter) -> None:
        """Show the tasks ``flt`` accepts (in the current sort order)."""
        self.filter = replace(flt, statuses=set(flt.statuses))
        self.reload()

    # ------------------------------------------------------------------ access
    def row_at(self, row: int) -> TaskRow:
        page = self._page(row // self.page_size)
        return page[row % self.page_size]

    def cached_rows(self) -> int:
        """How many rows are held in memory now (at most ``max_pages * page_size``)."""
        return sum(len(p) for p in self._pages.values())

    def row_of_task(self, task_id: int, near: int = -1) -> int:
        """The row showing ``task_id``, or -1; pages already read (and the one around
        ``near``, where it was before a reload) are looked in before the database is asked."""
        if 0 <= near < self._count:
            self._page(near // self.page_size)
        for number, page in self._pages.items():
            for n, row in enumerate(page):
                if row.id == task_id:
                    return number * self.page_size + n
        from cchc_desktop.services.task_queries import task_position

        found = self._timed(lambda s: task_position(
            s, self.filter, self.today, self.sort_key, self.descending, task_id))
        if found is not None and found >= self._count and self.counting:
            self._grow_to((found // self.page_size + 1) * self.page_size)
        return -1 if found is None or found >= self._count else found

    def task_ids(self, ranges: Iterable[tuple[int, int]]) -> list[int]:
        """The task ids of the rows in ``ranges`` (first, last inclusive), in row order;
        ranges outside the pages read are asked of the database, not paged in."""
        ids: list[int] = []
        for first, last in sorted(ranges):
            last = min(last, self._count - 1)
            if first > last:
                continue
            pages = range(first // self.page_size, last // self.page_size + 1)
            if all(p in self._pages for p in pages):
                ids.extend(self.row_at(r).id for r in range(first, last + 1))
            else:
                ids.extend(self._id_range(first, last - first + 1))
        return ids

    def _id_range(self, offset: int, limit: int) -> list[int]:
        from cchc_desktop.services.task_queries import task_ids

        return self._timed(lambda s: task_ids(
            s, self.filter, self.today, sort=self.sort_key, descending=self.descending,
            offset=offset, limit=limit))

    def visible_rows(self) -> list[TaskRow]:
        """Every row shown, read afresh and not kept (tests, small lists)."""
        from cchc_desktop.services.task_queries import task_page

        return self._timed(lambda s: task_page(
            s, self.filter, self.today, sort=self.sort_key, descending=self.descending))

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        """Rows beyond those read are there while the count is still on its way."""
        return (not parent.isValid() and self.counting and not self._announcing
                and self._count % self.page_size == 0)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        """The view reached the last row read: read the next page and show its rows."""
        if self.canFetchMore(parent):
            self._grow_to(self._count + self.page_size)

    def _grow_to(self, rows: int) -> None:
        """Show the rows read up to ``rows`` (while counting), page by page."""
        while self.counting and self._count < rows and self._count % self.page_size == 0:
            page = self._page(self._count // self.page_size)
            if not page:
                break
            self._insert(len(page))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column in the database (``column`` -1: the default order)."""
        key = self.columns[column].key if 0 <= column < len(self.columns) else None
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.sort_key, self.descending):
            return  # the view says so when sorting is switched on: nothing to read again
        self.sort_key, self.descending = key, descending
        self.reload()


class _Counter:
    """One count in a worker thread, on its own database connection, which
    :meth:`interrupt` stops (SQLite's interrupt, PostgreSQL's cancel)."""

    def __init__(self, session: Callable[[], AbstractContextManager[Session]],
                 work: Callable[[Session], int]) -> None:
        self._session, self._work = session, work
        self._connection: object | None = None
        self._stopped = False
        self._background: Background | None = None

    def start(self, on_count: Callable[[int], None], on_end: Callable[[], None]) -> None:
        from cchc_desktop.gui.common.jobs import run_in_background

        def done(total: int | None) -> None:
            if total is None:
                on_end()
            else:
                on_count(total)

        # A database failure is logged and leaves the count unknown (the rows read stay).
        self._background = run_in_background(self._run, done, lambda _m, _e: on_end())

    def _run(self) -> int | None:
        try:
            with self._session() as session:
                self._connection = session.connection().connection.dbapi_connection
                try:
                    return None if self._stopped else self._work(session)
                finally:  # back in the pool, the connection may serve other work
                    self._connection = None
        except Exception:
            if self._stopped:
                return None  # interrupted on purpose: no error
            raise

    def interrupt(self) -> None:
        self._stopped = True
        connection = self._connection
        stop = getattr(connection, "interrupt", None) or getattr(connection, "cancel", None)
        if stop is not None:
            try:
                stop()
            except Exception:  # noqa: BLE001 - the query has ended or the link is gone
                pass

    def wait(self) -> None:
        if self._background is not None:
            self._background.wait()
