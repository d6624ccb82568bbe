"""Review rules that do not need the project: how a mask change moves an image's status. No Qt."""

from __future__ import annotations

from meddisseg_studio.state.model import ReviewStatus


def after_change(status: ReviewStatus, *, manual: bool) -> ReviewStatus:
    """The status of an image whose mask just changed.

    - A person's edit of a new or proposed mask makes it ``edited``; a re-thresholded proposal
      (``manual=False``) is still the model's mask and stays ``proposed``.
    - ANY change of an approved mask (an edit, an undo or redo past the approval) makes it
      ``changed``: the approval and its Dice described another mask. Approving again clears it.
    - Everything else keeps its status (a rejected image stays rejected while it is touched up).
    """
    if status is ReviewStatus.APPROVED:
        return ReviewStatus.CHANGED
    if manual and status in (ReviewStatus.NEW, ReviewStatus.PROPOSED):
        return ReviewStatus.EDITED
    return status
