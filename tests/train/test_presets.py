"""The shipped config files load, and the named preset equals its file."""

from __future__ import annotations

from pathlib import Path

import pytest

from meddisseg_core.train.config import resolve_config

CONFIGS = Path(__file__).resolve().parents[2] / "configs"


@pytest.mark.parametrize("path", sorted(CONFIGS.glob("*.json")) + sorted(CONFIGS.glob("*.toml")), ids=str)
def test_config_file_loads(path: Path) -> None:
    assert resolve_config(None, path).dispersive.temperature > 0


def test_defaults_are_the_papers_best_and_the_preset_the_authors_code() -> None:
    paper = resolve_config()
    assert (paper.dispersive.stage1_weight, paper.dispersive.stage2_weight, paper.dispersive.temperature) == (
        0.2,
        0.6,
        0.8,
    )
    assert paper.data.background_from_augmented_mask
    authors = resolve_config("authors-public-code")
    assert authors == resolve_config(None, CONFIGS / "authors-public-code.json")
    assert (authors.dispersive.stage2_weight, authors.dispersive.temperature) == (0.2, 0.5)
    assert not authors.data.background_from_augmented_mask
    assert resolve_config(overrides={"stage": 1}).max_epochs == 600
    assert resolve_config(overrides={"stage": 2}).patience == 100


def test_fixed_length_tuple_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "betas.toml"
    path.write_text("[optim]\nbetas = [0.8, 0.99]\n")
    assert resolve_config(None, path).optim.betas == (0.8, 0.99)
