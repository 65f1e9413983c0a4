"""Whether a PostgreSQL database was set up by `cchc server setup` (store/server_setup.py).

A module of its own, without imports of the audit writer, which asks it.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

AUDIT_TRIGGER = "cchc_audit"


def server_audited(conn: Connection) -> bool:
    """True when the server's triggers keep the audit log (set up by ``server setup``).

    Asked once per database connection (the answer is kept with the pooled connection).
    """
    if conn.dialect.name != "postgresql":
        return False
    info = conn.connection.info  # lives as long as the DBAPI connection
    known = info.get("cchc_server_audited")
    if known is None:
        known = bool(conn.execute(text(
            "SELECT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = :name AND c.relname = 'tasks' "
            "AND c.relnamespace = CAST('public' AS regnamespace))"
        ), {"name": AUDIT_TRIGGER}).scalar())
        info["cchc_server_audited"] = known
    return bool(known)
