"""What every feature of the window shares: context, dialogs, jobs, undo base, settings, widgets."""
