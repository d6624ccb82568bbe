"""Review rules that do not need the project: how a mask change moves an image's status. No Qt."""

from __future__ import annotations

from meddisseg_studio.state.model import ReviewStatus

CHANGED_AFTER_APPROVAL = "changed after approval"
BACK_TO_PROPOSED = "back to the proposal"


def after_change(
    status: ReviewStatus, *, manual: bool, matches_proposal: bool | None = None
) -> ReviewStatus:
    """The status of an image whose mask just changed.

    ``matches_proposal``: whether the mask now equals the proposal (thresholded), when that was
    checked (undo, redo, revert to proposal); None when it was not (a brush stroke).

    - A mask that is the proposal again (undone all the way back, or reverted) is ``proposed``
      again, from edited, approved or "changed after approval": nobody's work is left in it.
    - A person's edit of a new or proposed mask makes it ``edited``, and so does a redo away
      from the proposal; a re-thresholded proposal (``manual=False``, still the proposal) is
      still the model's mask and stays ``proposed``.
    - ANY other change of an approved mask (an edit, an undo or redo past the approval) makes it
      ``changed``: the approval and its Dice described another mask. Approving again clears it.
    - Everything else keeps its status (a rejected image stays rejected while it is touched up).
    """
    if matches_proposal and status in (ReviewStatus.EDITED, ReviewStatus.CHANGED, ReviewStatus.APPROVED):
        return ReviewStatus.PROPOSED
    if status is ReviewStatus.APPROVED:
        return ReviewStatus.CHANGED
    if status in (ReviewStatus.NEW, ReviewStatus.PROPOSED) and (manual or matches_proposal is False):
        return ReviewStatus.EDITED
    return status


def why(status: ReviewStatus) -> str | None:
    """The reason the audit log gives for a status that a mask change set."""
    return {
        ReviewStatus.CHANGED: CHANGED_AFTER_APPROVAL,
        ReviewStatus.PROPOSED: BACK_TO_PROPOSED,
    }.get(status)
