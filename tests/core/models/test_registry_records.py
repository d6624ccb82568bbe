"""An imported model gets a complete record that survives a restart; the same file is not added twice."""

from __future__ import annotations

import hashlib
from pathlib import Path

from meddisseg_core.models import ModelRegistry
from meddisseg_core.nn import NetworkConfig


def test_import_records_everything_and_persists(registry, make_safetensors) -> None:
    source = make_safetensors("my model.safetensors", seed=3)
    record = registry.add_file(source, source="imported")

    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert record.sha256 == digest and record.size == source.stat().st_size
    assert record.source == "imported" and record.name == "tiny-3"
    assert record.id == f"my-model-{digest[:8]}"
    assert record.network == NetworkConfig.tiny(2)
    assert record.input.size == (64, 64)
    assert record.created
    owned = registry.path_of(record)
    assert owned != source and owned.read_bytes() == source.read_bytes()

    again = ModelRegistry()  # a new process reads the same file
    assert again.get(record.id) == record
    assert again.add_file(source, source="imported").id == record.id
    assert [r.id for r in again.records()] == [record.id]


def test_registry_folder_follows_xdg_data_home(monkeypatch, tmp_path: Path, make_safetensors) -> None:
    monkeypatch.delenv("MEDDISSEG_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    registry = ModelRegistry()
    record = registry.add_file(make_safetensors(), source="imported")
    assert registry.root == tmp_path / "xdg" / "meddisseg-studio" / "models"
    assert registry.path_of(record).is_relative_to(tmp_path / "xdg")
