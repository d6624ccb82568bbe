"""One current model per image folder, remembered across restarts, with roll-back."""

from __future__ import annotations

from pathlib import Path

import pytest

from meddisseg_core.models import ModelRegistry, RegistryError


def test_current_per_folder_and_rollback(registry, make_safetensors, tmp_path: Path) -> None:
    a = registry.add_file(make_safetensors("a.safetensors", seed=1), source="imported")
    b = registry.add_file(make_safetensors("b.safetensors", seed=2), source="imported")
    colon, skin = tmp_path / "colon", tmp_path / "skin"
    colon.mkdir(), skin.mkdir()

    assert registry.current_id(colon) is None
    registry.set_current(None, a.id)  # the default for folders without a choice
    registry.set_current(colon, a.id)
    registry.set_current(colon, b.id)
    assert registry.current_id(skin) == a.id

    restarted = ModelRegistry()
    assert restarted.current_id(colon) == b.id
    assert restarted.current_id(colon / ".." / "colon") == b.id  # same folder, other spelling
    assert restarted.rollback(colon) == a.id
    assert ModelRegistry().current_id(colon) == a.id
    with pytest.raises(RegistryError, match="no earlier model"):
        restarted.rollback(colon)


def test_remove_refuses_a_current_model_unless_forced(registry, make_safetensors, tmp_path) -> None:
    a = registry.add_file(make_safetensors("a.safetensors", seed=1), source="imported")
    registry.set_current(tmp_path, a.id)
    with pytest.raises(RegistryError, match="current for"):
        registry.remove(a.id)
    registry.remove(a.id, force=True)
    assert registry.find(a.id) is None and registry.current_id(tmp_path) is None
    assert not registry.path_of(a).exists()
