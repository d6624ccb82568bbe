"""A Qt-free stand-in for the canvas, so the tools are tested as plain Python."""

from __future__ import annotations

import numpy as np
import pytest


class FakeContext:
    """Implements the ToolContext protocol and records what the tool asked for."""

    def __init__(self, mask: np.ndarray | None, brush_size: int = 5) -> None:
        self.mask = mask
        self.brush_size = brush_size
        self.edits: list = []
        self.refreshed: list[tuple[int, int, int, int]] = []
        self.paths: list = []
        self.messages: list[str] = []

    def refresh(self, box: tuple[int, int, int, int]) -> None:
        self.refreshed.append(box)

    def commit(self, edit: object) -> None:
        self.edits.append(edit)

    def show_path(self, points: list | None, closed: bool) -> None:
        self.paths.append(None if points is None else list(points))

    def message(self, text: str) -> None:
        self.messages.append(text)


@pytest.fixture
def ctx() -> FakeContext:
    return FakeContext(np.zeros((64, 64), np.uint8))


def _replay(edit, start: np.ndarray) -> np.ndarray:
    out = start.copy()
    h, w = edit.after.shape
    assert np.array_equal(out[edit.y0 : edit.y0 + h, edit.x0 : edit.x0 + w], edit.before)
    out[edit.y0 : edit.y0 + h, edit.x0 : edit.x0 + w] = edit.after
    return out


@pytest.fixture
def replay():
    """Apply an edit to a copy of the mask as it was before (checking ``before`` matches)."""
    return _replay
