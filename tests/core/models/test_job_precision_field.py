"""A job's precision and training size reach the trainer's config; old job files still load."""

from __future__ import annotations

import pytest

from meddisseg_core.config import from_dict, to_dict
from meddisseg_core.errors import ConfigError
from meddisseg_core.models.jobspec import FineTuneSpec
from meddisseg_core.train.config import resolve_config


def _spec(**changes: object) -> FineTuneSpec:
    base = dict(
        job_id="j",
        base_model="",
        base_id="",
        base_sha256="",
        source_folder="f",
        train_images=("a.png",),
        held_out_images=("b.png",),
        stage=2,
        network="tiny",
    )
    return FineTuneSpec(**{**base, **changes})  # type: ignore[arg-type]


def test_precision_and_train_size_reach_the_trainer(tmp_path) -> None:
    spec = _spec(precision="fp32", train_size=128)
    config = resolve_config(overrides=spec.train_config())
    assert config.precision == "fp32"
    assert config.time_budget.low_res_size == 128 and config.time_budget.low_res_fraction == 1.0
    assert config.time_budget.seconds is None and config.data.image_size == 256
    assert resolve_config(overrides=_spec().train_config()).precision == "auto"
    old = {k: v for k, v in to_dict(_spec()).items() if k not in ("precision", "train_size")}
    assert from_dict(FineTuneSpec, old).precision == "auto"  # a job.json written before the field
    with pytest.raises(ConfigError, match="train_size"):
        _spec(train_size=100)
