"""The authors' layout export loads in a loader with exactly the authors' semantics.

Images of every kind the studio opens (JPEG, PNG, BMP, grey, RGBA, 16-bit TIFF) come back with
the pixels ``cv2.imread`` gives for the original, and masks with the approved masks. A 16-bit
TIFF keeps its 16 bits (identical under ``IMREAD_UNCHANGED``); OpenCV's own 8-bit reduction
rounds for TIFF but truncates for PNG, so there the authors' 8-bit read may differ by one level.
"""

from pathlib import Path

import cv2
import numpy as np
from authors_reader import authors_pairs

from meddisseg_studio.export import ExportOptions, write_authors
from meddisseg_studio.state import Project


def _write(path: Path, array: np.ndarray) -> None:
    ok, buffer = cv2.imencode(path.suffix, array)
    assert ok
    path.write_bytes(buffer.tobytes())


def test_every_pair_loads_with_the_source_pixels_and_the_approved_mask(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    folder = tmp_path / "images"
    folder.mkdir()
    _write(folder / "colour.jpg", rng.integers(0, 256, (37, 41, 3), dtype=np.uint8))
    _write(folder / "grey.jpg", rng.integers(0, 256, (20, 30), dtype=np.uint8))
    _write(folder / "plain.png", rng.integers(0, 256, (16, 24, 3), dtype=np.uint8))
    _write(folder / "alpha.png", rng.integers(0, 256, (18, 18, 4), dtype=np.uint8))
    _write(folder / "scan.bmp", rng.integers(0, 256, (15, 22, 3), dtype=np.uint8))
    _write(folder / "deep.tif", rng.integers(0, 65536, (19, 23, 3), dtype=np.uint16))
    project = Project.open(folder, state_dir=tmp_path / "state")
    approved = {}
    for entry in project.entries:
        height, width = project.image_shape(entry.key)
        approved[entry.key] = (rng.random((height, width)) > 0.6).astype(np.uint8)
        project.approve(entry.key, approved[entry.key])

    result = write_authors(project, tmp_path / "export", options=ExportOptions(val_fraction=0.3))
    pairs = authors_pairs(result.dest, "train") | authors_pairs(result.dest, "val")

    assert sorted(pairs) == sorted(Path(key).stem + ".png" for key in approved)
    for key, mask in approved.items():
        image, grey = pairs[Path(key).stem + ".png"]
        assert image is not None
        source = cv2.imread(str(folder / key), cv2.IMREAD_COLOR)
        if key == "deep.tif":
            assert np.abs(image.astype(int) - source).max() <= 1
        else:
            assert np.array_equal(image, source), key
        full_depth = cv2.IMREAD_ANYDEPTH | cv2.IMREAD_ANYCOLOR
        exported = cv2.imread(str(result.dest / "images" / (Path(key).stem + ".png")), full_depth)
        assert np.array_equal(exported, cv2.imread(str(folder / key), full_depth)), key
        assert grey is not None and np.array_equal(grey, mask * np.uint8(255)), key
    assert result.renamed == () and result.skipped == ()
