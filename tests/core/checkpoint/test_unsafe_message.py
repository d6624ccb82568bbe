"""An unsafe checkpoint is refused with our own message, never torch's "will likely succeed" advice."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from meddisseg_core.checkpoint import load_model, read_pth
from meddisseg_core.errors import UnsafeCheckpointError


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (os.system, (f"touch '{self.marker}'",))


@pytest.mark.parametrize("reader", [load_model, read_pth])
def test_refusal_says_executable_code_and_how_to_convert(tmp_path: Path, reader) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pth"
    torch.save({"layer0.0.weight": torch.zeros(1), "payload": _Payload(marker)}, path)
    with pytest.raises(UnsafeCheckpointError) as caught:
        reader(path)
    text = str(caught.value)
    assert not marker.exists()
    assert str(path) in text
    assert "executable code" in text
    assert "does not load such files" in text
    assert "system" in text  # what the pickle would have called
    assert "safetensors" in text and "save_file" in text  # how to convert a trusted file
    # torch's own advice must not be passed on
    assert "will likely succeed" not in text
    assert "In PyTorch 2.6" not in text


def test_the_advised_conversion_gives_a_file_that_loads(tmp_path: Path) -> None:
    """Follow the message's own recipe on a trusted file that pickles a non-tensor object."""
    import argparse
    import re
    import subprocess
    import sys

    from meddisseg_core.nn import NetworkConfig, build_network

    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(1))
    source = tmp_path / "trusted.pth"
    torch.save({"state_dict": network.state_dict(), "args": argparse.Namespace(lr=1e-4)}, source)
    with pytest.raises(UnsafeCheckpointError) as caught:
        load_model(source)
    command = re.search(r'python -c "(.*)"', str(caught.value))
    assert command is not None
    target = tmp_path / "converted.safetensors"
    code = command.group(1).replace("IN.pth", str(source)).replace("OUT.safetensors", str(target))
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
    loaded = load_model(target)
    for key, value in network.state_dict().items():
        assert torch.equal(loaded.network.state_dict()[key], value), key
