"""The main window: composes the panels, the canvas, the actions and the controllers.

Thin on purpose: behaviour lives in :mod:`controller` (project, review, editing) and
:mod:`controller_jobs` (model, proposals, export); this module only lays out widgets
and connects signals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QScrollArea, QVBoxLayout, QWidget

from . import __version__
from .actions import MENUS, ActionRegistry, tool_actions
from .controller import StudioController
from .controller_jobs import JobController
from .controller_prefs import open_settings, restore_window, save_window
from .controller_view import ViewOptions
from .state.display import DisplayLevels
from .state.reject_reasons import reasons_from_setting
from .tools import gesture_rows, tool_names
from .widgets.canvas import MaskCanvas, ViewMode
from .widgets.dialogs import Dialogs
from .widgets.display_levels import DisplayLevelsPanel
from .widgets.help_dialog import HelpDialog
from .widgets.icons import app_icon, icon
from .widgets.image_list import ImageListPanel
from .widgets.model_panel import ModelPanel
from .widgets.pointer_status import PointerStatus
from .widgets.progress import JobProgress
from .widgets.review_panel import ReviewPanel
from .widgets.summary_panel import SummaryPanel
from .widgets.tool_bar import ToolBar
from .widgets.tool_options import ToolOptionsPanel
from .widgets.tool_status import ToolStatus


class MainWindow(QMainWindow):
    def __init__(
        self,
        dialogs: Dialogs | None = None,
        *,
        load_default_model: bool = True,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Med-DisSeg Studio")
        self.setWindowIcon(app_icon())
        self.dialogs = dialogs or Dialogs(self)
        self.studio = StudioController(self.dialogs, self)
        self.jobs = JobController(self.studio, self)
        self.actions = ActionRegistry(self, icon_for=icon)
        self._build_widgets()
        self._build_menus()
        self._connect()
        self.resize(1400, 860)
        self.settings = settings if settings is not None else open_settings()
        restore_window(self, self.settings)
        self.studio.reject_reasons = reasons_from_setting(self.settings.value("review/reject_reasons"))
        # -- models and fine-tuning (issue 10): Model menu entries, jobs dock, remembered model --
        from .control.finetune import FineTuneControl
        from .control.models import ModelsControl

        self.models = ModelsControl(self)
        self.finetune = FineTuneControl(self, self.models)
        if load_default_model:
            self.jobs.try_default_model()
            self.models.startup()

    # -- layout -------------------------------------------------------------------
    def _build_widgets(self) -> None:
        a = self.actions
        self.canvas = MaskCanvas()
        self.setCentralWidget(self.canvas)
        self.image_list = ImageListPanel(parent=self)
        self.review_panel = ReviewPanel(a["approve"], a["reject"], a["next_unreviewed"], a["next_uncertain"])
        self.model_panel = ModelPanel(a["load_default_model"], a["load_checkpoint"], a["propose_current"])
        self.summary_panel = SummaryPanel()
        self.tool_options = ToolOptionsPanel((self.canvas.MIN_BRUSH, self.canvas.MAX_BRUSH))
        self.display_panel = DisplayLevelsPanel()
        self._dock("Images", self.image_list, Qt.DockWidgetArea.LeftDockWidgetArea)
        side = QWidget()
        column = QVBoxLayout(side)
        for panel in (
            self.model_panel,
            self.tool_options,
            self.display_panel,
            self.review_panel,
            self.summary_panel,
        ):
            column.addWidget(panel)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        self._dock("Review", scroll, Qt.DockWidgetArea.RightDockWidgetArea)
        self.progress = JobProgress()
        self.device_label = QLabel("Device: –")
        self.pointer_status = PointerStatus(self.canvas, self._probability)
        self.view_options = ViewOptions(
            self.canvas, self.model_panel, self.tool_options, self.dialogs, a["remove_islands"], self
        )
        # The active tool's name, size and hint; status messages cover it for a few seconds.
        self.tool_status = ToolStatus(self.canvas)
        self.statusBar().addWidget(self.tool_status, 1)
        for widget in (self.pointer_status, self.progress, self.device_label):
            self.statusBar().addPermanentWidget(widget)
        # Summary over 10,000 entries is cheap but not free: coalesce bursts of changes.
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(100)
        self._summary_timer.timeout.connect(self.update_summary)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{title}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(area, dock)

    def _build_menus(self) -> None:
        for title in MENUS:
            menu = self.menuBar().addMenu(f"&{title}")
            for action in self.actions.in_menu(title):
                menu.addAction(action)
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("toolbar_main")
        for name in ("open_folder", "undo", "redo", "propose_current", "approve", "reject", "export_dialog"):
            toolbar.addAction(self.actions[name])
        self.tool_bar = ToolBar({name: self.actions[f"tool_{name}"] for name in tool_names()}, self)
        self.addToolBar(self.tool_bar)

    # -- wiring -------------------------------------------------------------------
    def _connect(self) -> None:
        s, j, a = self.studio, self.jobs, self.actions
        a.connect("open_folder", self.open_folder_dialog)
        a.connect("choose_state_dir", s.choose_state_dir)
        a.connect("quit", self.close)
        a.connect("undo", s.undo)
        a.connect("redo", s.redo)
        a.connect("next_image", lambda: self._step(1))
        a.connect("previous_image", lambda: self._step(-1))
        a.connect("approve", s.approve)
        a.connect("reject", s.reject)
        a.connect("next_unreviewed", s.next_unreviewed)
        a.connect("next_uncertain", s.next_uncertain)
        a.connect("propose_current", j.propose_current)
        a.connect("propose_selection", lambda: j.propose(self.image_list.selected_keys()))
        a.connect("propose_unreviewed", j.propose_unreviewed)
        a.connect("cancel_job", self._cancel)
        for spec in tool_actions():
            a.connect(spec.name, lambda t=spec.name: self.canvas.set_tool(t.removeprefix("tool_")))
        a.connect("brush_smaller", lambda: self.canvas.step_brush_size(-1))
        a.connect("brush_larger", lambda: self.canvas.step_brush_size(1))
        a.connect("fill_holes", lambda: self.canvas.run_operation("fill_holes"))
        a.connect("clear_mask", lambda: self.canvas.run_operation("clear"))
        a.connect("load_default_model", j.load_default_model)
        a.connect("load_checkpoint", j.load_checkpoint)
        a.connect("threshold_up", lambda: self._nudge_threshold(0.05))
        a.connect("threshold_down", lambda: self._nudge_threshold(-0.05))
        for mode in ("mask", "outline", "probability", "uncertainty", "none"):
            a.connect(f"view_{mode}", lambda m=mode: self.model_panel.set_view_mode(m.upper()))
        a.connect("fit_to_window", self.canvas.fit_to_window)
        a.connect("export_dialog", self.export_dialog)
        for name in ("authors", "coco", "overlays", "csv"):
            a.connect(f"export_{name}", lambda n=name: j.export([n]))
        a.connect("shortcuts", self.show_shortcuts)
        a.connect("about", self.show_about)

        s.projectOpened.connect(self._on_project_opened)
        s.imageShown.connect(self._on_image_shown)
        s.imageCleared.connect(self._on_image_cleared)
        s.maskChanged.connect(self.canvas.refresh_region)
        s.maskChanged.connect(lambda *_box: self._update_actions())
        s.entryChanged.connect(self._on_entry_changed)
        s.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.image_list.imageActivated.connect(s.show_image)
        self.review_panel.imageActivated.connect(s.show_image)
        self.canvas.editCommitted.connect(s.apply_edit)
        self.canvas.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.canvas.toolChanged.connect(self.tool_bar.set_current)
        self.display_panel.levelsChanged.connect(self._on_display_levels)
        self.display_panel.autoRequested.connect(self._on_auto_levels)
        self.model_panel.thresholdChanged.connect(self._on_threshold)
        self.model_panel.viewModeChanged.connect(lambda name: self.canvas.set_view_mode(ViewMode[name]))
        s.maskChanged.connect(lambda *_box: self.pointer_status.refresh())
        s.imageCleared.connect(self.pointer_status.clear_readout)
        j.modelChanged.connect(self.model_panel.show_model)
        j.deviceChanged.connect(self._on_device)
        j.jobStarted.connect(self.progress.begin)
        j.jobProgress.connect(self.progress.update_progress)
        j.jobFinished.connect(lambda _summary: self.progress.end())
        self.progress.cancelRequested.connect(j.cancel)

    # -- slots --------------------------------------------------------------------
    def open_folder(self, folder: Path | str, state_dir: Path | str | None = None) -> None:
        self.studio.open_folder(folder, state_dir)

    def open_folder_dialog(self) -> None:
        folder = self.dialogs.choose_folder("Open image folder")
        if folder is not None:
            self.open_folder(folder)

    def _on_project_opened(self) -> None:
        project = self.studio.project
        self.image_list.set_entries(project.entries if project is not None else [])
        self.setWindowTitle(f"Med-DisSeg Studio — {self.studio.project_folder()}")
        self._summary_timer.start()

    def _on_image_shown(self, key: str, image: Any, mask: Any, proposal: Any) -> None:
        self.canvas.set_image(image)
        self.canvas.set_mask(mask)
        self.canvas.set_probability(None if proposal is None else proposal.probability)
        self.canvas.set_uncertainty(None if proposal is None else proposal.uncertainty)
        if proposal is not None:
            self.model_panel.set_threshold(proposal.threshold, emit=False)
        self.image_list.select_key(key, emit=False)
        self._show_entry()
        self._update_actions()

    def _on_image_cleared(self) -> None:
        # A dark placeholder, so the previous image never looks like the (unreadable) current one.
        self.canvas.set_image(np.full((64, 64, 3), 32, np.uint8))
        self.canvas.set_mask(None)
        self.canvas.set_probability(None)
        self.canvas.set_uncertainty(None)
        self._show_entry()
        self._update_actions()

    def _on_entry_changed(self, key: str) -> None:
        self.image_list.refresh(key or None)
        if not key or key == self.studio.key:
            self._show_entry()
        self._summary_timer.start()

    def _update_actions(self) -> None:
        """Grey out what cannot run now (a greyed action's shortcut does nothing either)."""
        session = self.studio.session
        self.actions["undo"].setEnabled(session is not None and session.can_undo)
        self.actions["redo"].setEnabled(session is not None and session.can_redo)
        for name in ("approve", "reject", "propose_current"):
            self.actions[name].setEnabled(self.studio.key is not None and session is not None)

    def _show_entry(self) -> None:
        entry = self.studio.entry()
        self.review_panel.show_entry(entry)
        self.summary_panel.show_entry(entry)

    def update_summary(self) -> None:
        project = self.studio.project
        self.summary_panel.show_summary(project.summary() if project is not None else None)
        if project is not None:
            self.review_panel.set_queue(project.entry(k) for k in project.review_queue()[:200])

    def _on_device(self, text: str) -> None:
        self.device_label.setText(f"Device: {text}")
        self.model_panel.show_device(text)

    def _probability(self) -> np.ndarray | None:
        proposal = self.studio.proposal
        return None if proposal is None else proposal.probability

    def _on_threshold(self, value: float) -> None:
        self.jobs.threshold = value
        self.studio.set_threshold(value)

    def _nudge_threshold(self, delta: float) -> None:
        self.model_panel.set_threshold(min(max(self.model_panel.threshold_value() + delta, 0.01), 0.99))
        self.model_panel.flush()

    def _on_display_levels(self, levels: DisplayLevels) -> None:
        # Display only: proposals read the file through the model-input rule, never these pixels.
        self.canvas.set_display_levels(levels)
        self.image_list.thumbnails.set_levels(levels)

    def _on_auto_levels(self) -> None:
        levels = self.canvas.auto_display_levels()
        self.display_panel.show_levels(levels)
        self.image_list.thumbnails.set_levels(levels)

    def _cancel(self) -> None:
        if self.jobs.busy:
            self.jobs.cancel()
        else:
            self.canvas.cancel_interaction()

    def _step(self, offset: int) -> None:
        key = self.image_list.step(offset)
        if key is not None:
            self.studio.show_image(key)

    def export_dialog(self) -> None:
        choice = self.dialogs.choose_export()
        if choice is not None:
            self.jobs.export(*choice)

    def show_shortcuts(self) -> HelpDialog:
        dialog = HelpDialog(self.actions.rows(), self, gestures=gesture_rows())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        self.dialogs.info(
            "About Med-DisSeg Studio",
            f"Med-DisSeg Studio {__version__}\nAnnotation and review of 2D medical segmentation masks.\n"
            "Model weights trained on Kvasir-SEG are for research and education only.",
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.finetune.confirm_close():  # issue 10: a running job asks first
            event.ignore()
            return
        self.models.shutdown()
        save_window(self, self.settings)
        # Stop background work first, then write pending autosaves and close the state.
        self.jobs.shutdown()
        if not self.studio.flush() and not self.dialogs.confirm(
            "Unsaved edits",
            "The latest edits could not be written (see the previous message). Close anyway and lose them?",
            "Close anyway",
            "Keep the window open",
        ):
            event.ignore()
            return
        self.studio.close_project()
        self.image_list.thumbnails.drop_queued()
        self.image_list.thumbnails.wait(5000)
        super().closeEvent(event)
