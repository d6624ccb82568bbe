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


class Group(TypedDict):
    """Scores of one group of held-out images (None where the group is empty)."""

    images: list[str]
    before: dict[str, float | None]
    after: dict[str, float | None]
    difference: dict[str, float | None]


class FineTuneResult(TypedDict, total=False):
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
    corrected: Group  # held-out images a person corrected: the verdict rests on these
    accepted: Group  # held-out images approved unedited: the no-regression check
    verdict: str  # better | not_better | regresses | too_few
    verdict_text: str


def _scores(group: Group | None, word: str) -> str:
    if not group or not group["images"]:
        return f"no {word} held-out images"
    before, after = group["before"]["dice"], group["after"]["dice"]
    count = len(group["images"])
    if before is None or after is None:
        return f"{count} {word}"
    return f"{count} {word}: Dice {before:.3f} → {after:.3f} ({after - before:+.3f})"


def summary_text(result: FineTuneResult) -> str:
    """The verdict and both groups in a few lines (the Jobs panel, the last job's record)."""
    verdict = result.get("verdict_text") or (
        "The new model is better on the held-out images."
        if result.get("after_is_better")
        else "The new model is not better on the held-out images."
    )
    lines = [verdict]
    if "corrected" in result:
        lines.append("Corrected by you (the verdict): " + _scores(result.get("corrected"), "corrected"))
        lines.append(
            "Accepted unedited (no-regression check, agreement with what you accepted): "
            + _scores(result.get("accepted"), "accepted")
        )
    else:  # a result written before the two groups existed
        every: Group = {
            "images": result["images"],
            "before": dict(result["before"]),
            "after": dict(result["after"]),
            "difference": dict(result["difference"]),
        }
        lines.append(_scores(every, "held-out"))
    return "\n".join(lines)


def load_result(job_dir: Path) -> FineTuneResult:
    """``result.json`` of a finished job (imports the core's models package: call it late)."""
    from meddisseg_core.models.finish import read_result

    # Written a moment ago by our own finish-job child, from the same core version: its shape is
    # the core's, so it is named here rather than checked key by key.
    return cast(FineTuneResult, read_result(job_dir))
