"""Nhiệm vụ: the task table, the task editor, its undo commands, completing and importing tasks."""
