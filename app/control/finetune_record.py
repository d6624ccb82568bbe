"""What the fine-tune control keeps in the folder's state: which images were corrected, which were
trained on, and the last job's record (shown in the Jobs panel after a restart).

``<state>/finetune/last_job.json`` holds the last job's title, how it ended, its curves (epoch
and batch points), its before/after result and the verdict text, and the end of its log.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .finetune_result import FineTuneResult, summary_text

if TYPE_CHECKING:
    from meddisseg_core.models.jobrun import FineTuneRun
    from meddisseg_studio.state.project import Project

log = logging.getLogger(__name__)
LAST_JOB = "last_job.json"
MAX_BATCH_POINTS = 2000  # a long GPU run is thinned to this many points in the record


def corrected_keys(project: Project, keys: Sequence[str]) -> set[str]:
    """The approved keys whose final mask a person corrected (meddisseg_core.models.heldout)."""
    from meddisseg_core.models.heldout import is_corrected

    return {k for k in keys if is_corrected(project.entry(k).edited_fraction)}


def trained_before(jobs_dir: Path) -> set[str]:
    """Every key an earlier job of this folder trained on (a top-up of the held-out images must
    never add one of them)."""
    keys: set[str] = set()
    for spec in sorted(Path(jobs_dir).glob("*/job.json")):
        try:
            keys.update(str(k) for k in json.loads(spec.read_text(encoding="utf-8"))["train_images"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("%s: unreadable job spec skipped (%s)", spec, exc)
    return keys


def job_record(run: FineTuneRun, title: str, status: str, result: FineTuneResult | None) -> dict[str, Any]:
    batches = list(run.batches)
    if len(batches) > MAX_BATCH_POINTS:
        step = len(batches) / MAX_BATCH_POINTS
        batches = [batches[int(i * step)] for i in range(MAX_BATCH_POINTS)] + [batches[-1]]
    last = run.points[-1].epoch if run.points else (batches[-1].epoch if batches else 0)
    speed = run.images_per_s()
    return {
        "job_id": run.spec.job_id,
        "title": title,
        "status": status,
        "stats": f"{last} of {run.spec.epochs} epoch(s)"
        + (f" · {speed:.3g} images/s" if speed else ""),
        "points": [list(p) for p in run.points],
        "batches": [list(b) for b in batches],
        "result": result,
        "result_text": summary_text(result) if result is not None else "",
        "log_tail": run.log_tail(),
        "ended": datetime.now(UTC).isoformat(timespec="seconds"),
    }
