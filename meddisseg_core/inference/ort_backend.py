"""ONNX Runtime as the CPU backend of a network it runs identically (stage 1: faster than ours).

The network's ``infer`` mask is exported once (TorchScript exporter, batch 1 at the weights' input
size) into the user cache, keyed by the weights' checksum, the size and torch's version, so a
second start loads it in a fraction of a second. Every load then runs both ONNX Runtime and
PyTorch fp32 on a fixed random input: above ``ORT_MAX_DIFFERENCE`` (1e-4) in probability the
backend is refused and the caller falls back to PyTorch. ``onnx`` and ``onnxruntime`` are optional
(the ``[onnx]`` extra); without them this module is never used.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from meddisseg_core.atomic import atomic_write_bytes
from meddisseg_core.errors import MedDisSegError
from meddisseg_core.inference.measured import ORT_MAX_DIFFERENCE

CACHE_FORMAT = 1


class OrtBackendError(MedDisSegError):
    """ONNX Runtime cannot stand in for PyTorch here (missing, failed export, results differ)."""


class _MaskGraph(nn.Module):
    """The network's inference mask on its own input convention: what the backend runs."""

    def __init__(self, network: nn.Module) -> None:
        super().__init__()
        self.network = network

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.network.infer(x).mask


def _cache_path(network: nn.Module, size: tuple[int, int]) -> Path:
    from meddisseg_core.checkpoint import tensors_sha256
    from meddisseg_core.paths import user_cache_dir

    digest = tensors_sha256(network.state_dict())[:24]
    version = torch.__version__.replace("+", "-")
    return user_cache_dir() / "onnx" / f"{digest}-{size[0]}x{size[1]}-torch{version}-v{CACHE_FORMAT}.onnx"


def _export(network: nn.Module, size: tuple[int, int], path: Path) -> None:
    import tempfile

    from meddisseg_core.onnx_export import OnnxExportError, _run_exporter

    example = torch.rand(1, 3, *size, generator=torch.Generator().manual_seed(0))
    with tempfile.TemporaryDirectory(prefix="meddisseg-ort-") as scratch:
        raw = Path(scratch) / "model.onnx"
        try:
            _run_exporter(_MaskGraph(network).eval(), example, raw, "torchscript")
        except OnnxExportError as exc:
            raise OrtBackendError(str(exc)) from exc
        atomic_write_bytes(path, raw.read_bytes())


class OrtRunner:
    """Runs the exported mask graph; ``run(batch)`` takes the Predictor's N×3×H×W float32 input."""

    def __init__(self, network: nn.Module, size: tuple[int, int], *, threads: int | None = None) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise OrtBackendError("onnxruntime is not installed") from exc
        network = network.float().eval()
        path = _cache_path(network, size)
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            _export(network, size, path)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or torch.get_num_threads()
        options.inter_op_num_threads = 1
        try:
            self.session: Any = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # a truncated or stale cache file: export again once
            with contextlib.suppress(OSError):
                path.unlink()
            raise OrtBackendError(f"ONNX Runtime could not load {path.name}: {exc}") from exc
        self.input_name = self.session.get_inputs()[0].name
        self.size = size
        self.path = path
        self.max_difference = self._check(network)

    def _check(self, network: nn.Module) -> float:
        """Largest |Δp| against PyTorch fp32 on a fixed random input; raises above the tolerance.

        One input: PyTorch's run is the price of the check (0.1 s idle, seconds on a busy machine).
        """
        x = torch.rand(1, 3, *self.size, generator=torch.Generator().manual_seed(21))
        with torch.inference_mode():
            ours = network.infer(x).mask.float().numpy()
        worst = float(np.abs(ours[:, 0] - self.run(x.numpy())).max())
        if not worst <= ORT_MAX_DIFFERENCE:
            raise OrtBackendError(
                f"ONNX Runtime differs from PyTorch by {worst:.1e} in probability "
                f"(> {ORT_MAX_DIFFERENCE:.0e})"
            )
        return worst

    def run(self, batch: np.ndarray) -> np.ndarray:
        """N×H×W float32 lesion probabilities for an N×3×H×W float32 batch (one image at a time)."""
        out = [
            self.session.run(None, {self.input_name: np.ascontiguousarray(image[None], dtype=np.float32)})[0]
            for image in batch
        ]
        return np.concatenate(out)[:, 0].astype(np.float32, copy=False)
