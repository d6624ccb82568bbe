"""The JSON-lines job protocol of ``meddisseg train --events`` (documented in docs/EVENTS.md).

Every event is one JSON object on one line, flushed at once, carrying ``v`` (protocol version),
``type``, ``time`` (UTC ISO 8601) and ``job_id``. Only rank 0 of a distributed job writes.
"""

from __future__ import annotations

import json
import math
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

PROTOCOL_VERSION = 1
# ``batch_end`` came later in version 1: a reader ignores types it does not know.
EVENT_TYPES = (
    "started",
    "batch_end",
    "epoch_end",
    "checkpoint",
    "warning",
    "finished",
    "failed",
    "cancelled",
)


def _jsonable(value: Any) -> Any:
    # NaN/inf are not JSON: a non-finite loss is reported as null (the warning says why).
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


class EventWriter:
    """Writes events to a file (appending), to stdout ("-"), or nowhere (None / not rank 0)."""

    def __init__(self, target: str | Path | None, *, job_id: str | None = None, enabled: bool = True) -> None:
        self.job_id = job_id or uuid.uuid4().hex[:12]
        self._stream: TextIO | None = None
        self._owned = False
        if target is None or not enabled:
            return
        if str(target) == "-":
            self._stream = sys.stdout
        else:
            path = Path(target)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._stream = path.open("a", encoding="utf-8")
            self._owned = True

    def emit(self, event_type: str, **fields: Any) -> dict[str, Any]:
        if event_type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {event_type!r}")
        record = {
            "v": PROTOCOL_VERSION,
            "type": event_type,
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "job_id": self.job_id,
            **_jsonable(fields),
        }
        if self._stream is not None:
            self._stream.write(json.dumps(record, allow_nan=False) + "\n")
            self._stream.flush()
        return record

    def close(self) -> None:
        if self._owned and self._stream is not None:
            self._stream.close()
        self._stream = None
