"""Danh mục / Cài đặt: units, the agency profile, users, backups and the audit log."""
