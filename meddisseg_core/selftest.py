"""Installation self-test: what an IT person runs on a workstation after installing.

It checks, without network access and without any dataset, that the bundled libraries import,
which compute device would be used (and why a GPU is not, if it is not), that the model loads
(the shipped default, or a given file; otherwise a random tiny network exercises the code path),
which precision and runtime it runs in on this CPU or GPU and why (``MEDDISSEG_PRECISION=fp32``
forces fp32), and that one synthetic image goes through the predictor at the expected size. Each check is a
line with OK / WARN / FAIL; the overall result is FAIL if any check failed.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from meddisseg_core import __version__
from meddisseg_core.errors import MedDisSegError


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # "OK", "WARN" or "FAIL"
    detail: str


def _synthetic_image(height: int = 300, width: int = 420) -> np.ndarray:
    """A pink field with a darker red blob: shaped like an endoscopy frame, made here."""
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    dy = (yy - height * 0.45) / (height * 0.2)
    dx = (xx - width * 0.5) / (width * 0.18)
    blob = (dy**2 + dx**2) < 1
    image = np.empty((height, width, 3), np.uint8)
    image[..., 0] = 205 - 60 * blob
    image[..., 1] = 130 - 70 * blob
    image[..., 2] = 140 - 70 * blob
    return image


# A check run after a successful prediction: (name, action(image, prediction) -> (status, detail)).
PredictionCheck = tuple[str, Callable[[np.ndarray, object], tuple[str, str]]]


def run_selftest(
    weights: Path | None = None, device: str = "auto", after_prediction: Sequence[PredictionCheck] = ()
) -> list[Check]:
    """Run every check; never raises for an expected failure (it becomes a FAIL line).

    ``after_prediction`` checks (e.g. the app's mask round trip) get the synthetic image and its
    ``Prediction``, and run only when the prediction succeeded.
    """
    checks: list[Check] = []

    def attempt(name: str, action: Callable[[], tuple[str, str]]) -> bool:
        try:
            status, detail = action()
        except MedDisSegError as exc:
            checks.append(Check(name, "FAIL", str(exc)))
            return False
        except Exception as exc:  # the self-test reports anything, it must not crash
            checks.append(Check(name, "FAIL", f"{type(exc).__name__}: {exc}"))
            return False
        checks.append(Check(name, status, detail))
        return status != "FAIL"

    def libraries() -> tuple[str, str]:
        import cv2
        import safetensors
        import torch

        return "OK", (
            f"meddisseg {__version__}, Python {platform.python_version()}, torch {torch.__version__}, "
            f"OpenCV {cv2.__version__}, safetensors {safetensors.__version__}"
        )

    if not attempt("libraries", libraries):
        return checks

    from meddisseg_core.inference import Predictor, choose_device, default_model_path

    def compute_device() -> tuple[str, str]:
        report = choose_device(device)
        status = "OK" if report.device.type == "cuda" or device == "cpu" else "WARN"
        return status, report.describe()

    attempt("device", compute_device)

    state: dict[str, Predictor] = {}
    made: dict[str, object] = {}  # the synthetic image and its prediction, for after_prediction

    def model() -> tuple[str, str]:
        path = weights or default_model_path()
        if path is None:
            from meddisseg_core.checkpoint import InputConvention, LoadedModel, ModelMetadata
            from meddisseg_core.nn import NetworkConfig, build_network

            config = NetworkConfig.tiny(1)
            metadata = ModelMetadata(network=config, input=InputConvention(size=(64, 64)), name="self-test")
            loaded = LoadedModel(build_network(config), metadata, Path("random-tiny-network"))
            state["predictor"] = Predictor(loaded, device=device)
            return "WARN", "no default model is installed; checked the code path with a random tiny network"
        state["predictor"] = Predictor.from_path(path, device=device)
        meta = state["predictor"].metadata
        return "OK", f"{path} (stage {meta.network.stage}, input {meta.input.colour_order} {meta.input.size})"

    if not attempt("model", model):
        return checks

    def precision() -> tuple[str, str]:
        # What "auto" chose for this model on this device, and the measurement behind it.
        return "OK", state["predictor"].choice.describe()

    attempt("precision", precision)

    def prompts() -> tuple[str, str]:
        # The box and click tools' learned refiner: a file that is there but refused is a failure.
        from meddisseg_core.inference.model_location import refiner_model_path

        path = refiner_model_path()
        if path is None:
            return "WARN", "no learned refiner installed; Box and Click use the hand-made methods"
        from meddisseg_core.interactive.refiner import load_refiner

        net = load_refiner(path)
        params = sum(p.numel() for p in net.parameters())
        return "OK", f"Box and Click refiner {path} ({params / 1e6:.2f} M parameters)"

    attempt("prompts", prompts)

    def prediction() -> tuple[str, str]:
        predictor = state["predictor"]
        image = _synthetic_image()
        predictor.predict(image)  # warm-up (first call allocates and may tune kernels)
        start = time.perf_counter()
        result = predictor.predict(image)
        elapsed = time.perf_counter() - start
        if result.probability.shape != image.shape[:2]:
            return "FAIL", f"probability map is {result.probability.shape}, expected {image.shape[:2]}"
        if not np.isfinite(result.probability).all():
            return "FAIL", "the probability map holds NaN or infinite values"
        made.update(image=image, prediction=result)
        size = f"{image.shape[1]}x{image.shape[0]}"
        return "OK", f"{size} image in {elapsed * 1000:.0f} ms on {predictor.device}"

    if attempt("prediction", prediction):
        for name, action in after_prediction:
            attempt(name, lambda action=action: action(made["image"], made["prediction"]))
    return checks


def overall(checks: list[Check]) -> str:
    return "FAIL" if any(c.status == "FAIL" for c in checks) else "OK"
