"""Overlay PNGs for reports: the image, the mask tinted, and its outline."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from meddisseg_studio.export.common import (
    CancelCallback,
    ExportError,
    Progress,
    ProgressCallback,
    flat_name,
    select,
    staged,
)
from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.state.project import Project


def render_overlay(
    rgb: np.ndarray,
    mask: np.ndarray,
    *,
    colour: tuple[int, int, int] = (0, 200, 255),
    opacity: float = 0.35,
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


def export_overlays(
    project: Project,
    dest: Path | str,
    *,
    statuses: tuple[ReviewStatus, ...] | None = (ReviewStatus.APPROVED,),
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> Path:
    """Write ``<dest>/<key>.png`` overlays (flat names) for the entries with ``statuses``."""
    entries = select(project, statuses)
    steps = Progress(len(entries), progress, should_cancel)
    steps.check()
    with staged(Path(dest), folder=True) as partial:
        for entry in entries:
            mask = project.load_mask(entry.key)
            if mask is None:
                raise ExportError(f"{entry.key}: no mask is stored to draw")
            picture = render_overlay(project.load_image(entry.key), mask)
            ok, buffer = cv2.imencode(".png", cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
            if not ok:
                raise ExportError(f"{entry.key}: the overlay could not be encoded")
            (partial / f"{flat_name(entry.key)}.png").write_bytes(buffer.tobytes())
            steps.step()
    return Path(dest)
