"""The model panel names the loaded model with the validation Dice its file records, so a reviewer
knows how far to trust its proposals; a file that records none shows the name alone."""

from __future__ import annotations

from pathlib import Path

from ui_support import wait_loaded


def _save(path: Path, metrics: dict[str, float]) -> Path:
    from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
    from meddisseg_core.nn import NetworkConfig, build_network

    network = build_network(NetworkConfig.tiny(2))
    meta = ModelMetadata(network.config, InputConvention(size=(64, 64)), name="scored", metrics=metrics)
    save_model(path, network, meta)
    return path


def test_panel_shows_val_mdsc(qtbot, opened, tmp_path: Path) -> None:
    opened.dialogs.files.append(_save(tmp_path / "scored.safetensors", {"mdsc": 0.7566, "miou": 0.66}))
    opened.actions["load_checkpoint"].trigger()
    wait_loaded(qtbot, opened)
    assert opened.dialogs.errors == []
    text = opened.model_panel.model_label.text()
    assert "scored" in text and "val mDSC 75.7" in text

    opened.dialogs.files.append(_save(tmp_path / "plain.safetensors", {}))
    opened.actions["load_checkpoint"].trigger()
    wait_loaded(qtbot, opened)
    assert "mDSC" not in opened.model_panel.model_label.text()
