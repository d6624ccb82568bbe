"""Listing a project folder with os.scandir only: names, never pixels."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from meddisseg_studio.state.codec import IMAGE_SUFFIXES


@dataclass(frozen=True)
class FolderLayout:
    """Where images and starting labels live.

    The authors' layout is ``<folder>/images`` beside ``<folder>/masks``; any other folder is
    taken as a tree of images (hidden folders, such as the state folder, are skipped).
    """

    folder: Path
    image_root: Path
    labels_root: Path | None

    @staticmethod
    def detect(folder: Path) -> FolderLayout:
        images = folder / "images"
        if images.is_dir():
            masks = folder / "masks"
            return FolderLayout(folder, images, masks if masks.is_dir() else None)
        return FolderLayout(folder, folder, None)


def _walk(root: Path, skip: frozenset[Path]) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    pending = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as it:
                items = list(it)
        except OSError:
            continue  # an unreadable subfolder is not a reason to refuse the project
        for item in items:
            if item.name.startswith("."):
                continue
            if item.is_dir(follow_symlinks=False):
                path = Path(item.path)
                if path not in skip:
                    pending.append((path, f"{prefix}{item.name}/"))
            elif item.is_file():
                found.append((f"{prefix}{item.name}", Path(item.path)))
    return found


def list_images(layout: FolderLayout, skip: frozenset[Path] = frozenset()) -> list[tuple[str, Path]]:
    """(key, path) of every supported image, sorted by key; suffixes case-insensitive."""
    files = _walk(layout.image_root, skip)
    images = [(key, path) for key, path in files if os.path.splitext(key)[1].lower() in IMAGE_SUFFIXES]
    images.sort(key=lambda item: item[0])
    return images


def list_labels(layout: FolderLayout) -> dict[str, Path]:
    """Starting labels by key: the same file name first, else the same stem (any suffix)."""
    if layout.labels_root is None:
        return {}
    files = _walk(layout.labels_root, frozenset())
    by_name: dict[str, Path] = {}
    for key, path in files:
        if os.path.splitext(key)[1].lower() in IMAGE_SUFFIXES:
            by_name[key] = path
            by_name.setdefault("\0stem:" + os.path.splitext(key)[0], path)
    return by_name


def label_for(labels: dict[str, Path], key: str) -> Path | None:
    return labels.get(key) or labels.get("\0stem:" + os.path.splitext(key)[0])
