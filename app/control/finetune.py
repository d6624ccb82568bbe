"""Fine-tuning on the approved images, in the background: the control around a job's life.

dialog -> job folder (meddisseg_core.models.prepare) -> ``meddisseg train`` in its own process
group (meddisseg_core.models.jobrun over meddisseg_core.train.client), polled by a timer ->
Jobs panel -> ``meddisseg models finish-job`` in a child process (before/after on the held-out
images, registry record with the right parent) -> the before/after dialog -> the new model
becomes current only if the user accepts. One job at a time; annotation goes on meanwhile.
Cancel, a crash, a kill or bad data leave the current model and the registry untouched.

Why not a :class:`~.jobs.JobSpec` on the :class:`~.jobs.JobQueue`: that queue runs one
in-process worker at a time on a thread, and a proposal or export waits behind the running
one. A fine-tuning run is an OS process group that lasts minutes to hours, must survive its
own crash, be killed as a tree, and leave proposals and exports free to run meanwhile. So it
has its own life here: a process polled by a timer, and a claim on the thread budget
(``workers/threads.py``) so that inference beside it gets the cores that are left.

The dialogs and the Jobs panel are the window's (``model_windows.py``): this module only says
what to show, through signals.
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from meddisseg_core.errors import MedDisSegError
from meddisseg_studio.state import audit
from meddisseg_studio.workers.threads import BUDGET, ThreadBudget

from .child import ChildCommand
from .errors import guarded
from .finetune_record import LAST_JOB, corrected_keys, job_record, trained_before
from .finetune_result import FineTuneResult, summary_text
from .finetune_settings import SCRATCH, FineTuneSettings
from .finetune_speed import SpeedProbe, estimate_args
from .models import ModelsControl, approved_keys

if TYPE_CHECKING:  # the models package imports torch: not at start-up
    from meddisseg_core.models.devices import DeviceChoice
    from meddisseg_core.models.jobrun import FineTuneRun, JobOutcome
    from meddisseg_core.models.record import ModelRecord

log = logging.getLogger(__name__)
POLL_MS = 300
DIALOG_SETTINGS = "dialog.json"  # the fine-tune dialog's last values, in <state>/finetune
STOP_GRACE_MS = 10_000  # after a cancel, the job gets this long to stop by itself


def job_environment(device: str, threads: int) -> dict[str, str]:
    """The child's environment. On the CPU it gets ``threads`` OpenMP threads (the app keeps the
    rest: annotation goes on during the job, and an oversubscribed OpenMP pool can run many
    times slower). A user's own OMP_NUM_THREADS wins."""
    env = dict(os.environ)
    if device == "cpu" and "OMP_NUM_THREADS" not in env:
        env["OMP_NUM_THREADS"] = str(threads)
    return env


class FineTuneInfo(NamedTuple):
    """What the fine-tune dialog shows."""

    bases: list[ModelRecord]  # registry records a job can start from
    current_id: str | None
    approved: int
    needed: int
    held_out_note: str | None
    devices: list[DeviceChoice]


class FineTuneControl(QObject):
    jobBegan = Signal(str)  # title
    jobPoints = Signal(object)  # the run's epoch points so far
    jobBatches = Signal(object)  # the run's batch points so far (live, between epoch ends)
    jobProgress = Signal(int, int, object, object)  # epoch, epochs, images/s, ETA seconds
    jobStatus = Signal(str)
    jobLog = Signal(str)
    jobEnded = Signal(str)
    # before/after result, current model's name, the new record: the window asks which to keep
    resultReady = Signal(object, str, object)
    resultText = Signal(str)  # the verdict, for the Jobs panel
    jobRestored = Signal(object)  # the folder's last job (a dict, see job_record), after a restart
    estimated = Signal(str, object)  # the dialog's speed estimate (text, seconds per epoch)
    measuring = Signal(str, float)  # the estimate's progress (what is timed, fraction of its time)
    message = Signal(str)

    def __init__(self, models: ModelsControl, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.models = models
        self.workspace = models.workspace
        self.errors = models.errors
        self.dialogs = models.dialogs
        self.force_fp32 = False  # Preferences > Force fp32 (the window sets it): else "auto" precision
        self.budget: ThreadBudget = BUDGET
        self.run: FineTuneRun | None = None
        self.finisher: ChildCommand | None = None
        self.speed: SpeedProbe | None = None
        self.last_result: FineTuneResult | None = None
        self._release: Callable[[], None] | None = None  # gives the run's cores back
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._tick)
        self._title = ""
        self.workspace.projectOpened.connect(self._restore_last_job)

    @property
    def busy(self) -> bool:
        training = self.run is not None and self.run.outcome is None
        return training or (self.finisher is not None and self.finisher.running())

    def _folder(self) -> Path:
        project = self.workspace.project
        if project is None:
            raise MedDisSegError("open an image folder and approve some images first")
        if project.read_only:
            raise MedDisSegError(f"{project.state_dir} is read-only: a job needs to write its files there")
        return Path(project.state_dir) / "finetune"

    # -- the dialog -------------------------------------------------------------------
    def dialog_info(self) -> FineTuneInfo:
        """What the fine-tune dialog offers; MedDisSegError when no job can start now."""
        from meddisseg_core.models.devices import training_devices
        from meddisseg_core.models.heldout import FILE_NAME, MIN_APPROVED, read_held_out
        from meddisseg_core.models.jobspec import network_kind

        folder = self._folder()
        if self.busy:
            raise MedDisSegError("a fine-tuning job is already running (one at a time): see the Jobs panel")
        approved = approved_keys(self.workspace.project)
        held = read_held_out(folder / FILE_NAME)
        note = None
        if held is not None:
            note = f"{len(held.keys)} image(s), held out since {held.created} (kept, so before/after compare)"
        bases = []
        for record in self.models.registry.records():
            try:
                network_kind(record.network)
            except MedDisSegError:
                continue
            bases.append(record)
        current = self.models.current.id if self.models.current is not None else None
        return FineTuneInfo(bases, current, len(approved), MIN_APPROVED, note, list(training_devices()))

    def _base(self, settings: FineTuneSettings) -> tuple[ModelRecord | None, Path | None, int, str]:
        """(record, file, image size, network kind) of the chosen base model."""
        from meddisseg_core.models.jobspec import network_kind

        if settings.base_id == SCRATCH:
            return None, None, 256, "paper"
        record = self.models.registry.get(settings.base_id)
        size = max(record.input.size)
        return record, self.models.registry.path_of(record), size, network_kind(record.network)

    @Slot(object)
    @guarded("measure the training speed")
    def measure(self, settings: FineTuneSettings) -> None:
        _record, base, size, network = self._base(settings)
        project = self.workspace.project
        if project is None:
            return
        approved = approved_keys(project)
        images = [str(project.entry(k).path) for k in approved[: settings.batch_size]]
        if self.speed is not None:
            if self.speed.running():
                return
            self.speed.deleteLater()
        self.speed = SpeedProbe(len(approved), self)
        self.speed.estimated.connect(self.estimated)
        self.speed.progress.connect(self.measuring)
        self.speed.start(estimate_args(settings, base, size, network, images))

    @Slot()
    def stop_measuring(self) -> None:
        """The dialog closed (Start or Cancel): the estimate's child process (group) ends now."""
        if self.speed is not None:
            self.speed.kill()

    # -- the dialog's settings, kept per folder ---------------------------------------------
    def remember_dialog(self, values: dict) -> None:
        from meddisseg_core.atomic import atomic_write_text

        try:
            atomic_write_text(self._folder() / DIALOG_SETTINGS, json.dumps(values) + "\n")
        except (OSError, MedDisSegError) as exc:
            log.warning("the fine-tune dialog's settings were not kept: %s", exc)

    def remembered_dialog(self) -> dict | None:
        project = self.workspace.project
        if project is None:
            return None
        path = Path(project.state_dir) / "finetune" / DIALOG_SETTINGS
        try:
            values = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return values if isinstance(values, dict) else None

    # -- starting and following a job ---------------------------------------------------
    @guarded("start the fine-tuning job")
    def start(self, settings: FineTuneSettings) -> None:
        from meddisseg_core.models.heldout import FILE_NAME, choose_held_out, partition
        from meddisseg_core.models.jobrun import FineTuneRun
        from meddisseg_core.models.jobspec import FineTuneSpec
        from meddisseg_core.models.prepare import ApprovedImage, create_job, new_job_id

        folder = self._folder()
        if self.busy:
            raise MedDisSegError("a fine-tuning job is already running (one at a time)")
        project = self.workspace.project
        self.workspace.flush()
        approved = approved_keys(project)
        corrected = corrected_keys(project, approved)
        held = choose_held_out(
            folder / FILE_NAME,
            approved,
            settings.held_out_fraction,
            corrected=corrected,
            trained=trained_before(folder / "jobs"),
        )
        train, held_out = partition(held, approved)
        if len(train) < 2 or not held_out:
            raise MedDisSegError(
                f"{len(train)} image(s) to train on and {len(held_out)} held out: approve more images"
            )
        record, base_file, size, network = self._base(settings)
        spec = FineTuneSpec(
            job_id=new_job_id(),
            base_model="",
            base_id=record.id if record is not None else "",
            base_sha256=record.sha256 if record is not None else "",
            source_folder=str(project.folder),
            train_images=train,
            held_out_images=held_out,
            stage=settings.stage,
            network=network,  # type: ignore[arg-type]
            image_size=size,
            batch_size=settings.batch_size,
            epochs=settings.epochs,
            time_budget_s=settings.time_budget_s,
            train_scope=settings.train_scope,  # type: ignore[arg-type]
            # With several GPUs each rank picks its own (LOCAL_RANK), so no index is given.
            device="cuda" if settings.nproc_per_node > 1 else settings.device,
            nproc_per_node=settings.nproc_per_node,
            corrected_images=tuple(k for k in (*train, *held_out) if k in corrected),
            precision="fp32" if self.force_fp32 else "auto",
        )
        images = {k: ApprovedImage(project.entry(k).path, project.load_mask(k)) for k in (*train, *held_out)}
        spec, job_dir = create_job(folder / "jobs", spec, base_file, images)
        threads = self._training_threads(settings.device)
        self.run = FineTuneRun(spec, job_dir, env=job_environment(settings.device, threads))
        self.run.start()
        if settings.device == "cpu":
            self._release = self.budget.claim(threads * settings.nproc_per_node)
        self.last_result = None
        base = record.name if record is not None else "a new network"
        self._title = (
            f"Fine-tuning {base} on {len(train)} image(s), {len(held_out)} held out "
            f"({len(set(held_out) & set(corrected))} corrected) — job {spec.job_id}"
        )
        self.jobBegan.emit(self._title)
        self.message.emit(f"Fine-tuning started in the background (job folder {job_dir})")
        self.timer.start()

    def _training_threads(self, device: str) -> int:
        """The OpenMP threads of a CPU run: the user's OMP_NUM_THREADS, else the budget's share."""
        if device == "cpu" and os.environ.get("OMP_NUM_THREADS", "").isdigit():
            return max(1, int(os.environ["OMP_NUM_THREADS"]))
        return self.budget.training_threads()

    def _release_cores(self) -> None:
        release, self._release = self._release, None
        if release is not None:
            release()

    @Slot()
    def _tick(self) -> None:
        run = self.run
        if run is None:
            self.timer.stop()
            return
        try:
            run.poll()
        except MedDisSegError as exc:  # unreadable events: stop the job rather than guess
            log.error("job events unreadable: %s", exc)
            run.force_stop()
        self.jobPoints.emit(list(run.points))
        self.jobBatches.emit(list(run.batches))
        batch = run.batches[-1] if run.batches else None
        # A budget run's epochs are only a bound (it stops on time): 0 says "no known count".
        epochs = 0 if run.spec.time_budget_s else run.spec.epochs
        of = f" of {epochs}" if epochs else ""
        if batch is not None:
            self.jobProgress.emit(batch.epoch, epochs, run.images_per_s(), run.eta_s())
            self.jobStatus.emit(f"Training: epoch {batch.epoch}{of}, batch {batch.batch} of {batch.batches}")
        elif run.points:
            last = run.points[-1]
            self.jobProgress.emit(last.epoch, epochs, run.images_per_s(), run.eta_s())
            self.jobStatus.emit(f"Training: epoch {last.epoch}{of} done")
        elif run.started_event is not None:
            device = run.started_event.get("device", "")
            self.jobStatus.emit(f"Training started on {device}: the first batch is running…")
        self.jobLog.emit(run.log_tail())
        if run.outcome is not None:
            self.timer.stop()
            self._release_cores()
            self._ended(run, run.outcome)

    def _ended(self, run: FineTuneRun, outcome: JobOutcome) -> None:
        if outcome.state == "finished":
            count = len(run.spec.held_out_images)
            self.jobStatus.emit(
                f"Training finished. Comparing before and after on {count} held-out image(s)…"
            )
            self.finisher = ChildCommand(
                ["models", "finish-job", str(run.job_dir), "--device", run.spec.device], self
            )
            self.finisher.done.connect(self._finished)
            self.finisher.start()
            return
        self.run = None
        ended = f"Job {outcome.state}: {outcome.message.splitlines()[0] if outcome.message else ''}"
        self.jobEnded.emit(ended)
        self._keep_record(run, ended, None)
        if outcome.state == "cancelled":
            self.message.emit("Fine-tuning cancelled; the current model is unchanged")
            return
        self.errors.error(
            "Fine-tuning failed",
            f"{outcome.message}\n\nThe current model is unchanged.\n\n"
            f"End of the job's log:\n{outcome.log_tail}",
        )

    @Slot(int, str)
    def _finished(self, code: int, output: str) -> None:
        from .finetune_result import load_result

        run, self.run = self.run, None
        if code != 0 or run is None:
            tail = "\n".join(output.strip().splitlines()[-12:])
            self.jobEnded.emit("Comparing before and after failed")
            if run is not None:
                self._keep_record(run, "Comparing before and after failed", None)
            self.errors.error(
                "Fine-tuning failed",
                f"The comparison did not finish:\n{tail}\n\nThe current model is unchanged.",
            )
            return
        self.models.registry.reload()  # the child registered the new model
        result = load_result(run.job_dir)
        self.last_result = result
        new = self.models.registry.get(result["new_id"])
        current = self.models.current.name if self.models.current is not None else "no model"
        ended = f"Done; the new model is saved as {new.id}"
        self.jobEnded.emit(ended)
        self.resultText.emit(summary_text(result))
        self._keep_record(run, ended, result)
        self.resultReady.emit(result, current, new)

    # -- the folder's last job, kept across restarts -------------------------------------
    def _keep_record(self, run: FineTuneRun, status: str, result: FineTuneResult | None) -> None:
        """Write the job's curves, status and result to the folder's state (never fatal)."""
        from meddisseg_core.atomic import atomic_write_text

        record = job_record(run, self._title, status, result)
        try:
            atomic_write_text(self._folder() / LAST_JOB, json.dumps(record) + "\n")
        except (OSError, MedDisSegError) as exc:
            log.warning("the last job's record was not kept: %s", exc)

    @Slot()
    def _restore_last_job(self) -> None:
        project = self.workspace.project
        if project is None or self.busy:
            return
        path = Path(project.state_dir) / "finetune" / LAST_JOB
        record: object = {}  # none: the panel shows that no job has run (for this folder)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as exc:
            log.warning("%s: the last job's record is unreadable: %s", path, exc)
        self.jobRestored.emit(record if isinstance(record, dict) else {})

    def decide(self, choice: str, new: ModelRecord) -> None:
        """The user's answer to the before/after comparison: "new" makes the new model current."""
        if choice == "new":
            self.models.use(new.id)
            self._record_accepted(new)
        else:
            self.message.emit(f"Kept the current model; {new.id} stays in the registry")

    def _record_accepted(self, new: ModelRecord) -> None:
        """The audit log of the folder notes who accepted the fine-tuned model, with its scores."""
        project = self.models.workspace.project
        if project is None:
            return
        result = self.last_result
        scores: dict[str, object] = {}
        if result is not None and result.get("new_id") == new.id:  # the held-out Dice, when recorded
            before, after = result.get("before") or {}, result.get("after") or {}
            scores = {"dice_before": before.get("dice"), "dice_after": after.get("dice")}
        project.record_quietly(
            project.event(
                audit.MODEL,
                None,
                event="accepted",
                model_id=new.id,
                model_sha256=new.sha256,
                base_id=new.parent or None,
                **scores,
            )
        )

    # -- stopping ---------------------------------------------------------------------
    @Slot()
    def cancel(self) -> None:
        if self.run is not None and self.run.outcome is None:
            self.run.request_stop()
            self.jobStatus.emit("Stopping after the current batch…")
            QTimer.singleShot(STOP_GRACE_MS, self._force_if_running)
        elif self.finisher is not None and self.finisher.running():
            self.finisher.kill()

    def _force_if_running(self) -> None:
        if self.run is not None and self.run.outcome is None:
            self.run.force_stop()

    def confirm_close(self) -> bool:
        """Closing the app during a job asks whether to stop it; True when the app may close."""
        if not self.busy:
            return True
        if not self.dialogs.confirm(
            "A fine-tuning job is running",
            "Stop the fine-tuning job and quit? The current model stays as it is.",
            "Stop the job and quit",
            "Keep working",
        ):
            return False
        self.shutdown()
        return True

    def shutdown(self) -> None:
        self.timer.stop()
        if self.run is not None and self.run.outcome is None:
            self.run.force_stop()
            self.run.process.wait(10)
        self._release_cores()
        if self.finisher is not None:
            self.finisher.kill()
        if self.speed is not None:
            self.speed.kill()
