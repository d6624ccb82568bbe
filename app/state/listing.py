"""Listing a project folder with os.scandir only: names, never pixels."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from meddisseg_core.imageio import unreadable_reason
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


class Listed(NamedTuple):
    """One file found by a listing: its key, path, and why it cannot be opened (or None)."""

    key: str
    path: Path
    error: str | None = None


def _walk(root: Path, skip: frozenset[Path]) -> list[Listed]:
    found: list[Listed] = []
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
            key = f"{prefix}{item.name}"
            try:
                if item.is_dir(follow_symlinks=False):
                    path = Path(item.path)
                    if path not in skip:
                        pending.append((path, f"{key}/"))
                elif item.is_file():  # follows a link: a loop raises ELOOP here
                    found.append(Listed(key, Path(item.path)))
                elif item.is_symlink():
                    os.stat(item.path)  # a dangling link raises; a link to a folder is left alone
            except OSError as exc:
                found.append(Listed(key, Path(item.path), unreadable_reason(exc)))
    return found


def list_images(layout: FolderLayout, skip: frozenset[Path] = frozenset()) -> list[Listed]:
    """Every supported image, sorted by key; suffixes case-insensitive.

    Entries with an image name that cannot be opened (a symlink loop, a broken link) are listed
    too, with ``error`` saying why, so the user sees them instead of losing them silently.
    """
    files = _walk(layout.image_root, skip)
    images = [item for item in files if os.path.splitext(item.key)[1].lower() in IMAGE_SUFFIXES]
    images.sort(key=lambda item: item.key)
    return images


def list_labels(layout: FolderLayout) -> dict[str, Path]:
    """Starting labels by key: the same file name first, else the same stem (any suffix)."""
    if layout.labels_root is None:
        return {}
    files = _walk(layout.labels_root, frozenset())
    by_name: dict[str, Path] = {}
    for key, path, error in files:
        if error is None and os.path.splitext(key)[1].lower() in IMAGE_SUFFIXES:
            by_name[key] = path
            by_name.setdefault("\0stem:" + os.path.splitext(key)[0], path)
    return by_name


def label_for(labels: dict[str, Path], key: str) -> Path | None:
    return labels.get(key) or labels.get("\0stem:" + os.path.splitext(key)[0])
