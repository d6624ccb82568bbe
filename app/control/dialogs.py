"""What the control layer may ask the user: a protocol, so control code never imports widgets.

The window passes a real implementation (``meddisseg_studio.widgets.dialogs.Dialogs``: modal Qt
dialogs); tests and headless runs pass ``ScriptedDialogs``, which answers from queues.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol


class Dialogs(Protocol):
    def choose_folder(self, title: str, start: Path | None = None) -> Path | None:
        """A folder, or None when the user cancels."""
        ...

    def choose_file(self, title: str, file_filter: str = ...) -> Path | None:
        """A file (by default a checkpoint; ``file_filter`` is a Qt name filter), or None if cancelled."""
        ...

    def ask_reason(self, title: str, prompt: str) -> str | None:
        """Free text; None when the user cancels."""
        ...

    def ask_reject_reason(self, key: str, reasons: Sequence[str]) -> str | None:
        """A reason from the pick-list ``reasons`` (or typed under "other…"); None when cancelled."""
        ...

    def confirm(self, title: str, text: str, accept: str, reject: str = "Cancel") -> bool:
        """True when the user chose ``accept``."""
        ...

    def choose_export(self, start: Path | None = None, note: str = "") -> tuple[list[str], Path] | None:
        """Export format names and a destination folder (``start`` suggested; it may not exist yet:
        the export creates it); ``note`` says what will be left out. None when cancelled."""
        ...

    def error(self, title: str, text: str) -> None: ...

    def info(self, title: str, text: str) -> None: ...
