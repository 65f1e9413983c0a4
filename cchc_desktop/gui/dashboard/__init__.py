"""Tổng quan: today's status counts, what is overdue or due soon, charts."""
