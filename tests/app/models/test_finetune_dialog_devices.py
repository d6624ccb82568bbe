"""The fine-tune dialog's device choice: GPUs with their free memory, the CPU, and torchrun over
every GPU of a multi-GPU workstation."""

from __future__ import annotations

from meddisseg_core.models.devices import DeviceChoice, training_devices
from meddisseg_studio.widgets.finetune_dialog import FineTuneDialog

GPUS = [
    DeviceChoice("cuda:0", "GPU 0: H100, 70.1 of 79.6 GiB free", 70 * 2**30),
    DeviceChoice("cuda:1", "GPU 1: H100, 79.0 of 79.6 GiB free", 79 * 2**30),
    DeviceChoice("cpu", "CPU: test (2 threads)", None),
]


def test_devices_and_torchrun(qtbot) -> None:
    dialog = FineTuneDialog([], None, approved=10, needed=5, held_out_note=None, devices=GPUS)
    qtbot.addWidget(dialog)
    assert dialog.device.itemText(0) == "GPU 0: H100, 70.1 of 79.6 GiB free"
    assert dialog.all_gpus.isVisibleTo(dialog) and "torchrun --nproc_per_node 2" in dialog.all_gpus.text()
    assert dialog.settings().train_scope == "all" and dialog.settings().nproc_per_node == 1
    dialog.all_gpus.setChecked(True)
    assert dialog.settings().nproc_per_node == 2
    dialog.device.setCurrentIndex(dialog.device.findData("cpu"))
    assert dialog.settings().device == "cpu" and not dialog.all_gpus.isEnabled()
    assert dialog.settings().nproc_per_node == 1
    dialog.scope_decoder.setChecked(True)
    assert dialog.settings().train_scope == "decoder"


def test_this_machine_offers_its_cpu() -> None:
    choices = training_devices()
    assert choices[-1].device == "cpu" and choices[-1].label.startswith("CPU: ")
