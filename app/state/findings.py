"""Findings per lesion and a comment per image, kept in the folder's state database. No Qt.

Lesions are the mask's lesion regions as the exports build them (``export.lesions.lesion_regions``:
8-connected components of at least the minimum area, specks attached, largest first), so
lesion *i* in the panel is annotation *i* of the image in a COCO export.

Lesion identity across edits. Each stored finding keeps the values and a *footprint*: the
pixels of its lesion when it was last matched. Against a mask, every finding goes to the lesion
it overlaps most (ties: the lower lesion number); when several findings reach one lesion (two
lesions merged) the one with the largest overlap gives the values. A finding that overlaps no
lesion, or lost a merge, is an *orphan*: it stays in the state (undoing an erase or splitting the
lesion again brings its values back), the panel lists it and can discard it, and no export carries
it. :meth:`FindingsBook.track` moves the matched footprints to the current lesions, so values
follow a lesion through gradual edits; a lesion split in two keeps its values on the part that
overlaps most, the other part starts empty.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from meddisseg_core.atomic import atomic_write_bytes
from meddisseg_studio.state import audit
from meddisseg_studio.state.errors import FindingValueError, SaveError, SchemaError
from meddisseg_studio.state.findings_schema import (
    SCHEMA_FILE_NAME,
    FindingsSchema,
    Value,
    load_schema,
    project_schema,
)
from meddisseg_studio.state.lesions import lesion_regions
from meddisseg_studio.state.store import StateStore, key_to_db

MAX_COMMENT = 20_000
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Footprint:
    """The pixels of a lesion: a boolean crop and where it sits in the image."""

    y0: int
    x0: int
    crop: np.ndarray  # h×w bool

    @classmethod
    def of(cls, region: np.ndarray) -> Footprint:
        ys, xs = np.nonzero(region)
        if len(ys) == 0:
            return cls(0, 0, np.zeros((0, 0), bool))
        y0, x0 = int(ys.min()), int(xs.min())
        return cls(y0, x0, region[y0 : ys.max() + 1, x0 : xs.max() + 1] > 0)

    def encode(self) -> bytes:
        return zlib.compress(np.packbits(self.crop, axis=None).tobytes())

    @classmethod
    def decode(cls, y0: int, x0: int, height: int, width: int, blob: bytes) -> Footprint:
        bits = np.unpackbits(np.frombuffer(zlib.decompress(blob), np.uint8), count=height * width)
        return cls(y0, x0, bits.reshape(height, width).astype(bool))

    def overlaps(self, owner: np.ndarray, count: int) -> np.ndarray:
        """Pixels shared with each of ``count`` lesions (``owner``: H×W lesion number, 0 = none)."""
        h = max(0, min(self.crop.shape[0], owner.shape[0] - self.y0))
        w = max(0, min(self.crop.shape[1], owner.shape[1] - self.x0))
        under = owner[self.y0 : self.y0 + h, self.x0 : self.x0 + w][self.crop[:h, :w]]
        return np.bincount(under, minlength=count + 1)[1 : count + 1]

    def same_as(self, other: Footprint) -> bool:
        return (self.y0, self.x0) == (other.y0, other.x0) and np.array_equal(self.crop, other.crop)


@dataclass(frozen=True)
class Finding:
    """One stored set of values and the footprint that ties it to a lesion (``id`` None: not stored)."""

    id: int | None
    values: dict[str, Value]
    footprint: Footprint
    updated: float = 0.0


@dataclass(frozen=True)
class Lesion:
    """Lesion ``number`` (1-based, COCO annotation order) of an image and the values it carries."""

    number: int
    region: np.ndarray  # H×W uint8 0/1
    area: int
    finding: Finding | None

    @property
    def values(self) -> dict[str, Value]:
        return dict(self.finding.values) if self.finding is not None else {}


@dataclass(frozen=True)
class ImageFindings:
    """An image's lesions with their values, the orphaned findings, and its comment."""

    key: str
    lesions: tuple[Lesion, ...]
    orphans: tuple[Finding, ...] = field(default=())
    comment: str = ""


def owner_map(regions: Sequence[np.ndarray], shape: tuple[int, int]) -> np.ndarray:
    """H×W int: 1-based number of the lesion owning each pixel, 0 for none."""
    owner = np.zeros(shape, np.int64)
    for number, region in enumerate(regions, start=1):
        owner[region > 0] = number
    return owner


def match(
    findings: Sequence[Finding], regions: Sequence[np.ndarray]
) -> tuple[list[Finding | None], list[Finding]]:
    """(the finding of each lesion or None, the orphans), by the rule in the module docstring."""
    if not regions:
        return [], list(findings)
    owner = owner_map(regions, regions[0].shape)
    best: dict[int, tuple[int, Finding]] = {}
    orphans: list[Finding] = []
    for finding in findings:
        overlaps = finding.footprint.overlaps(owner, len(regions))
        lesion = int(np.argmax(overlaps)) if overlaps.size else 0
        shared = int(overlaps[lesion]) if overlaps.size else 0
        if shared == 0:
            orphans.append(finding)
            continue
        held = best.get(lesion)
        if held is None or shared > held[0]:
            if held is not None:
                orphans.append(held[1])
            best[lesion] = (shared, finding)
        else:
            orphans.append(finding)
    chosen = [best[i][1] if i in best else None for i in range(len(regions))]
    return chosen, orphans


def _regions(mask: np.ndarray | None, min_area: int) -> list[np.ndarray]:
    return [] if mask is None else lesion_regions(mask, min_area)


class FindingsBook:
    """The findings and comments of one project's images, and its schema (None: no schema)."""

    def __init__(self, store: StateStore, state_dir: Path, user: Callable[[], str] | None = None) -> None:
        self.store = store
        self.state_dir = Path(state_dir)
        # Who the audit log names for a change (Project.user); None: changes are not audited.
        self.user = user
        self.schema: FindingsSchema | None = None
        self.schema_error: SchemaError | None = None
        try:
            self.schema = project_schema(self.state_dir)
        except SchemaError as exc:  # the folder still opens; the panel shows why there are no editors
            self.schema_error = exc
            _log.warning("findings schema not used: %s", exc)

    # -- schema -----------------------------------------------------------------------------
    def install_schema(self, path: Path | str) -> FindingsSchema:
        """Check ``path`` and copy it into the state folder as ``schema.toml`` (atomically).

        SchemaError for a bad file (nothing changes); SaveError if the state folder cannot be
        written, in which case the schema is still used for this session.
        """
        schema = load_schema(path)
        self.schema, self.schema_error = schema, None
        target = self.state_dir / SCHEMA_FILE_NAME
        if self.store.read_only:
            raise SaveError(
                target, "the state folder is read-only; the schema is used until the folder closes"
            )
        try:
            atomic_write_bytes(target, Path(path).read_bytes())
        except OSError as exc:
            raise SaveError(target, exc.strerror or str(exc)) from exc
        return schema

    def copy_to(self, store: StateStore, state_dir: Path, key: str) -> None:
        """Copy the schema and ``key``'s findings and comment into another state folder (the
        "Save state elsewhere" rescue, beside the mask); SaveError if they cannot be written."""
        schema_file = self.state_dir / SCHEMA_FILE_NAME
        if schema_file.is_file():
            target = Path(state_dir) / SCHEMA_FILE_NAME
            try:
                atomic_write_bytes(target, schema_file.read_bytes())
            except OSError as exc:
                raise SaveError(target, exc.strerror or str(exc)) from exc
        rows = self.store.query(
            "findings",
            "SELECT key, attributes, y0, x0, height, width, footprint, updated FROM findings WHERE key = ?",
            (key_to_db(key),),
        )
        comment = self.comment(key)
        with store.writing() as conn:
            conn.execute("DELETE FROM findings WHERE key = ?", (key_to_db(key),))
            conn.executemany(
                "INSERT INTO findings (key, attributes, y0, x0, height, width, footprint, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            if comment:
                conn.execute(
                    "INSERT OR REPLACE INTO comments (key, comment, updated) VALUES (?, ?, ?)",
                    (key_to_db(key), comment, time.time()),
                )

    # -- reading ----------------------------------------------------------------------------
    def findings(self, key: str) -> list[Finding]:
        rows = self.store.query(
            "findings",
            "SELECT id, attributes, y0, x0, height, width, footprint, updated FROM findings WHERE key = ? "
            "ORDER BY id",
            (key_to_db(key),),
        )
        found = []
        for ident, attributes, y0, x0, height, width, blob, updated in rows:
            try:
                values = json.loads(attributes)
                if not isinstance(values, dict):
                    raise ValueError(f"attributes {attributes!r:.40} are not an object")
                footprint = Footprint.decode(y0, x0, height, width, blob)
            except (ValueError, zlib.error) as exc:
                # Only a hand-edited row can be malformed: skip it (the rest of the image still works).
                _log.warning("finding %s of %r cannot be read (%s); ignored", ident, key, exc)
                continue
            found.append(Finding(ident, values, footprint, updated or 0.0))
        return found

    def comment(self, key: str) -> str:
        rows = self.store.query("comments", "SELECT comment FROM comments WHERE key = ?", (key_to_db(key),))
        return str(rows[0][0]) if rows else ""

    def has_comments(self) -> bool:
        """True when some image has a comment (the CSV export then has a comment column)."""
        return bool(self.store.query("comments", "SELECT 1 FROM comments LIMIT 1"))

    def resolve(self, key: str, mask: np.ndarray | None, min_area: int) -> ImageFindings:
        """The lesions of ``mask`` with the values that follow them, the orphans, the comment."""
        regions = _regions(mask, min_area)
        chosen, orphans = match(self.findings(key), regions)
        lesions = tuple(
            Lesion(n, region, int(np.count_nonzero(region)), finding)
            for n, (region, finding) in enumerate(zip(regions, chosen, strict=True), start=1)
        )
        return ImageFindings(key, lesions, tuple(orphans), self.comment(key))

    # -- writing ----------------------------------------------------------------------------
    def set_value(
        self, key: str, mask: np.ndarray, min_area: int, number: int, name: str, value: object
    ) -> None:
        """Store ``value`` for attribute ``name`` of lesion ``number`` (1-based) of ``mask``.

        The value is checked against the schema first: FindingValueError (nothing stored) if it
        does not fit, SchemaError without a schema. Blank text clears the attribute.
        """
        if self.schema is None:
            raise SchemaError(self.state_dir / SCHEMA_FILE_NAME, "no findings schema: add one to set values")
        parsed = self.schema.attribute(name).parse(value)
        current = self.resolve(key, mask, min_area)
        if not 1 <= number <= len(current.lesions):
            raise SchemaError(key, f"the image has no lesion {number} (it has {len(current.lesions)})")
        lesion = current.lesions[number - 1]
        values = lesion.values
        before = values.get(name)
        if parsed is None:
            values.pop(name, None)
        else:
            values[name] = parsed
        values = {n: values[n] for n in [*self.schema.names, *sorted(values)] if n in values}  # schema order
        footprint = Footprint.of(lesion.region)
        with self.store.writing() as conn:
            if lesion.finding is not None and lesion.finding.id is not None:
                self._update(conn, lesion.finding.id, values, footprint)
            else:
                self._insert(conn, key, values, footprint)
            detail = {"change": "set", "lesion": number, "attribute": name, "before": before, "after": parsed}
            self._audit(conn, audit.FINDING, key, detail)

    def track(self, key: str, mask: np.ndarray | None, min_area: int) -> ImageFindings:
        """:meth:`resolve`, then move each matched finding's footprint to its lesion now.

        Call after the mask changed (the Findings panel does): values then follow a lesion
        through gradual edits. Nothing is written for an unchanged footprint or a read-only
        state; a failed write is logged, not raised (the old footprints still match by overlap).
        """
        found = self.resolve(key, mask, min_area)
        moved = [
            (n, lesion.finding, footprint)
            for n, lesion in enumerate(found.lesions)
            if lesion.finding is not None
            and lesion.finding.id is not None
            and not (footprint := Footprint.of(lesion.region)).same_as(lesion.finding.footprint)
        ]
        if not moved or self.store.read_only:
            return found
        try:
            with self.store.writing() as conn:
                for _n, finding, footprint in moved:
                    self._update(conn, finding.id, finding.values, footprint)  # type: ignore[union-attr,arg-type]
        except SaveError as exc:
            _log.warning("lesion footprints of %s not updated: %s", key, exc)
            return found
        lesions = list(found.lesions)
        for n, finding, footprint in moved:
            lesions[n] = replace(lesions[n], finding=replace(finding, footprint=footprint))  # type: ignore[type-var]
        return replace(found, lesions=tuple(lesions))

    def discard(self, key: str, ids: Sequence[int]) -> None:
        """Delete the findings ``ids`` of ``key`` (the panel's "discard orphaned values")."""
        with self.store.writing() as conn:
            for ident in ids:
                conn.execute("DELETE FROM findings WHERE id = ? AND key = ?", (ident, key_to_db(key)))
            self._audit(conn, audit.FINDING, key, {"change": "discard", "count": len(ids)})

    def set_comment(self, key: str, text: str) -> None:
        """Store the image's comment (blank deletes it); SaveError on failure."""
        if len(text) > MAX_COMMENT:
            raise FindingValueError(
                "comment", text[:40] + "…", f"{len(text)} characters; at most {MAX_COMMENT}"
            )
        before = self.comment(key)
        if text == before or not (text.strip() or before):
            return
        with self.store.writing() as conn:
            if text.strip():
                conn.execute(
                    "INSERT OR REPLACE INTO comments (key, comment, updated) VALUES (?, ?, ?)",
                    (key_to_db(key), text, time.time()),
                )
            else:
                conn.execute("DELETE FROM comments WHERE key = ?", (key_to_db(key),))
            self._audit(conn, audit.COMMENT, key, {"before": before, "after": text})

    def replace_from_import(
        self, key: str, mask: np.ndarray, min_area: int, candidates: Sequence[tuple[np.ndarray, dict]]
    ) -> tuple[int, list[str], list[str]]:
        """Replace ``key``'s findings by imported ones: (region, raw values) pairs from a file.

        Values are checked against the schema: a bad one is a problem and is dropped; a name the
        schema does not have (another tool's attribute, e.g. CVAT's ``occluded``) is ignored.
        Each candidate goes to the lesion of ``mask`` it overlaps most (the identity rule).
        Returns (lesions given values, problems, ignored names). Nothing changes without a
        schema (one problem says so) or when no value passes (the stored findings stay).
        """
        if not candidates:
            return 0, [], []
        if self.schema is None:
            return 0, ["the project has no findings schema: lesion attributes not imported"], []
        problems: list[str] = []
        ignored: list[str] = []
        checked: list[Finding] = []
        known = set(self.schema.names)
        for region, raw in candidates:
            values: dict[str, Value] = {}
            for name, value in raw.items():
                if name not in known:
                    ignored += [] if name in ignored else [str(name)]
                    continue
                try:
                    parsed = self.schema.attribute(name).parse(value)
                except ValueError as exc:
                    problems.append(str(exc))
                    continue
                if parsed is not None:
                    values[name] = parsed
            if values:
                checked.append(Finding(None, values, Footprint.of(region)))
        if not checked:
            return 0, problems, ignored
        regions = _regions(mask, min_area)
        chosen, _orphans = match(checked, regions)
        with self.store.writing() as conn:
            conn.execute("DELETE FROM findings WHERE key = ?", (key_to_db(key),))
            stored = 0
            for region, finding in zip(regions, chosen, strict=True):
                if finding is not None:
                    self._insert(conn, key, finding.values, Footprint.of(region))
                    stored += 1
            self._audit(conn, audit.FINDING, key, {"change": "import", "lesions": stored})
        return stored, problems, ignored

    def _audit(self, conn: sqlite3.Connection, action: str, key: str, detail: dict) -> None:
        """Append the change to the audit log, in the change's own transaction (issue 18.2)."""
        if self.user is not None and audit.has_table(conn):
            audit.insert(conn, [audit.AuditEvent(action, key, detail, self.user())])

    @staticmethod
    def _insert(conn: sqlite3.Connection, key: str, values: dict[str, Value], footprint: Footprint) -> None:
        conn.execute(
            "INSERT INTO findings (key, attributes, y0, x0, height, width, footprint, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key_to_db(key),
                json.dumps(values),
                footprint.y0,
                footprint.x0,
                *footprint.crop.shape,
                footprint.encode(),
                time.time(),
            ),
        )

    @staticmethod
    def _update(conn: sqlite3.Connection, ident: int, values: dict[str, Value], footprint: Footprint) -> None:
        conn.execute(
            "UPDATE findings SET attributes = ?, y0 = ?, x0 = ?, height = ?, width = ?, footprint = ?, "
            "updated = ? WHERE id = ?",
            (
                json.dumps(values),
                footprint.y0,
                footprint.x0,
                *footprint.crop.shape,
                footprint.encode(),
                time.time(),
                ident,
            ),
        )
