"""A write based on an older version of an image's record is refused, named, and kept aside.

The issue's reproduction, with the lease bypassed (each open gets a lease file of its own name,
as on a share where the other's lock file is not seen): A approves image 0; B, which read the
folder before, approves image 0 with another mask and rejects image 1; A approves image 0 again.
Nothing is overwritten unannounced: B's approval of image 0 is refused and rescued, and so is
A's second approval (B's rejection of image 1 is no conflict: A never wrote it).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from meddisseg_studio.state import Project, ReviewStatus, codec
from meddisseg_studio.state import lease as lease_module
from meddisseg_studio.state.errors import SaveError, StaleRecordError


def _open(folder: Path, state: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setattr(lease_module, "LEASE_NAME", f"writer-{name}.lease")
    return Project.open(folder, state_dir=state, user=f"user {name}")


def test_write_on_a_stale_version_is_refused_and_rescued(
    flat_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    a = _open(flat_folder, state, "A", monkeypatch)
    b = _open(flat_folder, state, "B", monkeypatch)
    first, second = "a.png", "b.JPG"
    mask_a = np.zeros((24, 32), np.uint8)
    mask_a[2:10, 3:12] = 1
    a.approve(first, mask_a)
    assert a.entry(first).version == 1

    mask_b = np.ones((24, 32), np.uint8)
    with pytest.raises(StaleRecordError) as caught:
        b.approve(first, mask_b)
    error = caught.value
    assert isinstance(error, SaveError)  # a failed save: the edit is not lost, the work stays dirty
    assert (error.key, error.based_on, error.stored) == (first, 0, 1)
    assert "'a.png'" in str(error) and "version 1" in str(error) and "version 0" in str(error)
    assert error.rescued is not None and str(error.rescued) in str(error)
    assert error.rescued.parent == state / "rescued" and "user_B" in error.rescued.name
    record = json.loads(error.rescued.read_text())
    assert (record["image"], record["based_on_version"], record["stored_version"]) == (first, 0, 1)
    assert record["status"] == "approved" and record["user"] == "user B"
    assert np.array_equal(codec.decode_mask_png(error.rescued.with_name(record["mask"])), mask_b)
    assert b.entry(first).status is ReviewStatus.NEW  # rolled back in memory, as any failed save

    b.reject(second, "blurred")  # A never wrote image 1: no conflict
    with pytest.raises(StaleRecordError):  # A read image 1 before B rejected it
        a.reject(second, "other reason")

    b.reload(first)  # B looks again: now B's change is based on what is stored
    assert b.entry(first).status is ReviewStatus.APPROVED and b.entry(first).version == 1
    b.approve(first, mask_b)
    with pytest.raises(StaleRecordError):  # and now A is the one behind
        a.approve(first, mask_a)

    a.close()
    b.close()
    final = Project.open(flat_folder, state_dir=state, read_only=True)
    assert np.array_equal(final.load_mask(first), mask_b)
    assert final.entry(second).reject_reason == "blurred"
    assert len(list((state / "rescued").glob("*.json"))) == 3
