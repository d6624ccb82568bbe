"""Model > Switch model…: the chosen model becomes the folder's, is remembered, and re-proposing
the unreviewed images is offered."""

from __future__ import annotations

from finetune_support import wait_model

from meddisseg_core.models import ModelRegistry


def test_switch_and_remember(qtbot, window, setup, tmp_path) -> None:
    from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
    from meddisseg_core.nn import NetworkConfig, build_network

    network = build_network(NetworkConfig.tiny(2))
    other_file = tmp_path / "other.safetensors"
    save_model(
        other_file, network, ModelMetadata(network.config, InputConvention(size=(64, 64)), name="other")
    )
    other = ModelRegistry().add_file(other_file, source="imported")
    window.models.registry.reload()

    window.dialogs.confirmations.append(False)  # "Re-propose?" -> not now
    dialog = window.model_windows.switch()
    assert dialog.chosen_id() == setup.base_id  # the current one is preselected
    dialog.select(other.id)
    dialog.accept()
    wait_model(qtbot, window)

    assert window.models.current.id == other.id
    assert "Re-propose with the new model?" in window.dialogs.asked[-1]
    assert "10 image(s) have not been reviewed" in window.dialogs.asked[-1]
    assert not window.jobs.busy  # "Not now": nothing was proposed
    assert ModelRegistry().current_id(setup.folder) == other.id

    # Reopening the folder (a restart) brings the same model back.
    window.models.current = None
    window.open_folder(setup.folder)
    wait_model(qtbot, window)
    assert window.models.current.id == other.id
