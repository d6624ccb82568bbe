"""Plain data of a review project: statuses, image entries, proposals and the summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import numpy as np


class ReviewStatus(StrEnum):
    NEW = "new"
    PROPOSED = "proposed"
    EDITED = "edited"
    APPROVED = "approved"
    REJECTED = "rejected"
    #: The mask changed after it was approved: the approval (and its Dice) no longer hold, so the
    #: image counts as unreviewed, is left out of exports of approved masks, and needs approving again.
    CHANGED = "changed"

    @property
    def reviewed(self) -> bool:
        return self in (ReviewStatus.APPROVED, ReviewStatus.REJECTED)

    @property
    def label(self) -> str:
        """How the status reads in the list and panels."""
        return "changed after approval" if self is ReviewStatus.CHANGED else self.value


@dataclass
class ImageEntry:
    """One image of the project and what is known about its review.

    ``key`` is the posix path relative to the image folder. ``error`` says why the image
    cannot be shown (unreadable, too large), or is None.
    """

    key: str
    path: Path
    status: ReviewStatus = ReviewStatus.NEW
    reject_reason: str | None = None
    proposal_dice: float | None = None
    uncertainty: float | None = None
    edited_fraction: float | None = None
    error: str | None = None
    label_path: Path | None = None
    model_id: str | None = None
    created: float | None = None
    updated: float | None = None
    # Lesions (components of at least ``lesion_min_area`` pixels) in the stored mask; None: not known.
    lesions: int | None = None
    lesion_min_area: int | None = None
    # The version of the stored record this entry was read at or last written as (0: no record).
    # Every write is based on it; one based on an older version than the stored one is refused.
    version: int = 0

    @property
    def has_label(self) -> bool:
        """True when the authors' masks/ folder holds a starting label for this image."""
        return self.label_path is not None


@dataclass(frozen=True, eq=False)
class Proposal:
    """A model's proposal for one image: float32 H×W maps at the image's size."""

    probability: np.ndarray
    uncertainty: np.ndarray | None = None
    model_id: str = ""
    threshold: float = 0.5
    # How the model ran: "bf16", "fp32", "fp32 in onnxruntime"; "" if not recorded (older proposals).
    precision: str = ""

    def __post_init__(self) -> None:
        prob = np.asarray(self.probability, dtype=np.float32)
        if prob.ndim != 2:
            raise ValueError(f"Proposal.probability must be H×W, got shape {prob.shape}")
        object.__setattr__(self, "probability", prob)
        if self.uncertainty is not None:
            unc = np.asarray(self.uncertainty, dtype=np.float32)
            if unc.shape != prob.shape:
                raise ValueError(
                    f"Proposal.uncertainty shape {unc.shape} differs from probability {prob.shape}"
                )
            object.__setattr__(self, "uncertainty", unc)
        if not 0.0 <= float(self.threshold) <= 1.0:
            raise ValueError(f"Proposal.threshold must be in [0, 1], got {self.threshold}")
        object.__setattr__(self, "threshold", float(self.threshold))

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.probability.shape[0]), int(self.probability.shape[1]))

    def binary_mask(self) -> np.ndarray:
        """The proposal thresholded (probability > threshold) as an H×W uint8 0/1 mask."""
        return (self.probability > self.threshold).astype(np.uint8)


@dataclass(frozen=True)
class SummaryRow:
    key: str
    status: ReviewStatus
    proposal_dice: float | None
    uncertainty: float | None
    edited_fraction: float | None
    reject_reason: str | None
    error: str | None


@dataclass(frozen=True)
class Summary:
    """Per-image rows and overall numbers of a project's review."""

    rows: tuple[SummaryRow, ...]
    counts: dict[ReviewStatus, int] = field(default_factory=dict)
    mean_dice_approved: float | None = None
    mean_edited_fraction: float | None = None
    errors: int = 0

    @property
    def total(self) -> int:
        return len(self.rows)

    @staticmethod
    def from_entries(entries: list[ImageEntry]) -> Summary:
        rows = tuple(
            SummaryRow(
                e.key, e.status, e.proposal_dice, e.uncertainty, e.edited_fraction, e.reject_reason, e.error
            )
            for e in entries
        )
        counts = {status: 0 for status in ReviewStatus}
        for e in entries:
            counts[e.status] += 1
        approved = [e for e in entries if e.status is ReviewStatus.APPROVED]
        dices = [e.proposal_dice for e in approved if e.proposal_dice is not None]
        fractions = [e.edited_fraction for e in approved if e.edited_fraction is not None]
        return Summary(
            rows=rows,
            counts=counts,
            mean_dice_approved=float(np.mean(dices)) if dices else None,
            mean_edited_fraction=float(np.mean(fractions)) if fractions else None,
            errors=sum(1 for e in entries if e.error),
        )
