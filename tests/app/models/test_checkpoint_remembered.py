"""A model loaded with Model > Load checkpoint is registered and remembered for the folder."""

from __future__ import annotations

from finetune_support import wait_model

from meddisseg_core.models import ModelRegistry


def test_ctrl_l_is_remembered(qtbot, window, setup, tmp_path) -> None:
    from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
    from meddisseg_core.nn import NetworkConfig, build_network

    network = build_network(NetworkConfig.tiny(1))
    path = tmp_path / "stage1.safetensors"
    save_model(
        path, network, ModelMetadata(network.config, InputConvention(size=(64, 64)), name="loaded by hand")
    )
    window.dialogs.files.append(path)
    window.actions["load_checkpoint"].trigger()
    wait_model(qtbot, window)
    assert window.dialogs.errors == []

    record = window.models.current
    assert record.name == "loaded by hand" and record.source == "imported"
    assert ModelRegistry().current_id(setup.folder) == record.id
    assert ModelRegistry().history(setup.folder) == [setup.base_id, record.id]  # roll-back works

    window.models.current = None  # as after a restart
    window.open_folder(setup.folder)
    wait_model(qtbot, window)
    assert window.models.current.id == record.id
