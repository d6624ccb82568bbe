"""Export the audit log (``audit`` format): ``audit.csv`` and ``audit.json`` in a folder.

Both hold the same rows in order (``id``, ``time`` UTC ISO 8601, ``user``, ``image`` (empty /
null for events of the whole folder), ``action``, ``details``); the JSON keeps ``details`` as an
object, the CSV as its JSON text. CSV cells that a spreadsheet would run as a formula (and, so
that reading back is exact, cells that start with ``'``) get one leading ``'``, which
:func:`read_audit_csv` removes. With ``statuses``, only the rows of images with those statuses
are written, with the folder's own rows (imports, exports, models).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from meddisseg_studio.export.common import (
    CancelCallback,
    ExportOptions,
    ExportResult,
    Progress,
    ProgressCallback,
    Written,
    select,
    staged,
)
from meddisseg_studio.export.csv import FORMULA_TRIGGERS
from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.state.project import Project

CSV_NAME = "audit.csv"
JSON_NAME = "audit.json"
COLUMNS = ("id", "time", "user", "image", "action", "details")
_QUOTED = (*FORMULA_TRIGGERS, "'")


def _protect(text: str) -> str:
    return "'" + text if text.startswith(_QUOTED) else text


def _unprotect(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def _name(value: str | None) -> str | None:
    # Names that are not valid UTF-8 keep their odd bytes as \xNN escapes.
    return (
        None
        if value is None
        else value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    )


def write_audit(
    project: Project,
    dest: Path | str,
    *,
    statuses: tuple[ReviewStatus, ...] | None = None,
    options: ExportOptions | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> ExportResult:
    """Write the folder ``dest`` (must not exist) with the log as CSV and JSON."""
    del options  # nothing to choose
    dest = Path(dest)
    wanted = None if statuses is None else {e.key for e in select(project, statuses)}
    records = [r for r in project.history() if wanted is None or r.image is None or r.image in wanted]
    steps = Progress(len(records), progress, should_cancel)
    steps.check()
    rows = [{**r.as_dict(), "image": _name(r.image)} for r in records]
    table = io.StringIO(newline="")
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        details = json.dumps(row["details"], sort_keys=True, ensure_ascii=False)
        cells = (str(row["id"]), row["time"], row["user"], row["image"] or "", row["action"], details)
        writer.writerow([_protect(c) for c in cells])
        steps.step()
    with staged(dest, folder=True) as partial:
        out = Written(partial)
        out.text(CSV_NAME, table.getvalue())
        out.text(JSON_NAME, json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    return ExportResult("audit", dest, out.published(dest))


def read_audit_csv(path: Path | str) -> list[dict[str, Any]]:
    """The rows of an ``audit.csv``, as :func:`read_audit_json` gives them."""
    with open(path, newline="", encoding="utf-8") as stream:
        rows = []
        for cells in csv.DictReader(stream):
            row = {k: _unprotect(v) for k, v in cells.items()}
            rows.append(
                {
                    "id": int(row["id"]),
                    "time": row["time"],
                    "user": row["user"],
                    "image": row["image"] or None,
                    "action": row["action"],
                    "details": json.loads(row["details"]),
                }
            )
        return rows


def read_audit_json(path: Path | str) -> list[dict[str, Any]]:
    return list(json.loads(Path(path).read_text(encoding="utf-8")))
