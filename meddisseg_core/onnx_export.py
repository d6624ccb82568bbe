"""ONNX export of the inference path, with its input convention, and an X-AnyLabeling config.

The exported graph is fixed-size (batch 1, the weights' own input size, 256×256 for the
authors' models): X-AnyLabeling reads the input size from the model and does not support
dynamic inputs, and the networks were trained at that size. Its contract:

* input ``image``: float32 ``[1, 3, H, W]``, **RGB**, values ``pixel / 255`` of the 8-bit image
  resized to H×W with bilinear interpolation (``cv2.INTER_LINEAR``). The colour reordering
  (the authors' weights expect BGR) and any mean/std of the weights happen inside the graph,
  so every consumer feeds plain RGB.
* output ``probabilities``: float32 ``[1, 2, H, W]``: channel 0 background, channel 1 lesion
  (they sum to 1). ``argmax`` over the channels equals ``lesion > 0.5``, the threshold that
  ``meddisseg predict`` uses by default; resize the lesion map back to the image's size before
  thresholding to get the same mask as ``predict``.

The same facts are written into the model's metadata (``metadata_props``) and into the YAML
beside it. ``onnx`` is needed to export; ``onnxruntime`` only to verify (``pip install
meddisseg-studio[onnx]``).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np
import torch
from torch import nn

from meddisseg_core import __version__
from meddisseg_core.atomic import atomic_write_bytes, atomic_write_text
from meddisseg_core.checkpoint import InputConvention, LoadedModel
from meddisseg_core.config import to_dict
from meddisseg_core.errors import MedDisSegError
from meddisseg_core.inference.preprocessing import preprocess

if TYPE_CHECKING:  # onnxruntime is optional: only its type is named here
    from onnxruntime import InferenceSession

INPUT_NAME = "image"
OUTPUT_NAME = "probabilities"
OPSET = 18
Exporter = Literal["dynamo", "torchscript"]


class OnnxExportError(MedDisSegError):
    """The model could not be exported (missing package, exporter failure, unwritable file)."""


class OnnxExport(NamedTuple):
    """What :func:`export_onnx` wrote: the model, the X-AnyLabeling config, the metadata."""

    model_path: Path
    config_path: Path
    metadata: dict[str, str]


class ProbabilityGraph(nn.Module):
    """What is exported: RGB ``[N, 3, H, W]`` in [0, 1] -> ``[N, 2, H, W]`` (background, lesion).

    Wraps ``network.infer`` (the fast path: BN folded, no auxiliary heads), so the exported
    maths is the one ``meddisseg predict`` runs.
    """

    def __init__(self, network: nn.Module, convention: InputConvention) -> None:
        super().__init__()
        self.network = network
        # RGB -> the weights' order as a gather (a reversed slice would not constant-fold).
        order = [2, 1, 0] if convention.colour_order.upper() == "BGR" else [0, 1, 2]
        self.register_buffer("order", torch.tensor(order), persistent=False)
        scale = torch.ones(3) if convention.std is None else 1.0 / torch.tensor(convention.std)
        shift = torch.zeros(3) if convention.mean is None else torch.tensor(convention.mean)
        self.normalise = convention.mean is not None or convention.std is not None
        self.register_buffer("shift", shift.view(1, 3, 1, 1).float(), persistent=False)
        self.register_buffer("scale", scale.view(1, 3, 1, 1).float(), persistent=False)

    def forward(self, rgb: torch.Tensor) -> torch.Tensor:
        x = rgb.index_select(1, self.order)
        if self.normalise:
            x = (x - self.shift) * self.scale
        lesion = self.network.infer(x).mask
        return torch.cat([1.0 - lesion, lesion], dim=1)


def onnx_input(image_rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The exported model's input for one RGB image (8- or 16-bit): float32 ``[1, 3, H, W]``.

    The same preprocessing as the Predictor, with RGB order and no normalisation (those are
    inside the graph), so ONNX Runtime and ``meddisseg predict`` see the same numbers.
    """
    convention = InputConvention(colour_order="RGB", size=size, scale=1.0 / 255.0)
    return preprocess(image_rgb, convention)[None]


def onnx_metadata(loaded: LoadedModel, label: str) -> dict[str, str]:
    """The ``metadata_props`` of the exported model: input convention, output, provenance."""
    height, width = loaded.metadata.input.size
    network = loaded.network.config  # type: ignore[union-attr]
    return {
        "input_name": INPUT_NAME,
        "input_layout": "NCHW",
        "input_shape": json.dumps([1, 3, height, width]),
        "input_colour_order": "RGB",
        "input_scale": "1/255",
        "input_range": "[0, 1]",
        "input_resize": "bilinear (cv2.INTER_LINEAR) of the 8-bit image to the input size",
        "input_normalisation": "none (done inside the graph)",
        "output_name": OUTPUT_NAME,
        "output_shape": json.dumps([1, 2, height, width]),
        "output": "probabilities; channel 0 background, channel 1 " + label,
        "classes": json.dumps(["_background_", label]),
        "threshold": "0.5",
        "network": json.dumps(to_dict(network)),
        "weights_input_convention": json.dumps(to_dict(loaded.metadata.input)),
        "source": loaded.source.name,
        "source_format": loaded.format,
        "model_name": loaded.metadata.name,
        "model_version": loaded.metadata.version,
        "weights_sha256": loaded.metadata.sha256,
        "producer": f"meddisseg {__version__} export-onnx",
    }


def _yaml_scalar(value: object) -> str:
    # A JSON string or number is a valid YAML flow scalar, quoted where needed.
    return json.dumps(value, ensure_ascii=False)


def xanylabeling_config(
    model_file: str, loaded: LoadedModel, label: str, *, display_name: str | None = None
) -> str:
    """YAML text of an X-AnyLabeling custom segmentation model (their ``unet`` example schema).

    ``type``, ``name`` and ``display_name`` are the keys they require; ``classes`` lists the
    output channels in order (background first). The ``input_*`` keys repeat the ONNX metadata
    for the service that feeds the model.
    """
    height, width = loaded.metadata.input.size
    stage = loaded.network.config.stage  # type: ignore[union-attr]
    stem = Path(model_file).stem
    fields: list[tuple[str, object]] = [
        ("type", "unet"),
        ("name", f"meddisseg-{stem}"),
        ("display_name", display_name or f"Med-DisSeg stage {stage} ({stem})"),
        ("provider", "Med-DisSeg Studio"),
        ("model_path", model_file),
        ("conf_threshold", 0.5),
        ("input_width", width),
        ("input_height", height),
        ("input_colour_order", "RGB"),
        ("input_scale", 1.0 / 255.0),
        ("input_mean", [0.0, 0.0, 0.0]),
        ("input_std", [1.0, 1.0, 1.0]),
    ]
    lines = [
        "# X-AnyLabeling custom model, written by `meddisseg export-onnx`.",
        "# Output [1, 2, H, W]: channel i is classes[i]; the label of a pixel is the argmax.",
        "# Input [1, 3, H, W] float32: RGB, pixel / 255, bilinear resize; nothing else.",
    ]
    lines += [f"{key}: {_yaml_scalar(value)}" for key, value in fields]
    lines += ["classes:", f"  - {_yaml_scalar('_background_')}", f"  - {_yaml_scalar(label)}"]
    return "\n".join(lines) + "\n"


def _run_exporter(graph: nn.Module, example: torch.Tensor, path: Path, exporter: Exporter) -> None:
    try:
        import onnx  # noqa: F401  (both exporters need it)
    except ImportError as exc:
        raise OnnxExportError(
            "ONNX export needs the 'onnx' package: pip install 'meddisseg-studio[onnx]'"
        ) from exc
    kwargs: dict[str, object] = {
        "input_names": [INPUT_NAME],
        "output_names": [OUTPUT_NAME],
        "opset_version": OPSET,
        "dynamo": exporter == "dynamo",
    }
    if exporter == "dynamo":
        kwargs["external_data"] = False  # one self-contained file
    try:
        torch.onnx.export(graph, (example,), str(path), **kwargs)
    except ImportError as exc:  # the dynamo exporter also needs onnxscript
        raise OnnxExportError(f"ONNX export needs {exc.name or 'a package'}: {exc}") from exc
    except Exception as exc:  # the exporters raise many types; the first line says what failed
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise OnnxExportError(f"the {exporter} exporter failed: {first}") from exc


def export_onnx(
    loaded: LoadedModel,
    out: Path | str,
    *,
    label: str = "lesion",
    exporter: Exporter = "torchscript",
    display_name: str | None = None,
) -> OnnxExport:
    """Write ``out`` (the ONNX model, atomically) and ``<out stem>.yaml`` beside it."""
    import onnx

    out = Path(out)
    if out.suffix.lower() != ".onnx":
        raise OnnxExportError(f"{out}: the output file must end in .onnx")
    network = loaded.network.float().eval()
    graph = ProbabilityGraph(network, loaded.metadata.input).eval()
    height, width = loaded.metadata.input.size
    example = torch.rand(1, 3, height, width, generator=torch.Generator().manual_seed(0))
    with tempfile.TemporaryDirectory(prefix="meddisseg-onnx-") as scratch:
        raw = Path(scratch) / "model.onnx"
        _run_exporter(graph, example, raw, exporter)
        model = onnx.load(str(raw))
    metadata = onnx_metadata(loaded, label)
    del model.metadata_props[:]
    for key, value in metadata.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    model.doc_string = (
        "Med-DisSeg lesion segmentation. Input: RGB float32 [1,3,H,W] = pixel/255 after a bilinear "
        "resize. Output: [1,2,H,W] probabilities (background, lesion)."
    )
    model.producer_name, model.producer_version = "meddisseg", __version__
    atomic_write_bytes(out, model.SerializeToString())
    config = out.with_suffix(".yaml")
    atomic_write_text(config, xanylabeling_config(out.name, loaded, label, display_name=display_name))
    return OnnxExport(out, config, metadata)


def onnx_session(path: Path | str, *, threads: int | None = None) -> InferenceSession:
    """An onnxruntime CPU session for ``path`` (OnnxExportError if onnxruntime is missing)."""
    try:
        import onnxruntime as ort
    except ImportError as exc:
        raise OnnxExportError(
            "running an ONNX model needs 'onnxruntime': pip install 'meddisseg-studio[onnx]'"
        ) from exc
    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def max_difference(loaded: LoadedModel, session: InferenceSession, images_rgb: Sequence[np.ndarray]) -> float:
    """Largest |lesion probability| difference between ONNX Runtime and ``network.infer``."""
    size = loaded.metadata.input.size
    graph = ProbabilityGraph(loaded.network.float().eval(), loaded.metadata.input).eval()
    worst = 0.0
    for image in images_rgb:
        x = onnx_input(image, size)
        ours = graph(torch.from_numpy(x)).numpy()
        theirs = session.run([OUTPUT_NAME], {INPUT_NAME: x})[0]
        worst = max(worst, float(np.abs(ours[:, 1] - theirs[:, 1]).max()))
    return worst
