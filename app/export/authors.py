"""Export reviewed images in the authors' layout, readable by their loader and by ``meddisseg train``.

Output::

    <dest>/images/<stem>.png    the image, pixel-identical to the original, as lossless PNG
    <dest>/masks/<stem>.png     the final mask, 0/255 lossless PNG at the image's size
    <dest>/train.txt, val.txt   seeded split of the names ``<stem>.png``, one per line,
                                every line (the last included) ending in a newline
    <dest>/provenance.csv, .json  per name: who approved the mask, when, and which model
                                proposed it (:mod:`meddisseg_studio.export.provenance`)

The authors' loader reads ``images/<name>`` and ``masks/<name>`` with the *same* file name,
suffix included, both with ``cv2.imread``. Masks must stay lossless (a JPEG mask blurs the
corrected edges), so images are written as PNG too: a PNG original is copied byte for byte,
any other format is decoded as ``cv2.imread`` decodes it (grey stays grey, 16-bit stays 16-bit,
EXIF orientation applied) and re-encoded, so ``cv2.imread`` returns the same pixels from the
export as from the original. ``<stem>`` is the image's name made safe and unique
(:mod:`meddisseg_studio.export.names`); renamed images are listed in the result.
"""

from __future__ import annotations

import random
from pathlib import Path

from meddisseg_core.errors import ImageReadError
from meddisseg_studio.export.common import (
    CancelCallback,
    ExportError,
    ExportOptions,
    ExportResult,
    Progress,
    ProgressCallback,
    Written,
    select,
    staged,
    stored_mask,
)
from meddisseg_studio.export.names import assign_names
from meddisseg_studio.export.pixels import image_as_png
from meddisseg_studio.export.provenance import SIDECAR_CSV, SIDECAR_JSON, provenances, sidecar_texts
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


def write_authors(
    project: Project,
    dest: Path | str,
    *,
    statuses: tuple[ReviewStatus, ...] | None = (ReviewStatus.APPROVED,),
    options: ExportOptions | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> ExportResult:
    """Write the images with ``statuses`` and their masks to ``dest`` (which must not exist).

    An image that cannot be exported (no mask stored, unreadable, mask of another size) is
    skipped and listed; ExportError when fewer than two images remain for the split.
    """
    options = options or ExportOptions()
    dest = Path(dest)
    entries = select(project, statuses)
    assignment = assign_names([e.key for e in entries], ".png")
    steps = Progress(len(entries), progress, should_cancel)
    steps.check()
    skipped: list[tuple[str, str]] = []
    exported: list[str] = []
    with staged(dest, folder=True) as partial:
        out = Written(partial)
        for entry in entries:
            problem = _export_pair(project, entry.key, assignment.names[entry.key], out)
            if problem is None:
                exported.append(assignment.names[entry.key])
            else:
                skipped.append((entry.key, problem))
            steps.step()
        if len(exported) < 2:
            reasons = "; ".join(f"{key}: {why}" for key, why in skipped[:3])
            raise ExportError(
                f"need at least 2 exportable images for a train/val split, found {len(exported)}"
                + (f" ({reasons})" if reasons else "")
            )
        train, val = split_names(exported, options.val_fraction, options.seed)
        out.text("train.txt", "".join(f"{n}\n" for n in train))
        out.text("val.txt", "".join(f"{n}\n" for n in val))
        known = provenances(project)
        keys = {assignment.names[e.key]: e.key for e in entries}
        table, document = sidecar_texts([(name, keys[name], known[keys[name]]) for name in sorted(exported)])
        out.text(SIDECAR_CSV, table)
        out.text(SIDECAR_JSON, document)
    renamed = tuple(r for r in assignment.renamed if r.name in set(exported))
    return ExportResult("authors", dest, out.published(dest), tuple(skipped), renamed)


def _export_pair(project: Project, key: str, name: str, out: Written) -> str | None:
    """Write ``images/<name>`` and ``masks/<name>``; the reason when the image is skipped."""
    mask = stored_mask(project, key)
    if isinstance(mask, str):
        return mask
    try:
        image = image_as_png(project.entry(key).path, project.max_pixels)
    except ImageReadError as exc:
        return f"the image cannot be read ({exc.reason})"
    if mask.shape != (image.height, image.width):
        return f"the mask is {mask.shape[1]}x{mask.shape[0]} but the image is {image.width}x{image.height}"
    out.bytes(f"images/{name}", image.data)
    out.bytes(f"masks/{name}", codec.encode_mask_png(mask))
    return None


def export_authors(
    project: Project,
    dest: Path | str,
    *,
    val_fraction: float = 0.2,
    seed: int = 0,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> Path:
    """:func:`write_authors` of the approved images; returns ``dest`` (kept for older callers)."""
    options = ExportOptions(val_fraction=val_fraction, seed=seed)
    result = write_authors(project, dest, options=options, progress=progress, should_cancel=should_cancel)
    return result.dest
