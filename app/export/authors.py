"""Export approved images in the authors' layout, ready for ``meddisseg train``.

Output::

    <dest>/images/<name>    the original image files, copied byte for byte
    <dest>/masks/<stem>.png the final masks, 0/255 lossless PNG at the original size
    <dest>/train.txt, val.txt   seeded split of the image names, one per line, newline-terminated

Masks are PNG named by the image's stem (a lossy ``.jpg`` mask would blur the edges that
annotators corrected). ``meddisseg train`` pairs ``images/x.jpg`` with ``masks/x.jpg`` or, failing
that, ``masks/x.png``.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from meddisseg_core.atomic import atomic_write_text
from meddisseg_studio.export.common import (
    CancelCallback,
    ExportError,
    Progress,
    ProgressCallback,
    flat_name,
    select,
    staged,
)
from meddisseg_studio.state import codec
from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.state.project import Project


def split_names(names: list[str], val_fraction: float, seed: int) -> tuple[list[str], list[str]]:
    """Sort, shuffle with ``random.Random(seed)``, cut off the validation share (at least one each)."""
    if not 0.0 < val_fraction < 1.0:
        raise ExportError(f"val_fraction must be in (0, 1), got {val_fraction!r}")
    if len(names) < 2:
        raise ExportError(f"need at least 2 approved images for a train/val split, found {len(names)}")
    ordered = sorted(names)
    random.Random(seed).shuffle(ordered)
    n_val = min(max(1, round(len(ordered) * val_fraction)), len(ordered) - 1)
    return sorted(ordered[n_val:]), sorted(ordered[:n_val])


def export_authors(
    project: Project,
    dest: Path | str,
    *,
    val_fraction: float = 0.2,
    seed: int = 0,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> Path:
    """Write the approved images and masks to ``dest`` (which must not exist); returns ``dest``."""
    entries = select(project, (ReviewStatus.APPROVED,))
    names = [flat_name(e.key) for e in entries]
    if len(set(names)) != len(names) or len({Path(n).stem for n in names}) != len(names):
        raise ExportError("two approved images share a file name or stem; rename one of them")
    train, val = split_names(names, val_fraction, seed)
    dest = Path(dest)
    steps = Progress(len(entries), progress, should_cancel)
    steps.check()
    with staged(dest, folder=True) as partial:
        (partial / "images").mkdir()
        (partial / "masks").mkdir()
        for entry, name in zip(entries, names, strict=True):
            mask = project.load_mask(entry.key)
            if mask is None:
                raise ExportError(f"{entry.key}: approved but no mask is stored")
            shutil.copyfile(entry.path, partial / "images" / name)
            (partial / "masks" / (Path(name).stem + ".png")).write_bytes(codec.encode_mask_png(mask))
            steps.step()
        atomic_write_text(partial / "train.txt", "".join(f"{n}\n" for n in train))
        atomic_write_text(partial / "val.txt", "".join(f"{n}\n" for n in val))
    return dest
