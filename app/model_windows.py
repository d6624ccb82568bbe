"""The model and fine-tuning windows: "Get a model", "Switch model", "Fine-tune", the before/after
comparison, and the Jobs panel, wired to :mod:`.control.models` and :mod:`.control.finetune`.

The control layer decides and says what to show through signals; this module (window layer)
builds the dialogs, shows the signals in them and passes the user's answers back. The dialogs
are not modal: the user may go on looking at (and approving) images while one is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from .control.errors import guarded
from .control.finetune import FineTuneControl
from .control.models import ModelsControl
from .widgets.jobs_panel import JobsPanel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget, QWidget

    from meddisseg_core.models.record import ModelRecord

    from .control.finetune_result import FineTuneResult
    from .widgets.compare_dialog import CompareDialog
    from .widgets.finetune_dialog import FineTuneDialog
    from .widgets.get_model_dialog import GetModelDialog
    from .widgets.model_list_dialog import ModelListDialog


class ModelWindows(QObject):
    def __init__(
        self,
        models: ModelsControl,
        finetune: FineTuneControl,
        jobs_panel: JobsPanel,
        jobs_dock: QDockWidget,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.models = models
        self.finetune = finetune
        self.errors = models.errors  # for @guarded
        self.parent_widget = parent
        self.get_model_dialog: GetModelDialog | None = None
        self.finetune_dialog: FineTuneDialog | None = None
        self.compare_dialog: CompareDialog | None = None
        self.jobs_panel = jobs_panel
        self.jobs_dock = jobs_dock
        models.getModelRequested.connect(self.open_get_model_dialog)
        models.trainRequested.connect(self.open_finetune_dialog)
        models.currentChanged.connect(self._on_current_changed)
        models.downloads.started.connect(self._download_started)
        models.downloads.progress.connect(self._download_progress)
        models.downloads.ended.connect(self._download_ended)
        jobs_panel.cancelRequested.connect(finetune.cancel)
        finetune.jobBegan.connect(self._job_began)
        finetune.jobPoints.connect(jobs_panel.show_points)
        finetune.jobBatches.connect(jobs_panel.show_batches)
        finetune.resultText.connect(jobs_panel.show_result)
        finetune.jobRestored.connect(jobs_panel.show_record)
        finetune.jobProgress.connect(jobs_panel.show_progress)
        finetune.jobStatus.connect(jobs_panel.show_status)
        finetune.jobLog.connect(jobs_panel.show_log)
        finetune.jobEnded.connect(jobs_panel.end)
        finetune.resultReady.connect(self._compare)
        finetune.estimated.connect(self._estimated)
        finetune.measuring.connect(self._measuring)

    def close(self) -> None:
        """Close the open dialogs (window close): a top-level dialog would keep the app running."""
        for dialog in (self.get_model_dialog, self.finetune_dialog, self.compare_dialog):
            if dialog is not None:
                dialog.close()

    # -- get a model ------------------------------------------------------------------
    @Slot()
    @guarded("open the get-a-model window")
    def open_get_model_dialog(self) -> GetModelDialog:
        if self.get_model_dialog is not None and self.get_model_dialog.isVisible():
            self.get_model_dialog.raise_()
            return self.get_model_dialog
        info = self.models.get_model_info()
        from .widgets.get_model_dialog import GetModelDialog  # built when first opened

        dialog = GetModelDialog(
            info.shipped_card, info.downloads, info.approved, info.needed, self.parent_widget
        )
        dialog.set_shipped_details(info.shipped_details)
        dialog.useShippedRequested.connect(self.models.use_shipped)
        dialog.downloadRequested.connect(self.models.start_download)
        dialog.cancelDownloadRequested.connect(self.models.cancel_download)
        dialog.loadFileRequested.connect(self._load_file)
        dialog.trainRequested.connect(self.models.trainRequested)
        self.get_model_dialog = dialog
        dialog.show()
        return dialog

    @Slot()
    def _load_file(self) -> None:
        self.models.load_file()

    @Slot(str)
    def _on_current_changed(self, _model_id: str) -> None:
        record = self.models.current
        if self.get_model_dialog is not None and record is not None:
            self.get_model_dialog.show_status(f"Using {record.name}. You can close this window.")

    # Looked up on the dialog at each call (not connected to its bound methods), so the dialog
    # showing them is always the one open now.
    @Slot()
    def _download_started(self) -> None:
        if self.get_model_dialog is not None:
            self.get_model_dialog.download_started()

    @Slot(int, int, float)
    def _download_progress(self, done: int, total: int, speed: float) -> None:
        if self.get_model_dialog is not None:
            self.get_model_dialog.download_progress(done, total, speed)

    @Slot(str, bool)
    def _download_ended(self, text: str, failed: bool) -> None:
        if self.get_model_dialog is not None:
            self.get_model_dialog.download_ended(text, failed=failed)
        elif failed:
            self.errors.error("Download failed", text)

    # -- switch model -----------------------------------------------------------------
    @guarded("switch the model")
    def switch(self) -> ModelListDialog:
        current = self.models.current.id if self.models.current is not None else None
        from .widgets.model_list_dialog import ModelListDialog

        dialog = ModelListDialog(self.models.registry.records(), current, self.parent_widget)
        dialog.accepted.connect(lambda: self._switch_to(dialog.chosen_id()))
        dialog.open()
        return dialog

    def _switch_to(self, model_id: str | None) -> None:
        if model_id:
            self.models.use(model_id)

    # -- fine-tuning ------------------------------------------------------------------
    @Slot()
    @guarded("open the fine-tuning dialog")
    def open_finetune_dialog(self) -> FineTuneDialog:
        info = self.finetune.dialog_info()
        from .widgets.finetune_dialog import FineTuneDialog

        dialog = FineTuneDialog(
            info.bases,
            info.current_id,
            info.approved,
            info.needed,
            info.held_out_note,
            info.devices,
            self.parent_widget,
        )
        remembered = self.finetune.remembered_dialog()
        if remembered is not None:
            dialog.restore(remembered)
        dialog.measureRequested.connect(self.finetune.measure)
        # Closing it either way ends a running estimate and keeps the values for next time.
        dialog.finished.connect(lambda _code: self.finetune.stop_measuring())
        dialog.finished.connect(lambda _code: self.finetune.remember_dialog(dialog.values()))
        dialog.accepted.connect(lambda: self.finetune.start(dialog.settings()))
        self.finetune_dialog = dialog
        dialog.open()
        return dialog

    @Slot(str, object)
    def _estimated(self, text: str, seconds_per_epoch: float | None) -> None:
        if self.finetune_dialog is not None:
            self.finetune_dialog.show_estimate(text, seconds_per_epoch)

    @Slot(str, float)
    def _measuring(self, text: str, fraction: float) -> None:
        if self.finetune_dialog is not None:
            self.finetune_dialog.show_measuring(text, fraction)

    @Slot(str)
    def _job_began(self, title: str) -> None:
        self.jobs_panel.begin(title)
        self.jobs_dock.show()
        self.jobs_dock.raise_()

    @Slot(object, str, object)
    def _compare(self, result: FineTuneResult, current: str, new: ModelRecord) -> None:
        from .widgets.compare_dialog import CompareDialog

        dialog = CompareDialog(result, current, new.name, self.parent_widget)
        dialog.finished.connect(lambda _code: self.finetune.decide(dialog.choice(), new))
        self.compare_dialog = dialog
        dialog.open()
