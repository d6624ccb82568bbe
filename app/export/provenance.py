"""Who approved each exported mask, when, and which model proposed it: read from the audit log.

An approved image's provenance is its latest ``approve`` row (user, time, the approved mask's
sha256) and the latest ``propose`` row before it (the model's shown name, registry id and file
sha256). Images that are not approved now (an export of every status) get the model only: an
earlier approval described another mask. Images reviewed before the log existed have no rows;
their model is then the entry's ``model_id`` and the rest is empty.

The authors' layout carries it in ``provenance.csv`` / ``provenance.json`` beside ``masks/``
(their loader reads only images/, masks/ and the split lists, so it is unaffected), COCO in each
image's ``"meddisseg"`` object, the CSV summary in its columns.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, fields

from meddisseg_studio.state import audit
from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.state.project import Project

SIDECAR_CSV = "provenance.csv"
SIDECAR_JSON = "provenance.json"


@dataclass(frozen=True)
class Provenance:
    approved_by: str | None = None
    approved_at: str | None = None  # UTC, ISO 8601
    mask_sha256: str | None = None  # of the approved mask (see state/audit.py)
    model: str | None = None  # the model's name as the app showed it
    model_id: str | None = None  # the model registry's id
    model_sha256: str | None = None  # sha256 of the model file

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


FIELDS = tuple(f.name for f in fields(Provenance))


def provenances(project: Project) -> dict[str, Provenance]:
    """Every image's provenance by key (one pass over the log)."""
    proposed: dict[str, audit.AuditRecord] = {}
    found: dict[str, Provenance] = {}
    for record in project.history(actions=(audit.PROPOSE, audit.APPROVE)):
        if record.image is None:
            continue
        if record.action == audit.PROPOSE:
            proposed[record.image] = record
        elif record.action == audit.APPROVE:
            model = _model(proposed.get(record.image))
            found[record.image] = Provenance(
                record.user, record.time, record.details.get("mask_sha256"), *model
            )
    result = {}
    for entry in project.entries:
        known = found.get(entry.key)
        if entry.status is ReviewStatus.APPROVED and known is not None:
            result[entry.key] = known
        else:
            model = _model(proposed.get(entry.key))
            if model == (None, None, None):
                model = (entry.model_id, None, None)
            result[entry.key] = Provenance(None, None, None, *model)
    return result


def _model(record: audit.AuditRecord | None) -> tuple[str | None, str | None, str | None]:
    if record is None:
        return (None, None, None)
    d = record.details
    return (d.get("model"), d.get("model_id"), d.get("model_sha256"))


def sidecar_texts(rows: list[tuple[str, str, Provenance]]) -> tuple[str, str]:
    """(provenance.csv, provenance.json) for (exported name, image key, provenance) rows."""
    from meddisseg_studio.export.csv import neutralise  # the CSV summary imports this module

    header = ("name", "key", *FIELDS)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    document = []
    for name, key, prov in rows:
        values = {"name": name, "key": _text(key), **prov.as_dict()}
        writer.writerow(["" if values[h] is None else neutralise(str(values[h])) for h in header])
        document.append(values)
    return buffer.getvalue(), json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def _text(key: str) -> str:
    # A name that is not valid UTF-8 keeps its odd bytes as \xNN escapes (as the CSV summary does).
    return key.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
