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
from meddisseg_studio.state.project import PreparedProposal, Project
from meddisseg_studio.state.score_text import score_text
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
        self,
        controller: ProposalController,
        project: Project,
        total: int,
        model: tuple[str | None, str | None] = (None, None),
    ) -> None:
        super().__init__(controller)
        self.controller = controller
        self.project = project  # results are recorded only while this project is still open
        self.total = total
        # The model that makes this batch's proposals (registry id, file sha256),
        # taken when it starts: a model switched meanwhile must not be named for them.
        self.model = model
        self.proposed = 0
        self.failures: list[tuple[str, str]] = []

    def on_proposed(self, key: str, prepared: PreparedProposal) -> None:
        self.controller._record_proposal(self, key, prepared)

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
        self.force_fp32 = False  # Preferences: fp32 whatever "auto" would choose
        self._last_request: LoadRequest | None = None  # reloaded when force_fp32 changes
        self._loader: tuple[Job, LoadRequest] | None = None  # the running load
        self._next_load: LoadRequest | None = None
        self._waiting: list[str] = []  # keys asked for while the model loads
        self._waiting_skips = False  # ... and whether those already proposed are to be skipped
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
        return f"{self.model_name} · {score_text(mdsc)}"

    def set_predictor(self, predictor: ProposalModel, name: str) -> None:
        self.predictor = predictor
        self.model_name = name
        self._requested_device = str(predictor.device_report.device)
        self.modelChanged.emit(self.model_caption())
        self._show_device()
        self.predictorChanged.emit()
        if self._waiting:
            keys, self._waiting = self._waiting, []
            self.propose(keys, skip_proposed=self._waiting_skips)

    def precision_label(self) -> str:
        """How the model runs: "bf16", "fp32", "fp32 in onnxruntime" ("" for a double without a choice)."""
        choice = getattr(self.predictor, "choice", None)
        if choice is None:
            return ""
        return choice.precision if choice.runtime == "torch" else f"{choice.precision} in {choice.runtime}"

    def precision_reason(self) -> str:
        """Why the model runs in that precision (the measurement, or that fp32 was forced)."""
        choice = getattr(self.predictor, "choice", None)
        return "" if choice is None else choice.describe()

    def set_force_fp32(self, force: bool) -> None:
        """Preferences: run models in fp32 whatever was measured; reloads the model in use."""
        if force == self.force_fp32:
            return
        self.force_fp32 = force
        if self._last_request is not None and (self.predictor is not None or self.loading):
            self.load_model(self._last_request)

    def _show_device(self) -> None:
        if self.predictor is None:
            return
        report = self.predictor.device_report
        text = f"{report.name} ({report.device})"
        if self.precision_label():  # why: precision_reason(), in the status bar's tooltip
            text += f" · {self.precision_label()}"
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
        self._last_request = request
        if self._loader is not None:
            self._next_load = request  # the latest request wins; it starts after this one
            return
        precision = "fp32" if self.force_fp32 else "auto"
        worker = ModelLoadWorker(request.path, request.name, request.resolve, precision=precision)
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
        """Propose every unreviewed image that has no proposal from the model in use yet: after a
        cancel, this goes on with the rest instead of redoing the finished ones."""
        self.propose(self.unreviewed_keys(), skip_proposed=True)

    @guarded("propose")
    def propose_unreviewed_again(self) -> None:
        """Propose every unreviewed image, replacing the proposals the model in use made already."""
        self.propose(self.unreviewed_keys())

    def unreviewed_keys(self) -> list[str]:
        project = self.workspace.project
        if project is None:
            return []
        todo = (ReviewStatus.NEW, ReviewStatus.PROPOSED)
        return [e.key for e in project.entries if not e.error and e.status in todo]

    def unproposed_keys(self) -> list[str]:
        """Unreviewed images without a proposal from the model in use (all of them while none is)."""
        keys = self.unreviewed_keys()
        project = self.workspace.project
        if project is None or self.predictor is None:
            return keys
        return [key for key in keys if project.entry(key).model_id != self.model_name]

    def propose(self, keys: Sequence[str], *, skip_proposed: bool = False) -> None:
        project = self.workspace.project
        if project is None or not keys:
            return
        if self.predictor is None:
            if self.loading:
                self._waiting = list(keys)
                self._waiting_skips = skip_proposed
                self.message.emit(f"The model is still loading: {len(keys)} image(s) will be proposed then")
                return
            raise CheckpointError(NO_MODEL)
        if skip_proposed:
            wanted = set(self.unproposed_keys())
            left = [key for key in keys if key in wanted]
            skipped = len(keys) - len(left)
            if skipped:
                again = "Model > Propose all again replaces them"
                if not left:
                    self.message.emit(
                        f"All {skipped} unreviewed image(s) already have proposals from {self.model_name} "
                        f"({again})"
                    )
                    return
                self.message.emit(
                    f"Proposing the {len(left)} image(s) left; {skipped} already have proposals from "
                    f"{self.model_name} ({again})"
                )
            keys = left
        predictor = self.predictor
        keys = list(keys)
        identity = self.model_identity()
        batch = _Batch(self, project, len(keys), identity if identity is not None else (None, None))
        model_id, threshold, precision = self.model_name, self._threshold, self.precision_label()

        def prepare(key: str, prediction: Prediction) -> PreparedProposal:
            # On the worker's thread: compress and write the file; the GUI thread only records it.
            probability = np.asarray(prediction.probability, dtype=np.float32)
            proposal = Proposal(
                probability,
                prediction.uncertainty,
                model_id=model_id,
                threshold=threshold,
                precision=precision,
            )
            return project.prepare_proposal(key, proposal)

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
                    prepare=prepare,
                ),
                wire=wire,
                on_done=batch.on_done,
            )
        )

    def _record_proposal(self, batch: _Batch, key: str, prepared: PreparedProposal) -> None:
        if self.workspace.project is not batch.project:
            return  # another folder was opened meanwhile: its entries are not these
        try:
            registry_id, model_sha256 = batch.model
            batch.project.record_proposal(prepared, model_id=registry_id, model_sha256=model_sha256)
        except Exception as exc:
            batch.failures.append((key, f"not saved: {exc}"))
            self.errors.report(exc, f"save the proposal for {key}")
            return
        batch.proposed += 1
        self.workspace.proposal_saved(key)

    def _on_batch_done(self, batch: _Batch, outcome: JobOutcome) -> None:
        self._show_device()
        self.batchFinished.emit(batch.announcement(outcome))
