"""CCHC Desktop: the administrative-reform secretariat's desktop application."""

__version__ = "0.1.0"
APP_NAME = "CCHC Desktop"
