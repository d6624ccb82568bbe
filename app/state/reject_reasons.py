"""The reject-reason pick-list: its defaults (the one place they are written) and its rules. No Qt.

A rejected image stores one short reason text (``ImageEntry.reject_reason``), which the image
list and the CSV export show. The pick-list offers the configured reasons plus "other…", which
asks for free text. The list is configurable: :func:`reasons_from_setting` reads whatever a
settings store holds (a list, or one reason per line) and falls back to the defaults.
"""

from __future__ import annotations

from collections.abc import Iterable

DEFAULT_REJECT_REASONS: tuple[str, ...] = ("not a lesion", "image quality", "ambiguous border")
#: The last choice of the pick-list: free text typed by the user.
OTHER = "other…"
#: Reasons are shown in one list row and one CSV cell: keep them short.
MAX_REASON_LENGTH = 120


class RejectReasonError(ValueError):
    """A reject reason that cannot be stored (empty, or free text without any text)."""


def clean_reason(text: str) -> str:
    """One line, single spaces, at most ``MAX_REASON_LENGTH`` characters; RejectReasonError if empty."""
    reason = " ".join(str(text).split())
    if not reason:
        raise RejectReasonError(f"a reject reason needs some text, got {text!r}")
    if len(reason) > MAX_REASON_LENGTH:
        reason = reason[: MAX_REASON_LENGTH - 1].rstrip() + "…"
    return reason


def clean_reasons(reasons: Iterable[str]) -> tuple[str, ...]:
    """The usable, distinct (case-insensitively) reasons in their order; "other…" is added by the UI."""
    seen: set[str] = set()
    kept: list[str] = []
    for raw in reasons:
        try:
            reason = clean_reason(raw)
        except RejectReasonError:
            continue
        if reason.casefold() in seen or reason.casefold() in (OTHER.casefold(), "other", "other..."):
            continue
        seen.add(reason.casefold())
        kept.append(reason)
    return tuple(kept)


def reasons_from_setting(value: object) -> tuple[str, ...]:
    """The pick-list from a stored setting: a list/tuple of strings or one reason per line.

    Missing, empty or unusable values give ``DEFAULT_REJECT_REASONS``.
    """
    if isinstance(value, str):
        items: Iterable[str] = value.splitlines()
    elif isinstance(value, list | tuple):
        items = [str(v) for v in value]
    else:
        items = ()
    return clean_reasons(items) or DEFAULT_REJECT_REASONS


def chosen_reason(choice: str, other_text: str = "") -> str:
    """The reason to store for a pick-list ``choice``; for "other…" it is the typed text itself."""
    if choice == OTHER:
        return clean_reason(other_text)
    return clean_reason(choice)
