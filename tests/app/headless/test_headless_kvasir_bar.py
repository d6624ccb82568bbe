"""The bar: ``meddisseg-studio import`` of Kvasir masks, then ``export --format authors``, read with
the authors' semantics: every pair loads, and the pixels equal the sources. Runs the real entry
point in a fresh interpreter and checks that neither Qt nor torch was imported on the way.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np

N_IMAGES = 6
RUN = (
    "import sys; from meddisseg_studio.main import main; code = main(sys.argv[1:]); "
    "assert 'PySide6' not in sys.modules and 'torch' not in sys.modules, 'headless imported Qt/torch'; "
    "sys.exit(code)"
)


def _studio(*args: object) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", RUN, *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def test_import_kvasir_masks_then_export_authors_layout(kvasir_dir: Path, tmp_path: Path) -> None:
    names = (kvasir_dir / "train.txt").read_text().split()[:N_IMAGES]
    project, masks = tmp_path / "project", tmp_path / "masks"
    project.mkdir()
    masks.mkdir()
    for name in names:
        shutil.copyfile(kvasir_dir / "images" / name, project / name)
        shutil.copyfile(kvasir_dir / "masks" / name, masks / name)

    imported = _studio("import", project, "--from", "masks", masks, "--as", "approved")
    assert imported.returncode == 0, imported.stderr
    assert f"{N_IMAGES} imported, 0 skipped, 0 failed" in imported.stdout
    out = tmp_path / "authors"
    exported = _studio("export", project, "--format", "authors", "--out", out)
    assert exported.returncode == 0, exported.stderr

    # The authors' loader: names from the split files (last element after the final newline
    # dropped), then cv2.imread of images/<name> and masks/<name>.
    listed = []
    for split in ("train", "val"):
        listed += (out / f"{split}.txt").read_text().split("\n")[:-1]
    assert sorted(listed) == sorted(Path(n).stem + ".png" for n in names)
    for name in names:
        exported_name = Path(name).stem + ".png"
        image = cv2.imread(str(out / "images" / exported_name))
        mask = cv2.imread(str(out / "masks" / exported_name), cv2.IMREAD_GRAYSCALE)
        assert image is not None and mask is not None, name
        assert np.array_equal(image, cv2.imread(str(kvasir_dir / "images" / name))), name
        source_mask = cv2.imread(str(kvasir_dir / "masks" / name), cv2.IMREAD_GRAYSCALE)
        assert np.array_equal(mask, np.where(source_mask >= 128, 255, 0).astype(np.uint8)), name
