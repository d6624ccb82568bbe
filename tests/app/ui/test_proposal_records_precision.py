"""A proposal's saved record names the precision its model ran in; the status bar says which and why."""

from __future__ import annotations

from ui_support import ConstantPredictor, wait_idle

from meddisseg_core.inference.choice import RuntimeChoice


class Bf16Predictor(ConstantPredictor):
    choice = RuntimeChoice("bf16", "torch", "this CPU has AVX512-BF16 (bf16 measured 2.1x faster ...)")


def test_proposal_records_precision(qtbot, opened) -> None:
    opened.proposals.set_predictor(Bf16Predictor(), "bf16 model")
    assert "· bf16" in opened.device_label.toolTip()
    assert "Precision: bf16: this CPU has AVX512-BF16" in opened.device_label.toolTip()
    opened.actions["propose_current"].trigger()
    wait_idle(qtbot, opened)
    key = opened.workspace.key
    stored = opened.workspace.project.load_proposal(key)  # read back from the state folder
    assert stored is not None and stored.precision == "bf16"
    qtbot.waitUntil(lambda: "run in bf16" in opened.summary_panel.labels["image_dice"].toolTip())
    assert "bf16 model" in opened.summary_panel.labels["image_dice"].toolTip()
