"""Văn bản: the register of documents."""
