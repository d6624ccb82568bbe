"""The installation's default model appears as a "shipped" record with its card (name, val mDSC)."""

from __future__ import annotations

import pytest

from meddisseg_core.inference.model_location import default_model_path
from meddisseg_core.models import ModelRegistry, RegistryError


def test_shipped_default_is_listed_and_protected(registry, make_safetensors, monkeypatch) -> None:
    shipped = make_safetensors(
        "default.safetensors", metrics={"mdsc": 0.91, "miou": 0.85}, training_data="Kvasir-SEG"
    )
    monkeypatch.setenv("MEDDISSEG_MODEL", str(shipped))
    record = registry.sync_shipped(default_model_path())

    assert record is not None and record.source == "shipped"
    assert registry.path_of(record) == shipped.resolve()  # not copied: it belongs to the installation
    assert record.metrics is not None and record.metrics.values["mdsc"] == pytest.approx(0.91)
    assert record.name == "tiny-0"
    assert ModelRegistry().sync_shipped(shipped) == record  # unchanged file: same record, no re-hash
    with pytest.raises(RegistryError, match="shipped"):
        registry.remove(record.id)
