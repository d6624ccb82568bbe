"""What a weights file says about itself: network size, input convention, provenance."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from meddisseg_core.config import from_dict, to_dict
from meddisseg_core.errors import CheckpointError, ConfigError
from meddisseg_core.nn import NetworkConfig

# Key of our JSON document inside the safetensors header metadata.
METADATA_KEY = "meddisseg"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class InputConvention:
    """How an image must be prepared for the network. The defaults are the authors' convention:
    OpenCV BGR order, bilinear resize to 256×256 (H, W), values / 255, no mean/std normalisation."""

    colour_order: str = "BGR"
    size: tuple[int, int] = (256, 256)
    scale: float = 1.0 / 255.0
    mean: tuple[float, float, float] | None = None
    std: tuple[float, float, float] | None = None
    resize_interpolation: str = "linear"

    def __post_init__(self) -> None:
        if self.colour_order.upper() not in ("RGB", "BGR"):
            raise ConfigError(
                f"InputConvention.colour_order must be 'RGB' or 'BGR', got {self.colour_order!r}"
            )
        if len(self.size) != 2 or any(s < 16 or s % 16 for s in self.size):
            raise ConfigError(f"InputConvention.size must be two multiples of 16, got {self.size!r}")


@dataclass(frozen=True)
class ModelMetadata:
    """Provenance stored with our weights; ``sha256`` is the digest of the tensors (set by save_model)."""

    network: NetworkConfig
    input: InputConvention = field(default_factory=InputConvention)
    name: str = ""
    version: str = ""
    training_data: str = ""
    split: str = ""
    metrics: dict[str, float] = field(default_factory=dict)
    created: str = ""
    notes: str = ""
    sha256: str = ""

    def with_changes(self, **changes: Any) -> ModelMetadata:
        return dataclasses.replace(self, **changes)


def metadata_to_json(metadata: ModelMetadata, *, inference_only: bool) -> str:
    document = {"format": FORMAT_VERSION, "inference_only": inference_only, "metadata": to_dict(metadata)}
    return json.dumps(document, sort_keys=True)


def metadata_from_json(text: str, where: str) -> tuple[ModelMetadata, bool]:
    """(metadata, inference_only) from our header document; CheckpointError if it is malformed."""
    try:
        document = json.loads(text)
        if not isinstance(document, dict) or document.get("format") != FORMAT_VERSION:
            raise CheckpointError(f"{where}: unsupported metadata format {document.get('format')!r}")
        if not isinstance(document["metadata"], dict):
            raise ConfigError(f"{where}: metadata must be an object")
        metadata = from_dict(ModelMetadata, document["metadata"], where=f"{where} metadata")
        return metadata, bool(document.get("inference_only", False))
    except (json.JSONDecodeError, KeyError, AttributeError, ConfigError) as exc:
        raise CheckpointError(f"{where}: malformed {METADATA_KEY!r} metadata ({exc})") from exc
