"""A symlink loop (or a broken link) in a folder is listed as unreadable with its reason; the rest opens."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from meddisseg_studio.state import Project

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink") or os.name != "posix", reason="POSIX symlinks")


def test_symlink_loop_is_listed_as_unreadable_and_the_folder_opens(flat_folder: Path) -> None:
    os.symlink("loop.jpg", flat_folder / "loop.jpg")  # points at itself: ELOOP on stat
    os.symlink("ping.png", flat_folder / "pong.png")
    os.symlink("pong.png", flat_folder / "ping.png")
    os.symlink("missing.png", flat_folder / "dangling.png")
    (flat_folder / "sub").mkdir()
    os.symlink("../sub", flat_folder / "sub" / "up")  # a folder link: not an image, not followed

    project = Project.open(flat_folder)

    assert project.keys() == ["a.png", "b.JPG", "c.png", "dangling.png", "loop.jpg", "ping.png", "pong.png"]
    for key in ("loop.jpg", "ping.png", "pong.png"):
        error = project.entry(key).error
        assert error is not None and "symbolic link loop" in error, (key, error)
    dangling = project.entry("dangling.png").error
    assert dangling is not None and "broken symbolic link" in dangling
    for key in ("a.png", "b.JPG", "c.png"):
        assert project.entry(key).error is None
        assert project.load_image(key).ndim == 3
    # unreadable entries never enter the review queue
    assert set(project.review_queue()) == {"a.png", "b.JPG", "c.png"}
    assert project.summary().errors == 4
    project.close()


def test_the_listing_error_wins_over_a_stale_stored_one(flat_folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    os.symlink("loop.png", flat_folder / "loop.png")
    Project.open(flat_folder, state_dir=state).close()
    os.unlink(flat_folder / "loop.png")
    os.symlink("a.png", flat_folder / "loop.png")  # fixed: now a good link to a real image
    project = Project.open(flat_folder, state_dir=state)
    assert project.entry("loop.png").error is None
    assert project.load_image("loop.png").shape == project.load_image("a.png").shape
    project.close()
