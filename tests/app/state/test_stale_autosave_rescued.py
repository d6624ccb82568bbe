"""A background autosave based on an old record is refused and its mask rescued; reload stops the refusals.

The stroke's status change is refused at once; the autosave thread reports the mask's refusal on
the next flush; strokes queued before the reload are
refused too (never written over the newer mask); after ``reload`` the image shows the stored
mask and new strokes save again.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from meddisseg_studio.state import EditSession, MaskEdit, Project, codec
from meddisseg_studio.state import lease as lease_module
from meddisseg_studio.state.errors import StaleRecordError


def test_stale_autosave_is_rescued_not_written(
    flat_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    monkeypatch.setattr(lease_module, "LEASE_NAME", "writer-A.lease")
    a = Project.open(flat_folder, state_dir=state)
    monkeypatch.setattr(lease_module, "LEASE_NAME", "writer-B.lease")
    b = Project.open(flat_folder, state_dir=state)
    theirs = np.zeros((24, 32), np.uint8)
    theirs[:4, :4] = 1
    a.approve("a.png", theirs)

    session = EditSession(b, "a.png", shape=(24, 32))  # background autosave, as in the app
    stroke = np.ones((5, 5), np.uint8)
    with pytest.raises(StaleRecordError):  # its status change (new -> edited) is refused at once
        session.apply(MaskEdit(10, 10, session.mask[10:15, 10:15].copy(), stroke))
    mine = session.mask.copy()
    with pytest.raises(StaleRecordError) as caught:
        session.flush()
    rescued = caught.value.rescued
    assert rescued is not None
    record = json.loads(rescued.read_text())
    assert np.array_equal(codec.decode_mask_png(rescued.with_name(record["mask"])), mine)
    assert session.dirty  # not on disk in the folder's state
    assert np.array_equal(b.store.read_mask("a.png"), theirs)  # the newer mask is untouched

    b.reload("a.png")
    fresh = EditSession(b, "a.png", background=False)
    assert np.array_equal(fresh.mask, theirs)
    fresh.apply(MaskEdit(0, 20, fresh.mask[0:2, 20:22].copy(), np.ones((2, 2), np.uint8)))
    assert not fresh.dirty and int(b.store.read_mask("a.png").sum()) == 16 + 4
    a.close()
    b.close()
