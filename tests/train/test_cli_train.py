"""``meddisseg train`` end to end: config file + flags, exit codes, clear dataset errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meddisseg_core.cli.main import main
from meddisseg_core.errors import ConfigError
from meddisseg_core.train.config import resolve_config

from .conftest import read_events


def _config_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.json"
    settings = {"network": "tiny", "progress": False, "data": {"image_size": 32, "val_fraction": 0.34}}
    path.write_text(json.dumps(settings))
    return path


def test_cli_trains_and_writes_a_model(small_dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    code = main(
        [
            "train",
            "--data",
            str(small_dataset),
            "--stage",
            "2",
            "--out",
            str(out),
            "--config",
            str(_config_file(tmp_path)),
            "--epochs",
            "1",
            "--batch-size",
            "2",
            "--events",
            str(out / "ev.jsonl"),
            "--preset",
            "authors-public-code",
        ]
    )
    assert code == 0
    assert (out / "model.safetensors").is_file() and (out / "val.txt").is_file()
    started = read_events(out / "ev.jsonl")[0]
    assert started["config"]["dispersive"]["temperature"] == 0.5  # from the preset
    assert started["config"]["dispersive"]["stage2_weight"] == 0.2
    assert started["config"]["batch_size"] == 2  # flag beats file


def test_cli_bad_dataset_exits_2_naming_the_file(small_dataset: Path, tmp_path: Path, capsys) -> None:
    victim = sorted((small_dataset / "masks").iterdir())[0]
    victim.unlink()
    out = tmp_path / "run"
    code = main(
        [
            "train",
            "--data",
            str(small_dataset),
            "--stage",
            "1",
            "--out",
            str(out),
            "--config",
            str(_config_file(tmp_path)),
            "--events",
            str(out / "ev.jsonl"),
        ]
    )
    assert code == 2
    assert victim.name in capsys.readouterr().err
    failed = read_events(out / "ev.jsonl")[-1]
    assert failed["type"] == "failed" and victim.name in failed["message"]


def test_unknown_config_key_is_named(tmp_path: Path) -> None:
    path = tmp_path / "typo.toml"
    path.write_text("[dispersive]\ntemprature = 0.8\n")
    with pytest.raises(ConfigError, match="temprature"):
        resolve_config(None, path)
