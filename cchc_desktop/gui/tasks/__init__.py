"""Nhiệm vụ: the task table, the task editor, its undo commands, completing and importing tasks.

What other features may use is listed here (imported on first use, see
:mod:`cchc_desktop.gui.common.exports`); the package's modules are its own.
"""

from typing import TYPE_CHECKING

from cchc_desktop.gui.common.exports import lazy_exports

if TYPE_CHECKING:
    from cchc_desktop.gui.tasks.commands import DeleteTasksCommand, MoveTaskCommand, push
    from cchc_desktop.gui.tasks.editor import TaskEditorDialog, edit_task
    from cchc_desktop.gui.tasks.import_dialog import import_tasks, paste_tasks
    from cchc_desktop.gui.tasks.table_models import SHORT_COLUMNS, STATUS_COLOURS, TaskTableModel

PUBLIC = {
    "DeleteTasksCommand": "commands",
    "MoveTaskCommand": "commands",
    "push": "commands",
    "TaskEditorDialog": "editor",
    "edit_task": "editor",
    "import_tasks": "import_dialog",
    "paste_tasks": "import_dialog",
    "SHORT_COLUMNS": "table_models",
    "STATUS_COLOURS": "table_models",
    "TaskTableModel": "table_models",
}
__all__ = [
    "DeleteTasksCommand",
    "MoveTaskCommand",
    "SHORT_COLUMNS",
    "STATUS_COLOURS",
    "TaskEditorDialog",
    "TaskTableModel",
    "edit_task",
    "import_tasks",
    "paste_tasks",
    "push",
]
__getattr__ = lazy_exports(__name__, PUBLIC)
