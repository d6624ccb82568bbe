"""Train/validation split files: reading (strict, with line numbers), writing, seeded splitting.

A split file lists image file names one per line. Unlike the authors' reader, which drops the
last line and so silently loses a sample when the file has no final newline, every non-blank
line counts here.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from meddisseg_core.atomic import atomic_write_text
from meddisseg_core.errors import DatasetError


@dataclass(frozen=True)
class Split:
    """Names (relative to images/) of the training and validation samples."""

    train: tuple[str, ...]
    val: tuple[str, ...]
    source: str  # "files" (train.txt/val.txt given) or "generated (seed N)"


def _check_name(name: str, path: Path, line: int) -> None:
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts:
        raise DatasetError(f"{path}:{line}: {name!r} must be a plain file name inside images/")


def read_split_file(path: Path, images_dir: Path | None = None) -> tuple[str, ...]:
    """Names listed in ``path``; blank lines skipped; duplicates and missing images raise."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read split file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: split file is not UTF-8 text") from exc
    names: list[str] = []
    first_line: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        name = raw.strip()
        if not name:
            continue
        _check_name(name, path, number)
        if name in first_line:
            raise DatasetError(f"{path}:{number}: duplicate name {name!r} (first on line {first_line[name]})")
        if images_dir is not None and not (images_dir / name).is_file():
            raise DatasetError(f"{path}:{number}: {name!r} has no image in {images_dir}")
        first_line[name] = number
        names.append(name)
    if not names:
        raise DatasetError(f"{path}: split file lists no names")
    return tuple(names)


def write_split_file(path: Path, names: Iterable[str]) -> None:
    """Write names one per line, with a final newline (so the authors' reader keeps them all)."""
    atomic_write_text(path, "".join(f"{name}\n" for name in names))


def make_split(
    names: Sequence[str], val_fraction: float, seed: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Seeded, reproducible split: sort, shuffle with ``random.Random(seed)``, cut."""
    if not 0.0 < val_fraction < 1.0:
        raise DatasetError(f"val_fraction must be in (0, 1), got {val_fraction!r}")
    ordered = sorted(names)
    if len(ordered) < 2:
        raise DatasetError(f"need at least 2 images to split into train and val, found {len(ordered)}")
    random.Random(seed).shuffle(ordered)
    n_val = min(max(1, round(len(ordered) * val_fraction)), len(ordered) - 1)
    return tuple(sorted(ordered[n_val:])), tuple(sorted(ordered[:n_val]))


def check_disjoint(split: Split, where: Path) -> None:
    both = sorted(set(split.train) & set(split.val))
    if both:
        shown = ", ".join(both[:5])
        raise DatasetError(f"{where}: {len(both)} name(s) are in both train.txt and val.txt: {shown}")
