"""What the registry knows about one model: a frozen, JSON-round-trippable record."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from meddisseg_core.checkpoint import InputConvention
from meddisseg_core.config import from_dict, to_dict
from meddisseg_core.errors import ConfigError
from meddisseg_core.nn import NetworkConfig

Source = Literal["shipped", "downloaded", "imported", "fine-tuned"]
SOURCES: tuple[str, ...] = ("shipped", "downloaded", "imported", "fine-tuned")


@dataclass(frozen=True)
class TrainedOn:
    """The images a model was trained on: their folder and their keys (paths relative to it)."""

    folder: str = ""
    images: tuple[str, ...] = ()


@dataclass(frozen=True)
class HeldOutMetrics:
    """Scores of a model and what exactly they were measured on (so two numbers are comparable)."""

    values: dict[str, float] = field(default_factory=dict)
    folder: str = ""
    images: tuple[str, ...] = ()
    protocol: str = ""

    def __post_init__(self) -> None:
        for key, value in self.values.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"metrics.values[{key!r}] must be a number, got {value!r}")


@dataclass(frozen=True)
class ModelRecord:
    """One registered model.

    ``file`` is relative to the registry folder for the files the registry owns (copied in), and
    absolute for the shipped default (which stays where the installation put it). ``sha256`` and
    ``size`` are those of the file itself (not of the tensors), so `sha256sum` agrees with them.
    """

    id: str
    name: str
    source: Source
    file: str
    sha256: str
    size: int
    network: NetworkConfig
    input: InputConvention = field(default_factory=InputConvention)
    created: str = ""
    url: str = ""
    parent: str = ""
    trained_on: TrainedOn = field(default_factory=TrainedOn)
    metrics: HeldOutMetrics | None = None
    notes: str = ""
    file_mtime_ns: int = 0  # shipped only: re-hash when the installed file changes

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,79}", self.id):
            raise ConfigError(f"model id {self.id!r} must be 1-80 of a-z, 0-9, '.', '_', '-'")
        if self.source not in SOURCES:
            raise ConfigError(f"model {self.id}: source {self.source!r} is not one of {list(SOURCES)}")
        if self.source == "downloaded" and not self.url:
            raise ConfigError(f"model {self.id}: a downloaded model needs its URL")
        if not re.fullmatch(r"[0-9a-f]{64}", self.sha256):
            raise ConfigError(f"model {self.id}: sha256 {self.sha256!r} is not 64 hex digits")

    def with_changes(self, **changes: Any) -> ModelRecord:
        return replace(self, **changes)

    def describe_source(self) -> str:
        if self.source == "downloaded":
            return f"downloaded from {self.url}"
        if self.source == "fine-tuned":
            return f"fine-tuned from {self.parent}" if self.parent else "trained from scratch"
        return self.source


def record_to_dict(record: ModelRecord) -> dict[str, Any]:
    return to_dict(record)


def record_from_dict(data: dict[str, Any], where: str) -> ModelRecord:
    return from_dict(ModelRecord, data, where=where)


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        while block := stream.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def slug(text: str) -> str:
    """A lower-case id fragment from free text ("Checkpoint2 (v1).pth" -> "checkpoint2-v1")."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (cleaned or "model")[:48]
