"""The Nhiệm vụ tab's model: rows read from SQL a page at a time as the view scrolls.

Filtering, search, sorting and counting are done by the database through
:mod:`cchc_desktop.services.task_queries` (the same rule as the CLI), and only a bounded
number of pages is kept (least recently used first out), so a million tasks cost the
memory of a few hundred rows. Each page is one query for the rows and one for their
supporting units, read on the GUI thread when the view first asks for a row of it
(as Anki's browser table does).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from cchc_desktop.gui.tasks.table_models import TASK_COLUMNS, TaskRowsModel
from cchc_desktop.services.task_queries import TaskFilter, TaskRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

T = TypeVar("T")
PAGE_SIZE = 200  # rows per query: about seven screens
MAX_PAGES = 8  # pages kept; the least recently used goes first


class PagedTaskModel(TaskRowsModel):
    """Tasks matching a :class:`TaskFilter`, sorted by a column, read page by page.

    Attributes:
        filter: the TaskFilter shown (set with :meth:`set_filter`).
        sort_key, descending: the column key sorted by (None: by due date) and its direction.
        last_query_ms: how long the last count or page query took.
    """

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

        page = self._timed(lambda s: task_page(
            s, self.filter, self.today, sort=self.sort_key, descending=self.descending,
            offset=number * self.page_size, limit=self.page_size))
        self._pages[number] = page
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return page

    def reload(self, today: date | None = None) -> None:
        """Count again and forget the pages read (the data or the date changed)."""
        from cchc_desktop.services.task_queries import count_tasks

        self.beginResetModel()
        if today is not None:
            self.today = today
        self._pages.clear()
        self._count = self._timed(lambda s: count_tasks(s, self.filter, self.today))
        self.endResetModel()

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
        return -1 if found is None else found

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

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column in the database (``column`` -1: the default order)."""
        key = self.columns[column].key if 0 <= column < len(self.columns) else None
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.sort_key, self.descending):
            return  # the view says so when sorting is switched on: nothing to read again
        self.sort_key, self.descending = key, descending
        self.reload()
