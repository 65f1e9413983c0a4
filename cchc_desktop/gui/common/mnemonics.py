"""Alt-key letters on the labels of a form: Alt+letter puts the cursor in the field.

Every form label gets its field as buddy (the first widget of the row that takes the focus,
not the box that holds it) and a letter no other label or button of the dialog uses: the
first letter of a word when it is free, else any free letter. Only the letters a–z and the
digits are used, which every keyboard layout types with Alt (not "ư" or "đ"). A label that
already has its own "&" keeps it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QWidget,
)

_MNEMONIC = re.compile(r"&([^&\s])")
_TYPABLE = set("abcdefghijklmnopqrstuvwxyz0123456789")


def mnemonic_of(text: str) -> str | None:
    """The Alt-key letter ``text`` marks with "&" (lower case), None when it has none."""
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _focus_target(widget: QWidget) -> QWidget | None:
    """``widget`` when it takes the keyboard focus, else its first child that does."""
    if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return widget
    for child in widget.findChildren(QWidget):
        if child.focusPolicy() & Qt.FocusPolicy.TabFocus and not isinstance(child, QLabel):
            return child
    return None


def _choose(text: str, taken: set[str]) -> str:
    """``text`` with "&" before a free letter (a word's first letter first); as it was when
    every letter is taken."""
    words = list(re.finditer(r"\w+", text))
    candidates = [m.start() for m in words] + list(range(len(text)))
    for index in candidates:
        letter = text[index].lower()
        if letter in _TYPABLE and letter not in taken:
            taken.add(letter)
            return text[:index] + "&" + text[index:]
    return text


def _form_layouts(layout: QLayout | None) -> list[QFormLayout]:
    if layout is None:
        return []
    found = [layout] if isinstance(layout, QFormLayout) else []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item is not None and item.layout() is not None:
            found += _form_layouts(item.layout())
    return found


def add_mnemonics(dialog: QWidget) -> None:
    """Give every form label of ``dialog`` its field as buddy and a free Alt-key letter.

    Labels outside a form row (e.g. "Năm:" beside a field) take part when they have a buddy.
    Call it once the dialog is built.
    """
    layouts = _form_layouts(dialog.layout())
    for holder in dialog.findChildren(QWidget):
        layouts += _form_layouts(holder.layout())
    for form in dict.fromkeys(layouts):  # each once, in order
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            label = label_item.widget() if label_item is not None else None
            field = field_item.widget() if field_item is not None else None
            if not isinstance(label, QLabel) or field is None:
                continue
            target = _focus_target(label.buddy() or field)
            if target is not None:
                label.setBuddy(target)
    taken: set[str] = set()
    texts = [b.text() for b in dialog.findChildren(QAbstractButton)]
    texts += [g.title() for g in dialog.findChildren(QGroupBox)]
    for text in texts:
        letter = mnemonic_of(text)
        if letter:
            taken.add(letter)
    labels = [label for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    for label in labels:
        letter = mnemonic_of(label.text())
        if letter:
            taken.add(letter)
    for label in labels:
        if mnemonic_of(label.text()) is None and label.textFormat() != Qt.TextFormat.RichText:
            label.setText(_choose(label.text(), taken))
