"""Tài liệu kiểm chứng: evidence files, their links and the trash."""
