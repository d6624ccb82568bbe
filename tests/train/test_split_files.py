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


# The 6 small samples are the first six names of Kvasir-SEG's train.txt. Their split with
# val_fraction 0.34 and seed 7, written out by hand: sorted names, random.Random(7).shuffle, the
# first round(6 * 0.34) = 2 go to val. A change of the rule (or of its seed use) must show here.
SEED7_TRAIN = (
    "cju0qoxqj9q6s0835b43399p4.jpg",
    "cju0qx73cjw570799j4n5cjze.jpg",
    "cju0roawvklrq0799vmjorwfv.jpg",
    "cju0s2a9ekvms080138tjjpxr.jpg",
)
SEED7_VAL = ("cju0qkwl35piu0993l0dewei2.jpg", "cju0rx1idathl0835detmsp84.jpg")
SEED8_VAL = ("cju0rx1idathl0835detmsp84.jpg", "cju0s2a9ekvms080138tjjpxr.jpg")


def test_generated_split_is_seeded_and_written(small_dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    spec = open_dataset(small_dataset, DataConfig(val_fraction=0.34, split_seed=7), write_split_to=out)
    assert (spec.split.train, spec.split.val) == (SEED7_TRAIN, SEED7_VAL)
    assert (out / "train.txt").read_text() == "".join(f"{name}\n" for name in SEED7_TRAIN)
    assert (out / "val.txt").read_text() == "".join(f"{name}\n" for name in SEED7_VAL)
    # Another seed gives another split; the same seed the same one.
    assert make_split(_names(small_dataset), 0.34, 8)[1] == SEED8_VAL
    assert make_split(list(reversed(_names(small_dataset))), 0.34, 7) == (SEED7_TRAIN, SEED7_VAL)


def test_only_one_split_file_is_an_error(small_dataset: Path) -> None:
    (small_dataset / "train.txt").write_text(_names(small_dataset)[0] + "\n")
    with pytest.raises(DatasetError, match=r"val\.txt: missing"):
        open_dataset(small_dataset, DataConfig())
