"""Static forms drawn in Qt Designer: ``ui/<name>.ui``, loaded when a dialog is built.

A form holds the fixed part of a dialog (labels, fields, their order and layout); the code
keeps what changes at run time (buttons with our own texts, choices read from the database,
messages). :func:`load_form` puts the form in its host widget, which keeps its Python class,
signals and methods; :func:`find` fetches a named widget of the form and fails loudly when
the .ui file and the code disagree.

Cost (measured with a pip-installed PySide6, 2 shared cores): importing QtUiTools 2-40 ms,
building the loader 60-120 ms (it loads Qt Designer's plugins), the first form 130-270 ms
(PySide creates the Python types of the Qt enums the form's properties use), later forms
1-50 ms; the same dialog built in code takes under 1 ms. So nothing here runs at start-up:
the log-in dialog, shown before the window, stays in code (see ui/README.md).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtWidgets import QFormLayout, QLayout, QStyle, QVBoxLayout, QWidget

from cchc_desktop.resources import resource_path

if TYPE_CHECKING:
    from PySide6.QtUiTools import QUiLoader

W = TypeVar("W", bound=QWidget)


def load_form(name: str, host: QWidget) -> QWidget:
    """Load ``ui/<name>.ui`` into ``host`` (which must not have a layout yet); returns the form.

    The form fills the host edge to edge and its layout gets the margins the style gives a
    dialog's layout, so a dialog looks as it did when it was built in code.
    """
    path = resource_path("ui", f"{name}.ui")
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"cannot read the form {path}: {file.errorString()}")
    try:
        loader = _loader()
        form = loader.load(file, host)
    finally:
        file.close()
    if form is None:
        raise RuntimeError(f"cannot load the form {path}: {loader.errorString()}")
    # A loaded form's layout gets no margins; give it the ones a dialog's own layout has.
    style = host.style()
    metrics = (QStyle.PixelMetric.PM_LayoutLeftMargin, QStyle.PixelMetric.PM_LayoutTopMargin,
               QStyle.PixelMetric.PM_LayoutRightMargin, QStyle.PixelMetric.PM_LayoutBottomMargin)
    form_layout(form).setContentsMargins(*(style.pixelMetric(m, None, host) for m in metrics))
    outer = QVBoxLayout(host)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.setSpacing(0)
    outer.addWidget(form)
    if form.windowTitle() and not host.windowTitle():
        host.setWindowTitle(form.windowTitle())
    return form


def find(form: QWidget, cls: type[W], name: str) -> W:
    """The widget of class ``cls`` named ``name`` in ``form``; LookupError when there is none."""
    widget = form.findChild(cls, name)
    if widget is None:
        raise LookupError(f"the form {form.objectName()} has no {cls.__name__} named {name!r}")
    return widget


def form_layout(form: QWidget) -> QLayout:
    """The form's top layout."""
    layout = form.layout()
    if layout is None:
        raise LookupError(f"the form {form.objectName()} has no layout")
    return layout


def add_below(form: QWidget, widget: QWidget) -> None:
    """Put ``widget`` (built in code: the buttons) under the form's last row."""
    layout = form_layout(form)
    if isinstance(layout, QFormLayout):
        layout.addRow(widget)
    else:
        layout.addWidget(widget)


@cache
def _loader() -> QUiLoader:
    """One loader for the session: building it loads Qt Designer's plugins (60-120 ms)."""
    from PySide6.QtUiTools import QUiLoader

    return QUiLoader()
