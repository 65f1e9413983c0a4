"""Remembered server passwords, in the operating system's credential store only.

``keyring`` puts them in Windows Credential Manager (macOS Keychain, the Secret Service of
a Linux desktop). Where no such store exists (a Linux PC without a desktop keyring) this
says so and stores nothing: a password is never written to a plain file.
"""

from __future__ import annotations

import logging
from typing import Any

SERVICE = "CCHC Desktop"
UNAVAILABLE = ("Máy này không có kho mật khẩu của hệ điều hành nên không ghi nhớ được mật "
               "khẩu; mỗi lần mở hãy nhập lại.")
log = logging.getLogger(__name__)


def _keyring() -> Any | None:
    """The keyring module when a real backend is there; None otherwise."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or float(backend.priority) <= 0:
            return None
    except Exception:  # a broken backend is no backend
        log.exception("no usable keyring backend")
        return None
    return keyring


def available() -> bool:
    """Whether passwords can be remembered on this PC."""
    return _keyring() is not None


def _entry(server: str) -> str:
    return f"{SERVICE} ({server})"


def remembered(server: str, username: str) -> str | None:
    """The password remembered for ``username`` on ``server`` (host:port/database), if any."""
    keyring = _keyring()
    if keyring is None or not username:
        return None
    try:
        value = keyring.get_password(_entry(server), username)
    except Exception:
        log.exception("reading a remembered password failed")
        return None
    return str(value) if value else None


def remember(server: str, username: str, password: str) -> bool:
    """Keep the password in the credential store; False when there is none (nothing kept)."""
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(_entry(server), username, password)
    except Exception:
        log.exception("remembering a password failed")
        return False
    return True


def forget(server: str, username: str) -> None:
    """Remove a remembered password (nothing happens when there is none)."""
    keyring = _keyring()
    if keyring is None or not username:
        return
    try:
        keyring.delete_password(_entry(server), username)
    except Exception:  # keyring.errors.PasswordDeleteError: nothing was remembered
        pass
