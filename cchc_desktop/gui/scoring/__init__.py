"""Tự chấm điểm: the year's criteria, self scores, appraisal and index results."""
