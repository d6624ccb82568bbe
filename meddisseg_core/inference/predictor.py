"""The Predictor: RGB images in, probability maps at the images' own size out.

It owns a loaded network on a device, converts each image per the model's
``InputConvention`` (colour order, size, scale), runs the mask path only
(``network.infer``), optionally averages identity + horizontal + vertical flips (TTA, in
probability space), and resizes the maps back to each image's size with bilinear interpolation.

A CUDA failure during prediction (driver reset, out of memory with a single image) moves the
network to the CPU, records why in :attr:`Predictor.device_report`, and retries, so a long
batch job or the desktop app keeps working. Calls are serialised with a lock because the app
may predict from a worker thread while another request arrives.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from meddisseg_core.errors import CheckpointError
from meddisseg_core.inference.checked import borderline
from meddisseg_core.inference.choice import RUNTIMES, RuntimeChoice, choose_runtime, network_kind
from meddisseg_core.inference.device import DeviceReport, choose_device, cpu_report
from meddisseg_core.inference.model_location import ENV_VAR, candidate_paths, default_model_path
from meddisseg_core.inference.precision import autocast
from meddisseg_core.inference.preprocessing import as_rgb, preprocess, resize_map


@dataclass(frozen=True)
class Prediction:
    """Float32 maps of one image.

    ``probability`` and ``uncertainty`` are H×W at the image's own size; ``uncertainty`` is None
    unless asked for and the network has one. ``network_probability`` is the map at the
    network's input size before resizing back, which the authors' metrics use.
    """

    probability: np.ndarray
    uncertainty: np.ndarray | None = None
    network_probability: np.ndarray | None = None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Predictor:
    """Runs a :class:`~meddisseg_core.checkpoint.LoadedModel` on images."""

    def __init__(
        self,
        loaded: Any,
        *,
        device: str | torch.device = "auto",
        tta: bool = False,
        precision: str = "auto",
        runtime: str = "auto",
    ) -> None:
        if runtime not in ("auto", *RUNTIMES):
            raise ValueError(f"unknown runtime {runtime!r}; use 'auto', 'torch' or 'onnxruntime'")
        self.loaded = loaded
        self.network: torch.nn.Module = loaded.network
        self.metadata = loaded.metadata
        self.convention = loaded.metadata.input
        self.tta = bool(tta)
        self._requested_precision = precision
        self._requested_runtime = runtime
        self._lock = threading.Lock()
        self._ort: Any = None  # an OrtRunner when ONNX Runtime is the backend
        self.rechecked = 0  # images "bf16-checked" predicted again in fp32 (checked.py)
        self.network.float().eval()
        self._use(choose_device(device))

    @classmethod
    def from_path(cls, path: Path | str | None = None, **kwargs: Any) -> Predictor:
        """A Predictor for the weights at ``path``; None means the shipped default model."""
        if path is None:
            path = default_model_path()
            if path is None:
                looked = ", ".join(str(p) for p in candidate_paths())
                raise CheckpointError(
                    "no weights given and no default model is installed "
                    f"(looked in: {looked}); pass --weights or set {ENV_VAR}"
                )
        # Imported here: the checkpoint package is heavy and not needed to import this module.
        from meddisseg_core.checkpoint import load_model

        return cls(load_model(Path(path), map_location="cpu"), **kwargs)

    # ------------------------------------------------------------------ state

    def _use(self, report: DeviceReport) -> None:
        self.network.to(report.device)
        config = getattr(self.network, "config", None)
        choice = choose_runtime(
            self._requested_precision,
            report.device,
            stage=getattr(config, "stage", 2),
            network=network_kind(config),
        )
        self._ort = None
        if self._requested_runtime == "onnxruntime" and report.device.type == "cpu":
            choice = RuntimeChoice("fp32", "onnxruntime", "ONNX Runtime requested")
        elif self._requested_runtime == "torch" and choice.runtime != "torch":
            choice = RuntimeChoice("fp32", "torch", "PyTorch requested")
        if choice.runtime == "onnxruntime":
            choice = self._start_ort(choice)
        self.choice = choice
        self.precision = choice.precision
        self._report = report

    def _start_ort(self, choice: RuntimeChoice) -> RuntimeChoice:
        """ONNX Runtime as the backend, checked against PyTorch; PyTorch fp32 if it cannot be."""
        from meddisseg_core.inference.ort_backend import OrtRunner

        try:
            self._ort = OrtRunner(self.network, tuple(self.convention.size))
        except Exception as exc:  # any failure of the optional backend means PyTorch instead
            return RuntimeChoice("fp32", "torch", f"ONNX Runtime not used ({_first_line(exc)}); PyTorch fp32")
        checked = f"; max |Δp| vs PyTorch {self._ort.max_difference:.0e} checked at load"
        return RuntimeChoice(choice.precision, choice.runtime, choice.reason + checked)

    @property
    def runtime(self) -> str:
        """ "torch" or "onnxruntime" (CPU backend of a network it runs identically)."""
        return self.choice.runtime

    @property
    def device_report(self) -> DeviceReport:
        """The device in use and why; updated if CUDA failed and the CPU took over."""
        return self._report

    @property
    def device(self) -> torch.device:
        return self._report.device

    def describe(self) -> str:
        """One line: device, why, precision (and runtime) with why, and TTA."""
        tta = "; flip TTA" if self.tta else ""
        return f"{self._report.describe()}; {self.choice.describe()}{tta}"

    @property
    def has_uncertainty(self) -> bool:
        """Whether the network can produce an uncertainty map (stage 2 with its auxiliary heads).

        A file saved inference-only offers one only if it kept the uncertainty path (packed files
        do since issue 20; older ones and ``inference_only`` saves do not).
        """
        config = getattr(self.network, "config", None)
        if getattr(config, "stage", None) != 2:
            return False
        inference_only = getattr(self.loaded, "inference_only", False)
        return bool(getattr(self.loaded, "has_uncertainty", not inference_only))

    # ------------------------------------------------------------------ prediction

    def predict(self, image_rgb: np.ndarray, *, with_uncertainty: bool = False) -> Prediction:
        """Probability (and optionally uncertainty) of one RGB image at its own size."""
        return self.predict_batch([image_rgb], with_uncertainty=with_uncertainty)[0]

    def predict_batch(
        self, images: Sequence[np.ndarray], *, with_uncertainty: bool = False
    ) -> list[Prediction]:
        """Predictions for several RGB images of any sizes, run as one network batch."""
        if len(images) == 0:
            return []
        shapes = [as_rgb(image).shape[:2] for image in images]
        batch = np.stack([preprocess(image, self.convention) for image in images])
        with self._lock:
            probability, uncertainty = self._run(batch, with_uncertainty and self.has_uncertainty)
        results = []
        for i, shape in enumerate(shapes):
            unc = None if uncertainty is None else resize_map(uncertainty[i], shape)
            results.append(Prediction(resize_map(probability[i], shape), unc, probability[i].copy()))
        return results

    def _run(self, batch: np.ndarray, with_uncertainty: bool) -> tuple[np.ndarray, np.ndarray | None]:
        try:
            return self._run_on_device(batch, with_uncertainty)
        except RuntimeError as exc:
            if self.device.type != "cuda":
                raise
            reason = f"CUDA failed during prediction ({_first_line(exc)}); fell back to the CPU"
            self._use(cpu_report(reason))
            return self._run_on_device(batch, with_uncertainty)

    def _run_on_device(
        self, batch: np.ndarray, with_uncertainty: bool
    ) -> tuple[np.ndarray, np.ndarray | None]:
        try:
            return self._forward(batch, with_uncertainty)
        except torch.OutOfMemoryError:
            if len(batch) == 1:
                raise
        # Out of GPU memory with several images: halve the batch before giving up on the GPU.
        torch.cuda.empty_cache()
        half = len(batch) // 2
        first = self._run_on_device(batch[:half], with_uncertainty)
        second = self._run_on_device(batch[half:], with_uncertainty)
        uncertainty = None if first[1] is None else np.concatenate([first[1], second[1]])  # type: ignore[list-item]
        return np.concatenate([first[0], second[0]]), uncertainty

    def _infer(self, x: torch.Tensor, with_uncertainty: bool) -> tuple[torch.Tensor, torch.Tensor | None]:
        if self.precision == "bf16-decoder":
            out = self.network.infer(x, with_uncertainty=with_uncertainty, fp32_encoder=True)
        else:
            out = self.network.infer(x, with_uncertainty=with_uncertainty)
        mask = out.mask.float()
        uncertainty = out.uncertainty.float() if out.uncertainty is not None else None
        return mask, uncertainty

    def _forward_ort(self, batch: np.ndarray) -> np.ndarray:
        mask = self._ort.run(batch)
        if self.tta:
            # Flips are their own inverse: flip the input, predict, flip the maps back.
            for axis in (-1, -2):
                mask = mask + np.flip(self._ort.run(np.flip(batch, axis)), axis)
            mask = mask / 3.0
        return np.ascontiguousarray(mask, dtype=np.float32)

    def _maps(self, x: torch.Tensor, with_uncertainty: bool) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Float maps of a batch, flip-averaged when TTA is on, in the current autocast context."""
        mask, uncertainty = self._infer(x, with_uncertainty)
        if self.tta:
            # Flips are their own inverse: flip the input, predict, flip the maps back.
            for dims in ((-1,), (-2,)):
                m, u = self._infer(torch.flip(x, dims), with_uncertainty)
                mask = mask + torch.flip(m, dims)
                if uncertainty is not None and u is not None:
                    uncertainty = uncertainty + torch.flip(u, dims)
            mask = mask / 3.0
            if uncertainty is not None:
                uncertainty = uncertainty / 3.0
        return mask.float(), None if uncertainty is None else uncertainty.float()

    def _forward(self, batch: np.ndarray, with_uncertainty: bool) -> tuple[np.ndarray, np.ndarray | None]:
        if self._ort is not None and not with_uncertainty:
            return self._forward_ort(batch), None
        device = self.device
        with torch.inference_mode():
            x = torch.from_numpy(batch).to(device)
            with autocast(self.precision, device):
                mask, uncertainty = self._maps(x, with_uncertainty)
            if self.precision == "bf16-checked":
                redo = borderline(mask[:, 0]).nonzero()[:, 0]
                if len(redo):  # these maps sit near 0.5: fp32 decides them (checked.py)
                    m, u = self._maps(x[redo], with_uncertainty)
                    mask[redo] = m
                    if uncertainty is not None and u is not None:
                        uncertainty[redo] = u
                    self.rechecked += len(redo)
            mask_np = mask[:, 0].cpu().numpy()
            unc_np = None if uncertainty is None else uncertainty[:, 0].cpu().numpy()
        return mask_np.astype(np.float32, copy=False), unc_np
