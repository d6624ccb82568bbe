"""Fine-tuning on the approved images, in the background: the Qt glue around a job's life.

dialog -> job folder (meddisseg_core.models.prepare) -> ``meddisseg train`` in its own process
group (meddisseg_core.models.jobrun over meddisseg_core.train.client), polled by a timer ->
jobs panel -> ``meddisseg models finish-job`` in a child process (before/after on the held-out
images, registry record with the right parent) -> the before/after dialog -> the new model
becomes current only if the user accepts. One job at a time; annotation goes on meanwhile.
Cancel, a crash, a kill or bad data leave the current model and the registry untouched.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QDockWidget

from meddisseg_core.errors import MedDisSegError

from ..controller_guard import guarded
from ..widgets.compare_dialog import CompareDialog
from ..widgets.finetune_dialog import SCRATCH, FineTuneDialog, FineTuneSettings
from ..widgets.jobs_panel import JobsPanel
from .child import ChildCommand
from .finetune_speed import SpeedProbe, estimate_args
from .models import ModelsControl, add_action, approved_keys, model_menu

log = logging.getLogger(__name__)
POLL_MS = 300
STOP_GRACE_MS = 10_000  # after a cancel, the job gets this long to stop by itself


def job_environment(device: str) -> dict[str, str]:
    """The child's environment. On the CPU it leaves one core to the app (annotation goes on
    during the job, and an oversubscribed OpenMP pool can run many times slower)."""
    env = dict(os.environ)
    if device == "cpu" and "OMP_NUM_THREADS" not in env:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        env["OMP_NUM_THREADS"] = str(max(1, cores - 1))
    return env


class FineTuneControl(QObject):
    def __init__(self, window: Any, models: ModelsControl) -> None:
        super().__init__(window)
        self.window, self.models = window, models
        self.studio, self.dialogs = window.studio, window.dialogs
        self.run: Any | None = None
        self.finisher: ChildCommand | None = None
        self.speed: SpeedProbe | None = None
        self.dialog: FineTuneDialog | None = None
        self.compare_dialog: CompareDialog | None = None
        self.last_result: dict[str, Any] | None = None
        self.panel = JobsPanel()
        self.dock = QDockWidget("Jobs", window)
        self.dock.setObjectName("dock_Jobs")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.panel.cancelRequested.connect(self.cancel)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._tick)
        self.action = add_action(
            model_menu(window), "&Fine-tune on approved images…", self.open_dialog, "Train in the background"
        )
        models.trainRequested.connect(self.open_dialog)

    def on_error(self, title: str, text: str) -> None:
        self.studio.on_error(title, text)

    def on_save_error(self, exc: Exception) -> None:
        self.studio.on_save_error(exc)

    def on_corrupt_state(self, exc: Exception) -> None:
        self.studio.on_corrupt_state(exc)

    @property
    def busy(self) -> bool:
        training = self.run is not None and self.run.outcome is None
        return training or (self.finisher is not None and self.finisher.running())

    def _folder(self) -> Path:
        project = self.studio.project
        if project is None:
            raise MedDisSegError("open an image folder and approve some images first")
        if project.read_only:
            raise MedDisSegError(f"{project.state_dir} is read-only: a job needs to write its files there")
        return Path(project.state_dir) / "finetune"

    # -- the dialog -------------------------------------------------------------------
    @Slot()
    @guarded("open the fine-tuning dialog")
    def open_dialog(self) -> FineTuneDialog | None:
        from meddisseg_core.models.devices import training_devices
        from meddisseg_core.models.heldout import FILE_NAME, MIN_APPROVED, read_held_out
        from meddisseg_core.models.jobspec import network_kind

        folder = self._folder()
        if self.busy:
            raise MedDisSegError("a fine-tuning job is already running (one at a time): see the Jobs panel")
        approved = approved_keys(self.studio.project)
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
        dialog = FineTuneDialog(
            bases, current, len(approved), MIN_APPROVED, note, training_devices(), self.window
        )
        dialog.measureRequested.connect(self.measure)
        dialog.accepted.connect(lambda: self.start(dialog.settings()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _base(self, settings: FineTuneSettings) -> tuple[Any | None, Path | None, int, str]:
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
        if self.dialog is None:
            return
        _record, base, size, network = self._base(settings)
        project = self.studio.project
        approved = approved_keys(project)
        images = [str(project.entry(k).path) for k in approved[: settings.batch_size]]
        if self.speed is None or self.speed.dialog is not self.dialog:
            self.speed = SpeedProbe(self.dialog, len(approved), self)
        self.speed.start(estimate_args(settings, base, size, network, images))

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
        project = self.studio.project
        self.studio.flush()
        approved = approved_keys(project)
        held = choose_held_out(folder / FILE_NAME, approved, settings.held_out_fraction)
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
        )
        images = {k: ApprovedImage(project.entry(k).path, project.load_mask(k)) for k in (*train, *held_out)}
        spec, job_dir = create_job(folder / "jobs", spec, base_file, images)
        self.run = FineTuneRun(spec, job_dir, env=job_environment(settings.device))
        self.run.start()
        self.last_result = None
        base = record.name if record is not None else "a new network"
        self.panel.begin(
            f"Fine-tuning {base} on {len(train)} image(s), {len(held_out)} held out — job {spec.job_id}"
        )
        self.dock.show()
        self.studio.message.emit(f"Fine-tuning started in the background (job folder {job_dir})")
        self.timer.start()

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
        self.panel.show_points(run.points)
        if run.points:
            last = run.points[-1]
            self.panel.show_progress(last.epoch, run.spec.epochs, last.images_per_s, run.eta_s())
            self.panel.show_status(f"Training: epoch {last.epoch} of {run.spec.epochs} done")
        self.panel.show_log(run.log_tail())
        if run.outcome is not None:
            self.timer.stop()
            self._ended(run.outcome)

    def _ended(self, outcome: Any) -> None:
        run = self.run
        if outcome.state == "finished":
            count = len(run.spec.held_out_images)
            self.panel.show_status(
                f"Training finished. Comparing before and after on {count} held-out image(s)…"
            )
            self.finisher = ChildCommand(
                ["models", "finish-job", str(run.job_dir), "--device", run.spec.device], self
            )
            self.finisher.done.connect(self._finished)
            self.finisher.start()
            return
        self.run = None
        self.panel.end(f"Job {outcome.state}: {outcome.message.splitlines()[0] if outcome.message else ''}")
        if outcome.state == "cancelled":
            self.studio.message.emit("Fine-tuning cancelled; the current model is unchanged")
            return
        self.on_error(
            "Fine-tuning failed",
            f"{outcome.message}\n\nThe current model is unchanged.\n\n"
            f"End of the job's log:\n{outcome.log_tail}",
        )

    @Slot(int, str)
    def _finished(self, code: int, output: str) -> None:
        from meddisseg_core.models.finish import read_result

        run, self.run = self.run, None
        if code != 0 or run is None:
            tail = "\n".join(output.strip().splitlines()[-12:])
            self.panel.end("Comparing before and after failed")
            self.on_error(
                "Fine-tuning failed",
                f"The comparison did not finish:\n{tail}\n\nThe current model is unchanged.",
            )
            return
        self.models.registry.reload()  # the child registered the new model
        result = read_result(run.job_dir)
        self.last_result = result
        new = self.models.registry.get(str(result["new_id"]))
        current = self.models.current.name if self.models.current is not None else "no model"
        self.panel.end(
            f"Done: held-out Dice {result['before']['dice']:.3f} → {result['after']['dice']:.3f} "
            f"({result['difference']['dice']:+.3f}); the new model is saved as {new.id}"
        )
        dialog = CompareDialog(result, current, new.name, self.window)
        dialog.finished.connect(lambda _code: self._decided(dialog, new))
        self.compare_dialog = dialog
        dialog.open()

    def _decided(self, dialog: CompareDialog, new: Any) -> None:
        if dialog.choice() == "new":
            self.models.use(new.id)
        else:
            self.studio.message.emit(f"Kept the current model; {new.id} stays in the registry")

    # -- stopping ---------------------------------------------------------------------
    @Slot()
    def cancel(self) -> None:
        if self.run is not None and self.run.outcome is None:
            self.run.request_stop()
            self.panel.show_status("Stopping after the current batch…")
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
        if self.finisher is not None:
            self.finisher.kill()
        if self.speed is not None:
            self.speed.kill()
