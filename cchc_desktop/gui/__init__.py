"""The window (PySide6), a thin front end over the services.

The shell sits here (app, startup, login_dialog, main_window, features, reminder,
screenshots); each tab is a feature package (dashboard, plans, tasks, evidence, scoring,
documents, reports, catalog) holding its tab, models, dialogs and undo commands; what the
features share is in common/. The Designer forms they load are in the repository's ui/.
"""
