"""Loads a model off the GUI thread, so the window is up before torch is even imported.

``import torch`` alone takes seconds; reading a checkpoint and choosing the device take more.
The worker does all of it on its own thread and hands the ready Predictor to the GUI thread in a
queued signal. When no model can be loaded it still names the device a model would use.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal, Slot

from meddisseg_core.errors import CheckpointError, MedDisSegError

from .job import Worker

log = logging.getLogger(__name__)

NO_DEFAULT_MODEL = "no default model is installed — load one with Model > Load checkpoint (Ctrl+L)"


def _device_text() -> str:
    """The device a model would run on, and why (or why none is usable)."""
    from meddisseg_core.inference import choose_device

    try:
        report = choose_device("auto")
    except MedDisSegError as exc:
        return f"no usable device: {exc}"
    return f"{report.name} ({report.device}; {report.reason})"


class ModelLoadWorker(Worker):
    """Loads ``path`` (None: the shipped default model) into a Predictor, shown as ``name`` if given."""

    loaded = Signal(object, str)  # Predictor, display name
    failed = Signal(str, str)  # why, the device a model would use

    def __init__(
        self,
        path: Path | None,
        name: str | None = None,
        resolve: Callable[[], tuple[Path | None, str | None]] | None = None,
        *,
        precision: str = "auto",
    ) -> None:
        super().__init__()
        self._precision = precision  # "fp32" when the user forced it in Preferences
        self._path = path
        self._name = name
        self._resolve = resolve  # run here first: it may choose another (path, name)

    @Slot()
    def run(self) -> None:
        try:
            predictor, name = self._load()
        except MedDisSegError as exc:
            self.failed.emit(str(exc), _device_text())
            self.finished.emit(False, f"No model: {exc}")
            return
        except Exception as exc:  # logged and reported, never fatal for the app
            log.exception("loading the model failed")
            self.failed.emit(f"{type(exc).__name__}: {exc}", _device_text())
            self.finished.emit(False, f"No model: {exc}")
            return
        self.loaded.emit(predictor, name)
        self.finished.emit(False, f"Model ready: {name}")

    def _load(self) -> tuple[object, str]:
        from meddisseg_core.checkpoint import load_model
        from meddisseg_core.inference import Predictor, default_model_path

        if self._resolve is not None:
            self._path, self._name = self._resolve()
        path = self._path if self._path is not None else default_model_path()
        if path is None:
            raise CheckpointError(NO_DEFAULT_MODEL)
        loaded = load_model(path)
        if self._name is not None:
            name = self._name
        elif self._path is None:
            name = f"default: {loaded.metadata.name or path.name}"
        else:
            name = f"{loaded.metadata.name or path.name} ({path.name})"
        return Predictor(loaded, precision=self._precision), name
