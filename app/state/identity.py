"""Who is working: the name every change is recorded under (the audit log, leases, comments).

:func:`current_user` is the display name set in Preferences (e.g. "Dr A. Smith"; the window
passes it here with :func:`set_display_name`, since this layer never imports Qt), else the
``MEDDISSEG_USER`` environment variable (for the headless commands and scripts), else the
operating system's user. It never fails: ``getpass.getuser`` raises when no login name can be
found (a container with a bare uid, a service account), and the uid is used then.
"""

from __future__ import annotations

import getpass
import os
import threading

ENV_USER = "MEDDISSEG_USER"
_lock = threading.Lock()
_display_name: str | None = None


def clean_name(name: str | None) -> str | None:
    """``name`` on one line, stripped; None when it is empty (then the OS user is used)."""
    if name is None:
        return None
    text = " ".join(str(name).split())
    return text or None


def set_display_name(name: str | None) -> None:
    """The name from Preferences; None or blank goes back to the OS user."""
    global _display_name
    with _lock:
        _display_name = clean_name(name)


def display_name() -> str | None:
    with _lock:
        return _display_name


def os_user() -> str:
    """The login name; never raises (a uid or "unknown" when there is no name to be found)."""
    try:
        name = getpass.getuser()
    except Exception:  # KeyError/OSError without a passwd entry or login variables
        name = ""
    name = clean_name(name) or ""
    if name:
        return name
    getuid = getattr(os, "getuid", None)
    return f"uid {getuid()}" if getuid is not None else "unknown"


def current_user() -> str:
    """The name changes are recorded under now (see the module docstring for the order)."""
    return display_name() or clean_name(os.environ.get(ENV_USER)) or os_user()
