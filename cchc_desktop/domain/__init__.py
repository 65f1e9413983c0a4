"""The rules of the CCHC domain as plain Python: this package imports neither Qt nor SQLAlchemy."""
