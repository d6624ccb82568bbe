"""Project state of Med-DisSeg Studio: images, masks, proposals, review, undo. No Qt here."""

from meddisseg_studio.state.autosave import AutosaveQueue
from meddisseg_studio.state.edits import MaskEdit, diff_edit
from meddisseg_studio.state.errors import (
    SaveError,
    StaleRecordError,
    StateCorruptError,
    StateLeasedError,
    StateLockedError,
    StateUnavailableError,
    StateVersionError,
    UnknownImageError,
)
from meddisseg_studio.state.model import ImageEntry, Proposal, ReviewStatus, Summary, SummaryRow
from meddisseg_studio.state.project import STATE_DIR_NAME, Project
from meddisseg_studio.state.session import EditSession
from meddisseg_studio.state.store import quarantine_and_reset
from meddisseg_studio.state.undo import UndoHistory, UndoStack

__all__ = [
    "STATE_DIR_NAME",
    "AutosaveQueue",
    "EditSession",
    "ImageEntry",
    "MaskEdit",
    "Project",
    "Proposal",
    "ReviewStatus",
    "SaveError",
    "StaleRecordError",
    "StateCorruptError",
    "StateLeasedError",
    "StateLockedError",
    "StateUnavailableError",
    "StateVersionError",
    "Summary",
    "SummaryRow",
    "UndoHistory",
    "UndoStack",
    "UnknownImageError",
    "diff_edit",
    "quarantine_and_reset",
]
