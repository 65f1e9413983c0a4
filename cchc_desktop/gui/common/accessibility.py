"""Accessible names for the main widgets of a tab, so a screen reader says what each one is.

A tab may name its widgets itself (``setAccessibleName``); what it left unnamed is named here
when the window builds the tab, from what a sighted user reads: the tooltip, the placeholder,
the label whose buddy the widget is, else the tab's title ("Bảng: Nhiệm vụ").
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

MAIN_KINDS: tuple[type[QWidget], ...] = (
    QAbstractItemView, QLineEdit, QComboBox, QTabWidget, QTextEdit, QPlainTextEdit)
"""The widgets that must have an accessible name: tables and lists, search and text boxes,
filter combos, tab widgets."""


def _inside_compound(widget: QWidget) -> bool:
    """True for the parts of a combo box or spin box (its line edit, its popup list)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QAbstractSpinBox):
            return True
        parent = parent.parentWidget()
    return False


def main_widgets(root: QWidget) -> list[QWidget]:
    """The widgets under ``root`` that :data:`MAIN_KINDS` lists, without the inner parts of
    combo and spin boxes."""
    return [w for w in root.findChildren(QWidget)
            if isinstance(w, MAIN_KINDS) and not _inside_compound(w)]


def _plain(text: str) -> str:
    return " ".join(text.replace("&&", "\0").replace("&", "").replace("\0", "&")
                    .rstrip(":").split())


def name_widgets(root: QWidget, context: str) -> None:
    """Give every main widget under ``root`` that has no accessible name one; ``context`` is
    what the widgets belong to (the tab's title)."""
    buddies = {id(label.buddy()): _plain(label.text())
               for label in root.findChildren(QLabel) if label.buddy() is not None}
    counts: dict[str, int] = {}
    for widget in main_widgets(root):
        if widget.accessibleName():
            continue
        placeholder = ""
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            placeholder = widget.placeholderText()
        name = buddies.get(id(widget)) or _plain(widget.toolTip()) or placeholder
        if not name:
            kind = ("Bảng" if isinstance(widget, QAbstractItemView)
                    else "Các thẻ" if isinstance(widget, QTabWidget)
                    else "Chọn" if isinstance(widget, QComboBox)
                    else "Ô nhập")
            name = f"{kind}: {context}"
            counts[name] = counts.get(name, 0) + 1
            if counts[name] > 1:
                name = f"{name} ({counts[name]})"
        widget.setAccessibleName(name)
