"""Model choice, proposal jobs and export jobs: the long-running side of the controller.

Jobs run in a :class:`~meddisseg_studio.workers.job.Job` (worker QObject on its own
QThread). Results come back as queued signals and are saved here, in the GUI thread, so
the project is only ever changed from one thread. One job runs at a time.
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt and the canvas contract

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from meddisseg_core.errors import CheckpointError, MedDisSegError

from .controller import StudioController
from .controller_guard import guarded, report
from .state.model import Proposal, ReviewStatus
from .workers.export_worker import ExportWorker
from .workers.job import Job, Worker
from .workers.proposal_worker import ProposalWorker

log = logging.getLogger(__name__)

EXPORT_LABELS = {"authors": "Authors' layout", "coco": "COCO JSON", "overlays": "Overlays", "csv": "CSV"}
# What each export writes inside the chosen folder (the exporters refuse an existing path).
EXPORT_TARGETS = {
    "authors": "authors_layout",
    "coco": "coco.json",
    "overlays": "overlays",
    "csv": "summary.csv",
}


def exporter(name: str) -> Callable[..., Any]:
    """The app-state exporter function for a format name."""
    from . import export

    functions = {
        "authors": export.export_authors,
        "coco": export.export_coco,
        "overlays": export.export_overlays,
        "csv": export.export_csv,
    }
    return functions[name]


def free_target(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/<stem>-2<suffix>``… when a previous export took that name."""
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while target.exists():
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    return target


class JobController(QObject):
    modelChanged = Signal(str)
    deviceChanged = Signal(str)
    jobStarted = Signal(str, int)
    jobProgress = Signal(int, int, float)
    jobFinished = Signal(str)

    def __init__(self, studio: StudioController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.dialogs = studio.dialogs
        self.predictor: Any | None = None
        self.model_name = ""
        self.threshold = 0.5
        self.job: Job | None = None
        self._queue: list[tuple[str, Callable[[], Worker]]] = []
        self._requested_device: str | None = None

    # The guard routes errors through the studio's handlers (one place decides what to show).
    def on_error(self, title: str, text: str) -> None:
        self.studio.on_error(title, text)

    def on_save_error(self, exc: Exception) -> None:
        self.studio.on_save_error(exc)

    def on_corrupt_state(self, exc: Exception) -> None:
        self.studio.on_corrupt_state(exc)

    # -- model --------------------------------------------------------------------
    def set_predictor(self, predictor: Any, name: str) -> None:
        self.predictor = predictor
        self.model_name = name
        self._requested_device = str(predictor.device_report.device)
        self.modelChanged.emit(name)
        self._show_device()

    def _show_device(self) -> None:
        if self.predictor is None:
            return
        report_ = self.predictor.device_report
        text = f"{report_.name} ({report_.device})"
        if (
            self._requested_device
            and self._requested_device.startswith("cuda")
            and report_.device.type == "cpu"
        ):
            text = f"CPU fallback — CUDA failed: {report_.reason}"
            self.studio.message.emit(text)
        self.deviceChanged.emit(text)

    def _show_default_device(self) -> None:
        """Before any model loads, name the device a model would run on (and why)."""
        from meddisseg_core.inference import choose_device

        try:
            report_ = choose_device("auto")
        except MedDisSegError as exc:
            self.deviceChanged.emit(f"no usable device: {exc}")
            return
        self.deviceChanged.emit(f"{report_.name} ({report_.device}; {report_.reason})")

    @guarded("load the default model")
    def load_default_model(self) -> None:
        from meddisseg_core.inference import Predictor, default_model_path

        path = default_model_path()
        if path is None:
            raise CheckpointError(
                "no default model is installed — load one with Model > Load checkpoint (Ctrl+L)"
            )
        self.set_predictor(Predictor.from_path(path), f"default: {path.name}")

    @guarded("load the checkpoint")
    def load_checkpoint(self, path: Path | None = None) -> None:
        from meddisseg_core.checkpoint import load_model
        from meddisseg_core.inference import Predictor

        path = path or self.dialogs.choose_file("Load checkpoint")
        if path is None:
            return
        loaded = load_model(Path(path))
        name = getattr(loaded.metadata, "name", "") or Path(path).name
        self.set_predictor(Predictor(loaded), f"{name} ({Path(path).name})")

    def try_default_model(self) -> None:
        """At start-up: use the default model if one ships, else say how to get one (no dialog)."""
        from meddisseg_core.inference import Predictor, default_model_path

        path = default_model_path()
        if path is None:
            self.modelChanged.emit("No default model — load one (Ctrl+L)")
            self._show_default_device()
            return
        try:
            self.set_predictor(Predictor.from_path(path), f"default: {path.name}")
        except MedDisSegError as exc:
            self.modelChanged.emit(f"Default model unusable: {exc}")

    # -- proposals ----------------------------------------------------------------
    def _need_model(self) -> bool:
        if self.predictor is None:
            raise CheckpointError(
                "no model loaded — use Model > Use default model or Load checkpoint (Ctrl+L)"
            )
        return True

    @guarded("propose")
    def propose_current(self) -> None:
        if self.studio.key is not None:
            self.propose([self.studio.key])

    @guarded("propose")
    def propose_unreviewed(self) -> None:
        project = self.studio.project
        if project is None:
            return
        keys = [
            e.key
            for e in project.entries
            if not e.error and e.status in (ReviewStatus.NEW, ReviewStatus.PROPOSED)
        ]
        self.propose(keys)

    def propose(self, keys: Sequence[str]) -> None:
        if self.studio.project is None or not keys:
            return
        self._need_model()
        project = self.studio.project
        with_unc = bool(getattr(self.predictor, "has_uncertainty", False))

        # The model's pixel rule, not the display image; it records nothing (worker thread).
        load = project.load_model_input
        self._start(
            f"Proposing {len(keys)} image(s)",
            len(keys),
            lambda: ProposalWorker(self.predictor, keys, load, with_uncertainty=with_unc),
        )

    def _on_proposed(self, key: str, prediction: Any) -> None:
        project = self.studio.project
        if project is None:
            return
        try:
            proposal = Proposal(
                np.asarray(prediction.probability, dtype=np.float32),
                getattr(prediction, "uncertainty", None),
                model_id=self.model_name,
                threshold=self.threshold,
            )
            project.save_proposal(key, proposal)
        except Exception as exc:
            report(self, exc, f"save the proposal for {key}")
            return
        self.studio.entryChanged.emit(key)
        if key == self.studio.key:
            self.studio.show_image(key)  # reload: the mask and status come from the proposal

    def _on_failed(self, key: str, text: str) -> None:
        self.studio.message.emit(f"{key}: {text}")

    # -- export -------------------------------------------------------------------
    @guarded("export")
    def export(self, formats: Sequence[str], destination: Path | None = None) -> None:
        project = self.studio.project
        if project is None:
            raise MedDisSegError("open a folder before exporting")
        if destination is None:
            destination = self.dialogs.choose_folder("Export to")
            if destination is None:
                return
        self.studio.flush()
        for name in formats:
            label = EXPORT_LABELS[name]
            target = free_target(Path(destination), EXPORT_TARGETS[name])
            fn = exporter(name)
            self._start(
                f"Exporting {label}",
                len(project.entries),
                lambda fn=fn, target=target, label=label: ExportWorker(fn, project, target, label),
            )

    def _on_export_failed(self, text: str) -> None:
        self.on_error("Export failed", text)

    # -- job plumbing -------------------------------------------------------------
    def _start(self, title: str, total: int, make: Callable[[], Worker]) -> None:
        self._queue.append((f"{title}|{total}", make))
        if self.job is None:
            self._next_job()

    def _next_job(self) -> None:
        if not self._queue:
            return
        head, make = self._queue.pop(0)
        title, total = head.rsplit("|", 1)
        worker = make()
        if isinstance(worker, ProposalWorker):
            worker.proposed.connect(self._on_proposed)
            worker.failed.connect(self._on_failed)
        if isinstance(worker, ExportWorker):
            worker.failed.connect(self._on_export_failed)
        worker.progress.connect(self.jobProgress)
        worker.message.connect(self.studio.message)
        self.job = Job(worker, title, self)
        self.job.done.connect(self._on_job_done)
        self.jobStarted.emit(title, int(total))
        self.job.start()

    def _on_job_done(self, cancelled: bool, summary: str) -> None:
        job, self.job = self.job, None
        if job is not None:
            job.deleteLater()  # its thread has ended; free the QObjects
        if cancelled:
            self._queue.clear()
        self.studio.message.emit(summary)
        self._show_device()
        self.jobFinished.emit(summary)
        self._next_job()

    @property
    def busy(self) -> bool:
        return self.job is not None

    def cancel(self) -> None:
        self._queue.clear()
        if self.job is not None:
            self.job.cancel()
            self.studio.message.emit("Cancelling after the current item…")

    def shutdown(self, msecs: int = 30_000) -> None:
        """Cancel and wait for the running job (window close)."""
        self.cancel()
        if self.job is not None:
            self.job.wait(msecs)
