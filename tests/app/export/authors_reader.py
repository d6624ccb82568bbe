"""A loader with exactly the authors' semantics (ARCHITECTURE.md, Data layout), for the tests.

Names come from ``<root>/<split>.txt`` split on newlines with the last element dropped (their
reader does that, so the file must end with a newline); each name is read as
``cv2.imread(images/<name>)`` and ``cv2.imread(masks/<name>, IMREAD_GRAYSCALE)``.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np


def authors_names(root: Path, split: str) -> list[str]:
    return (root / f"{split}.txt").read_text().split("\n")[:-1]


def authors_pairs(root: Path, split: str) -> dict[str, tuple[np.ndarray | None, np.ndarray | None]]:
    pairs = {}
    for name in authors_names(root, split):
        image = cv2.imread(str(root / "images" / name), cv2.IMREAD_COLOR)
        mask = cv2.imread(str(root / "masks" / name), cv2.IMREAD_GRAYSCALE)
        pairs[name] = (image, mask)
    return pairs
