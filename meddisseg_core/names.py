"""File names that exports (the app's) and ``meddisseg predict`` write, so that every reader accepts them.

A project may hold an image called ``"a\\nb.png"``, ``" scan.png"`` or ``"x:y.png"``: legal on
Linux, but a split file is one name per line and ``meddisseg train`` strips each line, Windows
refuses ``:``, and the studio itself skips names starting with a dot. Exports therefore never
write such a name as it is: :func:`assign_names` gives every image a safe, unique file name and
says which images were renamed and why, so that the result message can list them.

A safe name:
* is valid UTF-8 (no undecodable bytes), with no control character and no line break of any
  kind ``str.splitlines`` knows (``\\n``, ``\\r``, ``\\x0b``, ``\\x0c``, ``\\x1c``-``\\x1e``,
  ``\\x85``, ``\\u2028``, ``\\u2029``), and no byte-order mark;
* has no leading or trailing white space and does not start with ``.``;
* has none of ``/ \\ < > : " | ? *`` (path separators and what Windows forbids);
* is unique within the export, ignoring case (case-insensitive file systems).
Offending characters become ``_``; a clash gets ``-2``, ``-3``, ... before the suffix.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import NamedTuple

_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_NOT_PORTABLE = frozenset('/\\<>:"|?*')
_BYTE_ORDER_MARK = "\ufeff"


class Renamed(NamedTuple):
    key: str
    name: str
    reason: str


class NameAssignment(NamedTuple):
    """``names[key]`` is the file name written for ``key``; ``renamed`` lists the changed ones."""

    names: dict[str, str]
    renamed: tuple[Renamed, ...]

    def renamed_except(self, skipped: list[tuple[str, str]]) -> tuple[Renamed, ...]:
        """The renames of the keys that were written (``skipped``: (key, reason) pairs)."""
        left_out = {key for key, _ in skipped}
        return tuple(r for r in self.renamed if r.key not in left_out)


def _bad_character(ch: str) -> str | None:
    if ch in _LINE_BREAKS:
        return "a line break"
    if 0xD800 <= ord(ch) <= 0xDFFF:
        return "bytes that are not valid UTF-8"
    if unicodedata.category(ch) == "Cc":
        return "a control character"
    if ch == _BYTE_ORDER_MARK:
        return "a byte-order mark"
    if ch in _NOT_PORTABLE:
        return f"the character {ch!r}, which is not allowed in file names everywhere"
    return None


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be written as it is (for the user), or None when it is safe."""
    if not name:
        return "an empty name"
    for ch in name:
        reason = _bad_character(ch)
        if reason is not None:
            return f"it contains {reason}"
    if name != name.strip():
        return "it starts or ends with white space"
    if name.startswith("."):
        return "it starts with '.' (a hidden file)"
    return None


def safe_name(name: str) -> str:
    """``name`` with every offending character replaced; never empty."""
    cleaned = "".join("_" if _bad_character(ch) else ch for ch in name).strip()
    cleaned = "_" + cleaned[1:] if cleaned.startswith(".") else cleaned
    suffix = PurePosixPath(cleaned).suffix
    if not cleaned or cleaned == suffix:
        cleaned = "image" + (suffix or "")
    return cleaned


def flat_name(key: str) -> str:
    """A file name for a key in a flat export folder (``sub/a.png`` -> ``sub__a.png``)."""
    return key.replace("/", "__")


def unique_name(candidate: str, taken: dict[str, str] | set[str]) -> str:
    """``candidate``, or ``stem-2.suffix``, ``-3``, ... : the first not in ``taken`` (casefolded names)."""
    return _unique(candidate, taken)


def _unique(candidate: str, taken: dict[str, str] | set[str]) -> str:
    if candidate.casefold() not in taken:
        return candidate
    path = PurePosixPath(candidate)
    stem, suffix = (path.stem, path.suffix) if path.suffix != candidate else (candidate, "")
    number = 2
    while f"{stem}-{number}{suffix}".casefold() in taken:
        number += 1
    return f"{stem}-{number}{suffix}"


def assign_names(keys: Iterable[str], suffix: str | None = None) -> NameAssignment:
    """A safe, unique file name for each key (see the module docstring).

    ``suffix`` replaces each key's own suffix (``".png"`` for re-encoded images, ``".json"``
    for labelme files); None keeps it. Keys are processed in the given order, so the first of
    two clashing images keeps its name.
    """
    names: dict[str, str] = {}
    renamed: list[Renamed] = []
    taken: dict[str, str] = {}  # casefolded name -> the key that has it
    for key in keys:
        flat = flat_name(key)
        wanted = flat if suffix is None else str(PurePosixPath(flat).with_suffix(suffix))
        problem = name_problem(wanted)
        name = safe_name(wanted) if problem else wanted
        unique = _unique(name, taken)
        if unique != name:
            problem = problem or f"{taken[name.casefold()]!r} has the same name (ignoring case)"
        if problem:
            renamed.append(Renamed(key, unique, problem))
        names[key] = unique
        taken[unique.casefold()] = key
    return NameAssignment(names, tuple(renamed))
