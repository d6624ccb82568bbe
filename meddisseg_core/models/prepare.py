"""Making a job folder from approved images: the dataset, the base model and the spec."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import numpy as np

from meddisseg_core.errors import DatasetError
from meddisseg_core.imageio import write_mask_png
from meddisseg_core.models.jobspec import DATA_DIR, FineTuneSpec, write_spec


class ApprovedImage(NamedTuple):
    """An approved image: its file and its final mask (H×W, non-zero = foreground)."""

    image: Path
    mask: np.ndarray


def dataset_name(key: str) -> str:
    """The file name of an image key inside the job's flat images/ folder."""
    return key.replace("/", "__")


def new_job_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]


def _link_or_copy(source: Path, target: Path) -> None:
    # A hard link costs nothing; across file systems (or where links are refused) copy instead.
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_dataset(
    data_dir: Path, images: Mapping[str, ApprovedImage], train: tuple[str, ...], val: tuple[str, ...]
) -> None:
    """images/ + masks/ (mask under the image's exact name, PNG content) + train.txt / val.txt."""
    names = {key: dataset_name(key) for key in (*train, *val)}
    if len(set(names.values())) != len(names):
        raise DatasetError(f"{data_dir}: two image keys flatten to the same file name")
    (data_dir / "images").mkdir(parents=True, exist_ok=True)
    (data_dir / "masks").mkdir(parents=True, exist_ok=True)
    for key, name in names.items():
        item = images[key]
        _link_or_copy(Path(item.image), data_dir / "images" / name)
        write_mask_png(data_dir / "masks" / name, item.mask)
    (data_dir / "train.txt").write_text("".join(f"{names[k]}\n" for k in train), encoding="utf-8")
    (data_dir / "val.txt").write_text("".join(f"{names[k]}\n" for k in val), encoding="utf-8")


def create_job(
    jobs_dir: Path,
    spec: FineTuneSpec,
    base_file: Path | None,
    images: Mapping[str, ApprovedImage],
) -> tuple[FineTuneSpec, Path]:
    """A new job folder under ``jobs_dir``; returns the spec as written and the folder.

    ``spec.base_model`` is set here (``base<suffix>``); the held-out images become the trainer's
    ``val.txt``, so its per-epoch val Dice is measured on exactly the images of the comparison.
    """
    job_dir = Path(jobs_dir) / spec.job_id
    job_dir.mkdir(parents=True, exist_ok=False)
    base_name = ""
    if base_file is not None:
        suffix = ".safetensors" if Path(base_file).suffix.lower() == ".safetensors" else ".pth"
        base_name = f"base{suffix}"
        _link_or_copy(Path(base_file), job_dir / base_name)
    write_dataset(job_dir / DATA_DIR, images, spec.train_images, spec.held_out_images)
    spec = replace(
        spec, base_model=base_name, created=spec.created or datetime.now(UTC).isoformat(timespec="seconds")
    )
    write_spec(job_dir, spec)
    return spec, job_dir
