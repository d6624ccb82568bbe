"""The before/after result of a fine-tuning job, as the app reads it from the job folder.

``meddisseg models finish-job`` (``meddisseg_core.models.finish``) writes ``result.json``: the
ids, then :meth:`meddisseg_core.models.compare.Comparison.as_dict`. The core reads it back as a
plain ``dict[str, object]``; this names its shape once, for the control layer that reads it and
the window that shows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict, cast


class Scores(TypedDict):
    """Mean per-image scores on the held-out images (or their difference, after - before)."""

    dice: float
    iou: float


class FineTuneResult(TypedDict):
    job_id: str
    base_id: str  # "" for a network trained from scratch
    new_id: str  # the registry id of the new model
    images: list[str]  # the held-out image keys
    threshold: float
    protocol: str
    before: Scores
    after: Scores
    difference: Scores
    after_is_better: bool


def load_result(job_dir: Path) -> FineTuneResult:
    """``result.json`` of a finished job (imports the core's models package: call it late)."""
    from meddisseg_core.models.finish import read_result

    # Written a moment ago by our own finish-job child, from the same core version: its shape is
    # the core's, so it is named here rather than checked key by key.
    return cast(FineTuneResult, read_result(job_dir))
