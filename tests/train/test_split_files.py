"""Split files: strict reading with line numbers, and a reproducible generated split."""

from __future__ import annotations

from pathlib import Path

import pytest

from meddisseg_core.data import DataConfig, make_split, open_dataset, read_split_file
from meddisseg_core.errors import DatasetError


def _names(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "images").iterdir())


def test_missing_final_newline_keeps_the_last_name(small_dataset: Path) -> None:
    names = _names(small_dataset)
    split = small_dataset / "train.txt"
    split.write_text("\n".join(names[:3]))  # no final newline: the authors' reader loses names[2]
    assert read_split_file(split, small_dataset / "images") == tuple(names[:3])


def test_blank_lines_and_spaces_are_ignored(small_dataset: Path) -> None:
    names = _names(small_dataset)
    split = small_dataset / "train.txt"
    split.write_text(f"\n  {names[0]}  \n\n{names[1]}\r\n\n")
    assert read_split_file(split, small_dataset / "images") == (names[0], names[1])


def test_duplicate_name_is_reported_with_its_line(small_dataset: Path) -> None:
    names = _names(small_dataset)
    split = small_dataset / "train.txt"
    split.write_text(f"{names[0]}\n{names[1]}\n{names[0]}\n")
    with pytest.raises(DatasetError, match=r"train\.txt:3: duplicate name .*first on line 1"):
        read_split_file(split, small_dataset / "images")


def test_name_without_image_is_reported_with_its_line(small_dataset: Path) -> None:
    split = small_dataset / "val.txt"
    split.write_text(f"{_names(small_dataset)[0]}\nghost.jpg\n")
    with pytest.raises(DatasetError, match=r"val\.txt:2: 'ghost\.jpg' has no image"):
        read_split_file(split, small_dataset / "images")


def test_path_escaping_names_are_refused(small_dataset: Path) -> None:
    split = small_dataset / "train.txt"
    split.write_text("../secret.jpg\n")
    with pytest.raises(DatasetError, match="plain file name"):
        read_split_file(split, small_dataset / "images")


def test_generated_split_is_seeded_and_written(small_dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    spec = open_dataset(small_dataset, DataConfig(val_fraction=0.34, split_seed=7), write_split_to=out)
    again = make_split(_names(small_dataset), 0.34, 7)
    assert (spec.split.train, spec.split.val) == again
    assert len(spec.split.val) == 2 and not set(spec.split.train) & set(spec.split.val)
    assert read_split_file(out / "val.txt") == spec.split.val
    assert (out / "train.txt").read_text().endswith("\n")
    other = make_split(_names(small_dataset), 0.34, 8)
    assert other != again or len(_names(small_dataset)) < 3


def test_only_one_split_file_is_an_error(small_dataset: Path) -> None:
    (small_dataset / "train.txt").write_text(_names(small_dataset)[0] + "\n")
    with pytest.raises(DatasetError, match=r"val\.txt: missing"):
        open_dataset(small_dataset, DataConfig())
