"""The exception hierarchy of Med-DisSeg.

Every error the library raises on purpose derives from :class:`MedDisSegError`, so a
caller (the CLI, or the GUI at its action boundary) can catch one type and show the
message. Messages always name the offending value: a path, a key, a shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class MedDisSegError(Exception):
    """Base class of every deliberate error in Med-DisSeg."""


class ConfigError(MedDisSegError, ValueError):
    """A configuration value or key is invalid (unknown key, wrong type, out of range)."""


class ImageReadError(MedDisSegError):
    """An image could not be read, or is not an image we accept."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class ImageTooLargeError(ImageReadError):
    """An image is larger than the configured pixel limit (decompression bomb guard)."""


class MaskError(MedDisSegError):
    """A mask is missing, unreadable, or does not match its image."""


class DatasetError(MedDisSegError):
    """A dataset folder or split file is malformed."""


class CheckpointError(MedDisSegError):
    """A weights file cannot be used."""


class UnsafeCheckpointError(CheckpointError):
    """A checkpoint needs arbitrary code execution to unpickle and was refused."""


class StateDictMismatchError(CheckpointError):
    """A state dict does not fit the network: names the missing, unexpected and wrong-shaped keys."""

    def __init__(
        self,
        source: str,
        missing: Sequence[str] = (),
        unexpected: Sequence[str] = (),
        wrong_shape: Sequence[tuple[str, tuple[int, ...], tuple[int, ...]]] = (),
    ) -> None:
        self.source = source
        self.missing = list(missing)
        self.unexpected = list(unexpected)
        self.wrong_shape = list(wrong_shape)
        parts = [f"{source} does not fit the network:"]

        def _clip(items: Sequence[str]) -> str:
            shown = ", ".join(items[:8])
            return shown + (f", ... ({len(items)} in all)" if len(items) > 8 else "")

        if self.missing:
            parts.append(f"missing keys: {_clip(self.missing)}")
        if self.unexpected:
            parts.append(f"unexpected keys: {_clip(self.unexpected)}")
        if self.wrong_shape:
            shapes = [f"{k} (file {tuple(a)} vs network {tuple(b)})" for k, a, b in self.wrong_shape]
            parts.append(f"wrong-shaped keys: {_clip(shapes)}")
        super().__init__("; ".join(parts))


class DeviceError(MedDisSegError):
    """A compute device was requested but cannot be used."""


class TrainingError(MedDisSegError):
    """Training cannot start or cannot go on."""


class NonFiniteLossError(TrainingError):
    """A loss or gradient became NaN or infinite."""


class CancelledError(MedDisSegError):
    """A long-running job was cancelled on request."""


class PromptError(MedDisSegError, ValueError):
    """A box or click prompt cannot be used (outside the image, zero area, wrong shapes).

    Raised before anything is computed, so a bad prompt changes nothing.
    """
