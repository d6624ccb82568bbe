"""Import a folder of mask images, matched to the project's images by name.

``SRC/sub/a.png`` is the mask of the image ``sub/a.<any suffix>``, or failing that of the only
image whose file stem is ``a``. Masks are read as ``meddisseg train`` reads them (grey >= 128
is foreground, so JPEG masks such as Kvasir-SEG's work; a lossless 0/1 label map counts too)
and must have their image's size.
"""

from __future__ import annotations

from pathlib import Path

from meddisseg_core.errors import MedDisSegError
from meddisseg_core.imageio import SUPPORTED_EXTENSIONS, read_mask
from meddisseg_studio.imports.common import (
    ImportAs,
    ImportFailedError,
    ImportReport,
    KeyIndex,
    ProgressCallback,
    check_writable,
    image_files,
    recorded,
    store_mask,
)
from meddisseg_studio.state.project import Project


def import_masks(
    project: Project,
    source: Path | str,
    *,
    as_status: ImportAs = ImportAs.PROPOSED,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import every mask file under ``source``; see the module docstring."""
    source = Path(source)
    if not source.is_dir():
        raise ImportFailedError(f"{source}: not a folder of masks")
    check_writable(project)
    report = ImportReport("masks")
    index = KeyIndex(project)
    files = image_files(source, SUPPORTED_EXTENSIONS)
    taken: dict[str, str] = {}
    for done, (relative, path) in enumerate(files, start=1):
        key, why = index.find(relative)
        if key is None:
            report.failed.append((relative, why))
        elif key in taken:
            report.failed.append((relative, f"{taken[key]} is already the mask of {key}"))
        else:
            taken[key] = relative
            try:
                mask = read_mask(path, expected_shape=project.image_shape(key))
            except MedDisSegError as exc:
                report.failed.append((relative, str(exc)))
            else:
                store_mask(project, key, mask, as_status, force, report)
        if progress is not None:
            progress(done, len(files))
    if not files:
        report.notes.append(f"no mask images (jpg, png, bmp, tif) under {source}")
    return recorded(project, report, source, as_status)
