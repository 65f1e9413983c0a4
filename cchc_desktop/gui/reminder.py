"""The reminder banner above the tabs: how many tasks are overdue or due soon, and how many
extension requests wait for a decision, with links."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton


def format_number_vi(number: int) -> str:
    """domain.text's grouping (8.188), imported when first needed: the module (its regular
    expressions, its dataclasses) costs 6 ms, which the window's first paint need not pay."""
    from cchc_desktop.domain.text import format_number_vi as grouped

    return grouped(number)


class ReminderBanner(QFrame):
    """"N nhiệm vụ quá hạn, M nhiệm vụ đến hạn trong 7 ngày" (and "K đề nghị gia hạn chờ
    quyết định" when there are some), hidden when all are 0.

    Once dismissed (×) it stays hidden for the session; its counts are still kept up to date.

    Attributes:
        label: the sentence; overdue_button, soon_button: the links to those tasks;
        requests_button: the link to the queue of extension requests;
        compact_label: the same as links on one line, for the status bar of a short window
        (shown instead of the banner while ``compact``, see :mod:`gui.common.compact`).

    Signals:
        show_overdue(): the user asked for the overdue tasks.
        show_soon(): the user asked for the tasks due soon.
        show_requests(): the user asked for the extension requests waiting.
    """

    show_overdue = Signal()
    show_soon = Signal()
    show_requests = Signal()

    def __init__(self, soon_days: int) -> None:
        super().__init__()
        self.soon_days = soon_days
        self.setObjectName("reminder")
        self.label = QLabel()
        self.label.setObjectName("reminderText")
        self.overdue_button = QPushButton("Xem nhiệm vụ quá hạn")
        self.soon_button = QPushButton(f"Xem nhiệm vụ đến hạn trong {soon_days} ngày")
        self.requests_button = QPushButton("Xem đề nghị gia hạn")
        close = QToolButton()
        close.setText("×")
        close.setToolTip("Ẩn nhắc việc")
        close.setAutoRaise(True)
        self.overdue_button.clicked.connect(self.show_overdue)
        self.soon_button.clicked.connect(self.show_soon)
        self.requests_button.clicked.connect(self.show_requests)
        close.clicked.connect(self.dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 6, 6)
        row.addWidget(self.label, 1)
        row.addWidget(self.overdue_button)
        row.addWidget(self.soon_button)
        row.addWidget(self.requests_button)
        row.addWidget(close)
        # The banner folded into the status bar of a short window (gui.common.compact).
        self.compact = False
        self.compact_label = QLabel()
        self.compact_label.setObjectName("reminderLinks")
        self.compact_label.linkActivated.connect(self._link)
        self.compact_label.hide()
        self._counts = (0, 0, 0)
        self.hide()

    def set_compact(self, compact: bool) -> None:
        """Fold into :attr:`compact_label` (one line of links for the status bar) or unfold."""
        self.compact = compact
        self._show()

    def _link(self, which: str) -> None:
        {"overdue": self.show_overdue, "soon": self.show_soon,
         "requests": self.show_requests}[which].emit()

    def _show(self) -> None:
        overdue, soon, asked = self._counts
        wanted = (overdue > 0 or soon > 0 or asked > 0) and not self.property("dismissed")
        self.setVisible(wanted and not self.compact)
        links = []
        if overdue:
            links.append(f'<a href="overdue" style="color:#b71c1c">'
                         f'{format_number_vi(overdue)} nhiệm vụ quá hạn</a>')
        if soon:
            links.append(f'<a href="soon">{format_number_vi(soon)} đến hạn trong '
                         f'{self.soon_days} ngày</a>')
        if asked:
            links.append(f'<a href="requests">{format_number_vi(asked)} đề nghị gia hạn</a>')
        self.compact_label.setText(" · ".join(links))
        self.compact_label.setVisible(self.compact and bool(links))

    def set_soon_days(self, days: int) -> None:
        """Follow the office's "due soon" window (Tùy chọn)."""
        self.soon_days = days
        self.soon_button.setText(f"Xem nhiệm vụ đến hạn trong {days} ngày")

    def show_counts(self, overdue: int, soon: int, asked: int = 0) -> str:
        """Show these counts (red when anything is overdue; ``asked``: extension requests
        waiting for a decision); returns the sentence."""
        text = (f"{format_number_vi(overdue)} nhiệm vụ quá hạn, {format_number_vi(soon)} "
                f"nhiệm vụ đến hạn trong {self.soon_days} ngày")
        if asked:
            text += f"; {format_number_vi(asked)} đề nghị gia hạn chờ quyết định"
        self.label.setText(text)
        self.setProperty("alert", overdue > 0)
        self.style().unpolish(self)
        self.style().polish(self)
        self.overdue_button.setVisible(overdue > 0)
        self.soon_button.setVisible(soon > 0)
        self.requests_button.setVisible(asked > 0)
        self._counts = (overdue, soon, asked)
        self._show()
        return text

    def dismiss(self) -> None:
        """Hide the banner for the rest of the session."""
        self.setProperty("dismissed", True)
        self._show()
