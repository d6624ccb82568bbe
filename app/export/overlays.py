"""Overlay PNGs for reports: the image, the mask tinted, and its outline, as ``<stem>.png``."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from meddisseg_core.errors import MedDisSegError
from meddisseg_studio.export.common import (
    CancelCallback,
    ExportOptions,
    ExportResult,
    Progress,
    ProgressCallback,
    Written,
    missing_image,
    select,
    staged,
)
from meddisseg_studio.export.names import assign_names
from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.state.project import Project


def render_overlay(
    rgb: np.ndarray,
    mask: np.ndarray,
    *,
    colour: tuple[int, int, int],
    opacity: float,
    outline: tuple[int, int, int] = (255, 255, 0),
    thickness: int = 2,
) -> np.ndarray:
    """RGB uint8: ``rgb`` blended with ``colour`` where ``mask`` is set, plus the mask outline."""
    if rgb.shape[:2] != mask.shape:
        raise ValueError(f"image {rgb.shape[:2]} and mask {mask.shape} differ in size")
    out = rgb.astype(np.float32)
    inside = mask.astype(bool)
    out[inside] = out[inside] * (1.0 - opacity) + np.asarray(colour, np.float32) * opacity
    out = np.clip(out + 0.5, 0, 255).astype(np.uint8)
    contours, _ = cv2.findContours(inside.astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    cv2.drawContours(out, contours, -1, outline, thickness)
    return out


def write_overlays(
    project: Project,
    dest: Path | str,
    *,
    statuses: tuple[ReviewStatus, ...] | None = (ReviewStatus.APPROVED,),
    options: ExportOptions | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> ExportResult:
    """Write ``<dest>/<stem>.png`` overlays (flat, safe names) for the entries with ``statuses``.

    ``sub/a.jpg`` becomes ``sub__a.png``; images without a mask or unreadable are skipped.
    """
    options = options or ExportOptions()
    dest = Path(dest)
    entries = select(project, statuses)
    assignment = assign_names([e.key for e in entries], ".png")
    steps = Progress(len(entries), progress, should_cancel)
    steps.check()
    skipped: list[tuple[str, str]] = []
    with staged(dest, folder=True) as partial:
        out = Written(partial)
        for entry in entries:
            problem = _overlay(project, entry.key, assignment.names[entry.key], options, out)
            if problem is not None:
                skipped.append((entry.key, problem))
            steps.step()
    renamed = assignment.renamed_except(skipped)
    return ExportResult("overlays", dest, out.published(dest), tuple(skipped), renamed)


def _overlay(project: Project, key: str, name: str, options: ExportOptions, out: Written) -> str | None:
    missing = missing_image(project, key)
    if missing is not None:
        return missing
    try:
        mask = project.load_mask(key)
        if mask is None:
            return "no mask is stored"
        picture = render_overlay(
            project.load_image(key), mask, colour=options.overlay_colour, opacity=options.overlay_opacity
        )
    except (MedDisSegError, ValueError) as exc:
        return str(exc)
    ok, buffer = cv2.imencode(".png", cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
    if not ok:  # pragma: no cover - OpenCV encodes any RGB uint8 array
        return "the overlay could not be encoded"
    out.bytes(name, buffer.tobytes())
    return None


def export_overlays(
    project: Project,
    dest: Path | str,
    *,
    statuses: tuple[ReviewStatus, ...] | None = (ReviewStatus.APPROVED,),
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> Path:
    """:func:`write_overlays`; returns ``dest`` (kept for older callers)."""
    result = write_overlays(project, dest, statuses=statuses, progress=progress, should_cancel=should_cancel)
    return result.dest
