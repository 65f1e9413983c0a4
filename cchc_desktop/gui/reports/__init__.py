"""Báo cáo: periodic report figures and text, and the export dialog."""
