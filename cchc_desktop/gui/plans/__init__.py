"""Kế hoạch: the plans of a year and a plan's tasks grouped by CCHC area."""
