"""The model, the threshold and proposals.

This controller is the ONLY owner of the threshold. The slider shows :attr:`threshold` and asks
:meth:`set_threshold` to change it; a new proposal is made at it; showing an image whose stored
proposal was thresholded differently adopts that value, so what the slider says is always what
the next proposal uses. The stored ``Proposal.threshold`` only records what its mask was made at.

Models load in the background (:class:`~meddisseg_studio.workers.model_loader.ModelLoadWorker`):
the window is up before torch is imported. Proposals asked for while a model loads start when
it is ready.
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal

from meddisseg_core.errors import CheckpointError
from meddisseg_studio.settings import Preferences
from meddisseg_studio.state.model import Proposal, ReviewStatus
from meddisseg_studio.workers.job import Job
from meddisseg_studio.workers.model_loader import ModelLoadWorker
from meddisseg_studio.workers.proposal_worker import ProposalModel, ProposalWorker
from meddisseg_studio.workers.threads import BUDGET, ThreadBudget

from .errors import guarded
from .jobs import JobOutcome, JobQueue, JobSpec
from .workspace import Workspace

if TYPE_CHECKING:  # meddisseg_core.inference imports torch, which loads in the background
    from meddisseg_core.inference import Prediction

log = logging.getLogger(__name__)

NO_MODEL = "no model loaded — use Model > Use default model or Load checkpoint (Ctrl+L)"
LOADING = "loading model…"


@dataclass(frozen=True)
class LoadRequest:
    """One model to load: ``path`` (None: the shipped default), how to name it, and whether a
    failure is only a status message (``quiet``, at start-up) rather than an error dialog.

    ``resolve``, if given, runs on the loader's thread first and returns the ``(path, name)``
    to load instead (the start-up choice reads the model registry, which imports torch).
    """

    path: Path | None
    quiet: bool = False
    name: str | None = None
    resolve: Callable[[], tuple[Path | None, str | None]] | None = None


class _Batch(QObject):
    """One proposal job: receives its worker's results in the GUI thread and counts them.

    A QObject living in the GUI thread, so the worker's queued signals run its slots there (a
    lambda would run in the worker's thread).
    """

    def __init__(
        self, controller: ProposalController, total: int, model: tuple[str, str | None, str | None]
    ) -> None:
        super().__init__(controller)
        self.controller = controller
        self.total = total
        # The model that makes this batch's proposals (name shown, registry id, file sha256),
        # taken when it starts: a model switched meanwhile must not be named for them.
        self.model = model
        self.proposed = 0
        self.failures: list[tuple[str, str]] = []

    def on_proposed(self, key: str, prediction: Prediction) -> None:
        self.controller._save_proposal(self, key, prediction)

    def on_failed(self, key: str, text: str) -> None:
        self.failures.append((key, text))
        self.controller.message.emit(f"{key}: {text}")

    def on_done(self, outcome: JobOutcome) -> None:
        self.controller._on_batch_done(self, outcome)
        self.deleteLater()

    def announcement(self, outcome: JobOutcome) -> str:
        if not outcome.started:
            return f"Proposals not started: {outcome.summary}"
        verb = "cancelled" if outcome.cancelled else "finished"
        text = f"Proposals {verb}: {self.proposed} of {self.total} image(s) proposed"
        if self.failures:
            names = ", ".join(f"{key} ({why})" for key, why in self.failures[:3])
            more = f" and {len(self.failures) - 3} more" if len(self.failures) > 3 else ""
            text += f", {len(self.failures)} failed: {names}{more}"
        return text


class ProposalController(QObject):
    modelChanged = Signal(str)
    deviceChanged = Signal(str)
    thresholdChanged = Signal(float)
    loadingChanged = Signal(bool)
    predictorChanged = Signal()  # a new predictor is in use (after modelChanged)
    loadFailed = Signal(str, bool)  # why, quiet
    batchFinished = Signal(str)  # the end of a proposal job, with counts and failures
    message = Signal(str)

    def __init__(self, workspace: Workspace, jobs: JobQueue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.jobs = jobs
        self.errors = workspace.errors
        self.predictor: ProposalModel | None = None
        self.budget: ThreadBudget = BUDGET  # one core stays with the GUI (workers/threads.py)
        self.model_name = ""
        self._threshold = Preferences().threshold  # the window applies the saved one
        self._requested_device: str | None = None
        self._loader: tuple[Job, LoadRequest] | None = None  # the running load
        self._next_load: LoadRequest | None = None
        self._waiting: list[str] = []  # keys asked for while the model loads
        self._closed = False  # after shutdown nothing new starts (a thread must not outlive the window)
        # (registry id, file sha256) of the predictor in use, for the audit log; the models
        # control installs the real one (it knows the registry), None when not known.
        self.model_identity: Callable[[], tuple[str, str] | None] = lambda: None
        workspace.imageShown.connect(self._on_image_shown)

    # -- threshold ----------------------------------------------------------------
    @property
    def threshold(self) -> float:
        return self._threshold

    def set_threshold(self, value: float) -> None:
        """The threshold of new proposals, and of the current one unless it was edited by hand."""
        value = round(min(max(float(value), 0.01), 0.99), 2)
        if value != self._threshold:
            self._threshold = value
            self.thresholdChanged.emit(value)
        self.workspace.rethreshold(value)

    def step_threshold(self, delta: float) -> None:
        self.set_threshold(self._threshold + delta)

    def _on_image_shown(self, _key: str, _image: object, _mask: object, proposal: Proposal | None) -> None:
        if proposal is not None and proposal.threshold != self._threshold:
            self._threshold = proposal.threshold
            self.thresholdChanged.emit(proposal.threshold)

    # -- model --------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._loader is not None

    def model_caption(self) -> str:
        """The model's name for the model panel, with the validation Dice its file records
        (" · val mDSC 75.7"), so a reviewer sees how far to trust its proposals."""
        # A Predictor carries its file's metadata; test doubles of ProposalModel need not.
        metrics = getattr(getattr(self.predictor, "metadata", None), "metrics", None) or {}
        mdsc = metrics.get("mdsc")
        if mdsc is None:  # e.g. the authors' checkpoints record none
            return self.model_name
        percent = mdsc * 100 if mdsc <= 1 else mdsc  # stored as a fraction
        return f"{self.model_name} · val mDSC {percent:.1f}"

    def set_predictor(self, predictor: ProposalModel, name: str) -> None:
        self.predictor = predictor
        self.model_name = name
        self._requested_device = str(predictor.device_report.device)
        self.modelChanged.emit(self.model_caption())
        self._show_device()
        self.predictorChanged.emit()
        if self._waiting:
            keys, self._waiting = self._waiting, []
            self.propose(keys)

    def _show_device(self) -> None:
        if self.predictor is None:
            return
        report = self.predictor.device_report
        text = f"{report.name} ({report.device})"
        if (
            self._requested_device
            and self._requested_device.startswith("cuda")
            and report.device.type == "cpu"
        ):
            text = f"CPU fallback — CUDA failed: {report.reason}"
            self.message.emit(text)
        self.deviceChanged.emit(text)

    def start_default_model(self) -> None:
        """At start-up: load the default model in the background; no dialog if there is none."""
        self.load_model(LoadRequest(None, quiet=True))

    def load_default_model(self) -> None:
        self.load_model(LoadRequest(None))

    @guarded("load the checkpoint")
    def load_checkpoint(self, path: Path | None = None) -> None:
        path = path or self.workspace.dialogs.choose_file("Load checkpoint")
        if path is not None:
            self.load_model(LoadRequest(Path(path)))

    def load_model(self, request: LoadRequest) -> None:
        """Load ``request`` in the background; the predictor changes when it is ready.

        Every model reaches the app this way (the model registry's choices too), so the
        threshold and the predictor keep one owner.
        """
        if self._closed:
            return
        if self._loader is not None:
            self._next_load = request  # the latest request wins; it starts after this one
            return
        worker = ModelLoadWorker(request.path, request.name, request.resolve)
        # Bound methods of this (GUI-thread) object: the worker's signals are queued to it.
        worker.loaded.connect(self.set_predictor)
        worker.failed.connect(self._on_load_failed)
        job = Job(worker, "model-load", self)
        job.done.connect(self._on_load_done)
        self._loader = (job, request)
        self.loadingChanged.emit(True)
        self.modelChanged.emit(LOADING.capitalize())
        self.deviceChanged.emit(LOADING)
        self.message.emit(LOADING.capitalize())
        job.start()

    def _on_load_failed(self, why: str, device: str) -> None:
        quiet = self._loader is not None and self._loader[1].quiet
        if self.predictor is not None:
            self.modelChanged.emit(self.model_caption())
            self._show_device()
        else:
            self.modelChanged.emit("No default model — load one (Ctrl+L)" if quiet else "No model loaded")
            self.deviceChanged.emit(device)
        if self._waiting:
            self.message.emit(f"{len(self._waiting)} proposal(s) not made: {why}")
            self._waiting = []
        if quiet:
            self.message.emit(f"No model: {why}")
        else:
            self.errors.report(CheckpointError(why), "load the model")
        self.loadFailed.emit(why, quiet)

    def _on_load_done(self, _cancelled: bool, _summary: str) -> None:
        assert self._loader is not None
        job, _request = self._loader
        self._loader = None
        job.deleteLater()
        if self._next_load is not None:
            request, self._next_load = self._next_load, None
            self.load_model(request)
        else:
            self.loadingChanged.emit(False)

    def shutdown(self, msecs: int | None = None) -> None:
        """Wait for a model that is still loading (window close): no thread outlives the window."""
        self._closed = True
        self._next_load = None
        if self._loader is not None:
            self._loader[0].wait(msecs)

    # -- proposals ----------------------------------------------------------------
    @guarded("propose")
    def propose_current(self) -> None:
        if self.workspace.key is not None:
            self.propose([self.workspace.key])

    @guarded("propose")
    def propose_selection(self, keys: Sequence[str]) -> None:
        self.propose(keys)

    @guarded("propose")
    def propose_unreviewed(self) -> None:
        project = self.workspace.project
        if project is None:
            return
        todo = (ReviewStatus.NEW, ReviewStatus.PROPOSED)
        self.propose([e.key for e in project.entries if not e.error and e.status in todo])

    def propose(self, keys: Sequence[str]) -> None:
        project = self.workspace.project
        if project is None or not keys:
            return
        if self.predictor is None:
            if self.loading:
                self._waiting = list(keys)
                self.message.emit(f"The model is still loading: {len(keys)} image(s) will be proposed then")
                return
            raise CheckpointError(NO_MODEL)
        predictor = self.predictor
        keys = list(keys)
        identity = self.model_identity()
        model_id, model_sha256 = identity if identity is not None else (None, None)
        batch = _Batch(self, len(keys), (self.model_name, model_id, model_sha256))

        def wire(worker: ProposalWorker) -> None:
            worker.proposed.connect(batch.on_proposed)
            worker.failed.connect(batch.on_failed)

        self.jobs.submit(
            JobSpec(
                kind="proposals",
                title=f"Proposing {len(keys)} image(s)",
                total=len(keys),
                create=lambda: ProposalWorker(
                    predictor,
                    keys,
                    project.load_model_input,  # the model's pixel rule; thread-safe, records nothing
                    with_uncertainty=predictor.has_uncertainty,
                    threads=self.budget.inference_threads(),
                ),
                wire=wire,
                on_done=batch.on_done,
            )
        )

    def _save_proposal(self, batch: _Batch, key: str, prediction: Prediction) -> None:
        project = self.workspace.project
        if project is None:
            return
        try:
            name, model_id, model_sha256 = batch.model
            proposal = Proposal(
                np.asarray(prediction.probability, dtype=np.float32),
                prediction.uncertainty,
                model_id=name,
                threshold=self._threshold,
            )
            project.save_proposal(key, proposal, model_id=model_id, model_sha256=model_sha256)
        except Exception as exc:
            batch.failures.append((key, f"not saved: {exc}"))
            self.errors.report(exc, f"save the proposal for {key}")
            return
        batch.proposed += 1
        self.workspace.proposal_saved(key)

    def _on_batch_done(self, batch: _Batch, outcome: JobOutcome) -> None:
        self._show_device()
        self.batchFinished.emit(batch.announcement(outcome))
