"""Get a model without any model: the shipped default's card, a file, and training once enough
images are approved; a loaded file becomes the folder's model, remembered on reopening."""

from __future__ import annotations

from finetune_support import approve_with_truth, wait_model

from meddisseg_core.models import ModelRegistry
from meddisseg_core.models.heldout import MIN_APPROVED


def test_the_four_ways(qtbot, window, setup, tmp_path, monkeypatch) -> None:
    from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
    from meddisseg_core.nn import NetworkConfig, build_network

    network = build_network(NetworkConfig.tiny(2))
    shipped = tmp_path / "default.safetensors"
    meta = ModelMetadata(
        network.config, InputConvention(size=(64, 64)), name="Kvasir default", metrics={"mdsc": 0.8771}
    )
    save_model(shipped, network, meta)
    monkeypatch.setenv("MEDDISSEG_MODEL", str(shipped))
    window.models._registry = None  # re-open: the shipped default is found now

    dialog = window.model_windows.open_get_model_dialog()
    card = dialog.shipped_label.text()
    assert "Kvasir default" in card and "val mDSC 87.7 %" in card
    assert not dialog.train_button.isEnabled() and f"of the {MIN_APPROVED}" in dialog.train_hint.text()
    dialog.use_shipped.click()
    wait_model(qtbot, window)
    assert window.models.current.source == "shipped"

    window.dialogs.files.append(setup.base_file)
    dialog.load_file.click()  # an already-registered file: the same record, made current again
    wait_model(qtbot, window)
    assert window.models.current.id == setup.base_id
    assert ModelRegistry().history(setup.folder)[-2:] == [window.models.shipped().id, setup.base_id]

    approve_with_truth(window, setup, MIN_APPROVED)
    dialog.close()
    dialog = window.model_windows.open_get_model_dialog()
    assert dialog.train_button.isEnabled()
    dialog.train_button.click()
    assert (
        window.model_windows.finetune_dialog is not None and window.model_windows.finetune_dialog.isVisible()
    )
    window.model_windows.finetune_dialog.reject()

    window.models.rollback()  # Model > Roll back model
    wait_model(qtbot, window)
    assert window.models.current.source == "shipped"
