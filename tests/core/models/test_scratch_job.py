"""A job without a base model trains a new network from scratch; "before" is then no model at all."""

from __future__ import annotations

import dataclasses

import pytest
from model_helpers import SPEC

from meddisseg_core.models.compare import HeldOutImage, score_model


def test_scratch_job_has_no_init(tmp_path) -> None:
    spec = dataclasses.replace(SPEC, base_model="", base_id="", base_sha256="")
    args = spec.train_args(tmp_path)
    assert "--init" not in args and args[args.index("--data") + 1] == str(tmp_path / "data")


def test_no_model_scores_empty_proposals(approved_images, tmp_path) -> None:
    from meddisseg_core.imageio import write_mask_png

    _folder, approved = approved_images
    items = []
    for key, item in list(approved.items())[:3]:
        write_mask_png(tmp_path / f"{key}.png", item.mask)
        items.append(HeldOutImage(key, item.image, tmp_path / f"{key}.png"))
    scores = score_model(None, items)
    assert scores.dice == pytest.approx(0.0, abs=1e-9) and scores.iou == pytest.approx(0.0, abs=1e-9)
    assert set(scores.per_image) == {i.key for i in items}
