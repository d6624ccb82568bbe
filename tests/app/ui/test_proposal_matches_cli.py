"""The app's proposal equals ``meddisseg predict``'s mask bit for bit, for an 8-bit and a 16-bit image.

Both feed the model through ``imageio.to_model_uint8``. The 16-bit image uses part of its range
only, where the display's min–max stretch and the model's /257 rule differ. The model is the
tiny network given a few training steps, so that its output depends on the pixels (an untrained
one answers nearly the same everywhere and would hide any difference).
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from ui_support import wait_idle, wait_loaded

from meddisseg_core.cli import main as cli_main
from meddisseg_core.imageio import read_mask

pytestmark = pytest.mark.slow


def _trained_tiny_model(image_rgb: np.ndarray, path: Path) -> Path:
    """A tiny stage-1 network fitted for a few steps to 'bright pixels' of one image."""
    from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
    from meddisseg_core.inference.preprocessing import preprocess
    from meddisseg_core.nn import NetworkConfig, build_network

    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(1))
    convention = InputConvention(size=(64, 64))
    x = torch.from_numpy(preprocess(image_rgb, convention))[None].repeat(2, 1, 1, 1)
    grey = x.mean(1, keepdim=True)
    target = (grey > grey.median()).float()
    optimiser = torch.optim.Adam(network.parameters(), lr=1e-2)
    network.train()
    for _ in range(8):
        loss = torch.nn.functional.binary_cross_entropy(network(x).mask, target)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    network.eval()
    save_model(path, network, ModelMetadata(network=network.config, input=convention, name="fitted-tiny"))
    return path


def test_app_proposal_equals_cli_mask(
    qtbot, window, dialogs, kvasir_dir: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    threads = torch.get_num_threads()
    request.addfinalizer(lambda: torch.set_num_threads(threads))
    torch.set_num_threads(1)
    source = cv2.imread(str(sorted((kvasir_dir / "images").glob("*.jpg"))[0]))
    small = cv2.resize(source, (96, 80), interpolation=cv2.INTER_AREA)  # BGR, as cv2 writes
    folder = tmp_path / "images"
    folder.mkdir()
    assert cv2.imwrite(str(folder / "eight.png"), small)
    sixteen = small.astype(np.uint16) * 180 + 6000  # 6000..51900: /257 and a stretch disagree
    assert cv2.imwrite(str(folder / "sixteen.png"), sixteen)
    weights = _trained_tiny_model(np.ascontiguousarray(small[:, :, ::-1]), tmp_path / "fitted.safetensors")

    out = tmp_path / "cli"
    argv = ["predict", "--weights", str(weights), "--input", str(folder), "--output", str(out)]
    assert cli_main.main([*argv, "--device", "cpu", "--batch-size", "1"]) == 0

    window.open_folder(folder)
    dialogs.files.append(weights)
    window.actions["load_checkpoint"].trigger()
    wait_loaded(qtbot, window)  # models load in the background
    assert dialogs.errors == []
    window.actions["propose_unreviewed"].trigger()
    wait_idle(qtbot, window, timeout=120_000)
    project = window.workspace.project
    for key in ("eight.png", "sixteen.png"):
        assert project.load_proposal(key) is not None, key
        app_mask = project.current_mask(key)  # the stored proposal, thresholded as the app shows it
        cli_mask = read_mask(out / key)
        assert app_mask is not None and app_mask.shape == cli_mask.shape == (80, 96)
        assert 0 < int(cli_mask.sum()) < cli_mask.size, "a trivial mask would prove nothing"
        differing = int((app_mask != cli_mask).sum())
        assert differing == 0, f"{key}: {differing} pixel(s) differ between the app and the CLI"
