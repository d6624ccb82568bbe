"""A bad value in a training TOML is refused even when the command line sets the same key:
``network = 7`` with ``--network tiny`` used to pass unchecked."""

from __future__ import annotations

from pathlib import Path

import pytest

from meddisseg_core.errors import ConfigError
from meddisseg_core.train.config import resolve_config


def test_bad_network_in_file_is_refused_despite_override(tmp_path: Path) -> None:
    config = tmp_path / "run.toml"
    config.write_text("network = 7\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"7 is not one of \['paper', 'tiny'\]"):
        resolve_config(None, config, {"network": "tiny"})


def test_good_file_still_overridden(tmp_path: Path) -> None:
    config = tmp_path / "run.toml"
    config.write_text('network = "paper"\nbatch_size = 4\n', encoding="utf-8")
    resolved = resolve_config(None, config, {"network": "tiny"})
    assert resolved.network == "tiny" and resolved.batch_size == 4
