"""The main window: composes the panels, the canvas, the actions and the control layer.

Thin on purpose: behaviour lives in :mod:`meddisseg_studio.control`; this module lays out the
widgets (panels as docks, see :mod:`.docks`), applies the preferences and connects signals. The
model and fine-tuning dialogs and the Jobs panel are wired in :mod:`.model_windows`.
The canvas is built when first needed (:mod:`.canvas_slot`), so the window shows before
pyqtgraph is imported; the model loads in the background after the first show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from . import __version__
from .actions import MENUS, ActionRegistry
from .canvas_slot import CanvasSlot
from .commands import connect_commands
from .control.errors import ErrorReporter
from .control.exports import ExportController
from .control.findings import FindingsController
from .control.finetune import FineTuneControl
from .control.jobs import JobQueue
from .control.models import ModelsControl
from .control.prompts import PromptController
from .control.proposals import ProposalController
from .control.review import ReviewController
from .control.workspace import Workspace
from .docks import (
    add_dock,
    build_docks,
    fit_to_screen,
    keep_off_the_canvas,
    restore_layout,
    save_layout,
    share_column,
)
from .history_view import HistoryView
from .model_windows import ModelWindows
from .settings import Preferences, export_options, open_settings, read_preferences, write_preferences
from .state.identity import set_display_name
from .tools import gesture_rows, tool_names
from .view_options import ViewOptions
from .widgets.dialogs import Dialogs
from .widgets.display_levels import DisplayLevelsPanel
from .widgets.findings_panel import FindingsPanel, connect_panel, lesion_box
from .widgets.help_dialog import HelpDialog
from .widgets.icons import app_icon, icon
from .widgets.image_list import ImageListPanel
from .widgets.jobs_panel import JobsPanel
from .widgets.model_panel import ModelPanel
from .widgets.progress import JobProgress
from .widgets.propose_banner import ProposeBanner
from .widgets.review_panel import ReviewPanel
from .widgets.summary_panel import SummaryPanel
from .widgets.tool_bar import ToolBar
from .widgets.tool_options import ToolOptionsPanel

if TYPE_CHECKING:
    from .widgets.canvas import MaskCanvas
    from .widgets.model_card_dialog import ModelCardDialog
    from .widgets.pointer_status import PointerStatus
    from .widgets.tool_status import ToolStatus

MESSAGE_MS = 8000
DEVICE_LABEL_WIDTH = 320  # pixels


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
        self.errors = ErrorReporter(self.dialogs, self)
        self.jobs = JobQueue(self)
        self.workspace = Workspace(self.errors, self)
        self.review = ReviewController(self.workspace, self)
        self.proposals = ProposalController(self.workspace, self.jobs, self)
        self.prompts = PromptController(self.workspace, self.proposals, self)
        self.exports = ExportController(self.workspace, self.jobs, self)
        self.findings = FindingsController(self.workspace, self)
        self.models = ModelsControl(self.workspace, self.proposals, self)
        self.finetune = FineTuneControl(self.models, self)
        self.actions = ActionRegistry(self, icon_for=icon)
        self.pointer_status: PointerStatus | None = None
        self.tool_status: ToolStatus | None = None
        self.prefs = Preferences()  # what the last session saved (see _restore)
        self._load_default_model = load_default_model
        self._shown_once = False
        # Work that must not compete with the first paint (torch and pyqtgraph imports); None once painted.
        self._after_paint: list[Callable[[], object]] | None = []
        self.installEventFilter(self)
        self._build_widgets()
        self._build_menus()
        self._connect()
        self.settings = settings if settings is not None else open_settings()
        self._restore()

    # -- layout -------------------------------------------------------------------
    def _build_widgets(self) -> None:
        a = self.actions
        a["force_fp32"].setCheckable(True)  # a preference, kept with the others
        self.canvas_slot = CanvasSlot(self.workspace, self.after_first_paint, self)
        self.propose_banner = ProposeBanner()
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.propose_banner)
        column.addWidget(self.canvas_slot, 1)
        self.setCentralWidget(central)
        self.image_list = ImageListPanel(parent=self)
        self.review_panel = ReviewPanel(a["approve"], a["reject"], a["next_unreviewed"], a["next_uncertain"])
        self.model_panel = ModelPanel(
            a["load_default_model"], a["load_checkpoint"], a["propose_current"], a["propose_unreviewed"]
        )
        self.summary_panel = SummaryPanel()
        self.tool_options = ToolOptionsPanel()
        self.display_panel = DisplayLevelsPanel()
        self.findings_panel = FindingsPanel()
        self.history = HistoryView(self.workspace, self.dialogs, self)
        self.docks = build_docks(
            self,
            self.image_list,
            {
                "model": ("Model", self.model_panel),
                "tools": ("Tools", self.tool_options),
                "display": ("Display", self.display_panel),
                "review": ("Review", self.review_panel),
                "summary": ("Summary", self.summary_panel),
                "findings": ("Findings", self.findings_panel),
            },
        )
        # The audit log of the image on screen: a table that scrolls by itself, as a tab beside
        # Review and Summary (a fourth panel in the right column would not fit a 768-pixel screen).
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.docks["history"] = add_dock(self, "history", "History", self.history.panel, right, scroll=False)
        self.tabifyDockWidget(self.docks["summary"], self.docks["history"])
        # Fine-tuning runs: a tab beside Review and Summary, so it never takes the canvas's height;
        # shown when a job starts (pyqtgraph loads when the panel first shows).
        self.jobs_panel = JobsPanel()
        self.docks["jobs"] = add_dock(
            self, "jobs", "Jobs", self.jobs_panel, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.tabifyDockWidget(self.docks["summary"], self.docks["jobs"])
        self.docks["review"].raise_()
        self.docks["jobs"].hide()
        self.model_windows = ModelWindows(
            self.models, self.finetune, self.jobs_panel, self.docks["jobs"], self
        )
        self.progress = JobProgress()
        self.device_label = QLabel("Device: –")
        self.view_options = ViewOptions(
            self.model_panel,
            self.tool_options,
            self.display_panel,
            self.image_list.thumbnails,
            self.dialogs,
            a["remove_islands"],
            self,
        )
        for widget in (self.progress, self.device_label):
            self.statusBar().addPermanentWidget(widget)
        # Summary over 10,000 entries is cheap but not free: coalesce bursts of changes.
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(100)
        self._summary_timer.timeout.connect(self.update_summary)
        # This image's agreement follows the edits, a few times a second at most while drawing.
        self._entry_timer = QTimer(self)
        self._entry_timer.setSingleShot(True)
        self._entry_timer.setInterval(150)
        self._entry_timer.timeout.connect(self._show_entry)

    def _build_menus(self) -> None:
        for title in MENUS:
            menu = self.menuBar().addMenu(f"&{title}")
            for action in self.actions.in_menu(title):
                menu.addAction(action)
            if title == "View":
                panels = menu.addMenu("&Panels")
                for dock in self.docks.values():
                    panels.addAction(dock.toggleViewAction())
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("toolbar_main")
        for name in ("open_folder", "undo", "redo", "propose_current", "approve", "reject", "export_dialog"):
            toolbar.addAction(self.actions[name])
        # One checkable button per tool, sharing the Tools menu's actions (and their check state).
        self.tool_bar = ToolBar({name: self.actions[f"tool_{name}"] for name in tool_names()}, self)
        self.addToolBar(self.tool_bar)

    def _restore(self) -> None:
        """Preferences and layout from the last session; a first start fits the screen."""
        self.prefs = prefs = read_preferences(self.settings)
        self.view_options.apply(prefs)
        self.proposals.set_threshold(prefs.threshold)
        self.model_panel.set_threshold(self.proposals.threshold, emit=False)
        self.review.reject_reasons = prefs.reject_reasons
        self.workspace.min_lesion_area = prefs.min_lesion_area
        set_display_name(prefs.user_name)  # the audit log's name for this user ("": the OS user)
        self.exports.options = lambda: export_options(self.preferences())
        self.actions["force_fp32"].setChecked(prefs.force_fp32)
        self.proposals.force_fp32 = prefs.force_fp32  # before the first model loads
        self.finetune.force_fp32 = prefs.force_fp32
        self._first_layout = not restore_layout(self, self.settings)
        jobs = self.docks["jobs"]
        keep_off_the_canvas(self, jobs)
        jobs.dockLocationChanged.connect(lambda _area: keep_off_the_canvas(self, jobs))
        jobs.topLevelChanged.connect(lambda _floating: keep_off_the_canvas(self, jobs))

    # -- the canvas (built when first needed) -------------------------------------
    @property
    def canvas(self) -> MaskCanvas:
        return self.canvas_slot.build()

    def preferences(self) -> Preferences:
        """The preferences now: the saved ones with the values on screen."""
        return self.view_options.current(self.proposals.threshold, self.prefs)

    def _on_canvas_ready(self, canvas: MaskCanvas) -> None:
        from .widgets.pointer_status import PointerStatus
        from .widgets.tool_status import ToolStatus

        self.view_options.attach(canvas)
        # The active tool's name, size and hint; status messages cover it for a few seconds.
        # The pointer readout first among the permanent widgets: inserted before any normal widget is
        # added (index 0 is out of range for a permanent widget once a normal one sits there).
        self.pointer_status = pointer = PointerStatus(canvas, self._probability)
        self.statusBar().insertPermanentWidget(0, pointer)
        self.tool_status = ToolStatus(canvas)
        self.statusBar().addWidget(self.tool_status, 1)
        # Added while a message shows, QStatusBar hides it "explicitly", and then never shows it again
        # when the message goes: the tool's hint was missing for the whole session. Undo that mark.
        self.tool_status.setAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide, False)
        canvas.toolChanged.connect(self.tool_bar.set_current)
        # A new tool shows its hint at once: a temporary message (a stale hover tip, the last batch's
        # end) would otherwise hide the tool readout, so switching by key looked like nothing happened.
        canvas.toolChanged.connect(lambda _name: self.statusBar().clearMessage())
        self.tool_bar.set_current(canvas.tool.name)
        canvas.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.workspace.maskChanged.connect(lambda *_box: pointer.refresh())
        self.workspace.imageCleared.connect(pointer.clear_readout)
        self.findings_panel.lesionSelected.connect(lambda lesion: canvas.set_highlight(lesion_box(lesion)))
        # Box and Click: the canvas asks, the prompt controller runs the model and sends the markers back.
        canvas.promptRequested.connect(self.prompts.request)
        canvas.promptsCleared.connect(self.prompts.clear)
        self.prompts.promptsChanged.connect(canvas.show_prompts)
        self.prompts.busyChanged.connect(canvas.set_busy)
        canvas.show_prompts(self.prompts.shown())

    # -- wiring -------------------------------------------------------------------
    def _connect(self) -> None:
        ws, rv, pr = self.workspace, self.review, self.proposals
        connect_commands(self)
        self.canvas_slot.canvasReady.connect(self._on_canvas_ready)
        ws.projectOpened.connect(self._on_project_opened)
        ws.imageShown.connect(self._on_image_shown)
        ws.imageCleared.connect(self._on_image_cleared)
        ws.maskChanged.connect(lambda *_box: self._update_actions())
        ws.maskChanged.connect(lambda *_box: self._entry_timer.start())  # live agreement numbers
        ws.entryChanged.connect(self._on_entry_changed)
        sources = (self.errors, ws, rv, pr, self.prompts, self.exports, self.jobs, self.models, self.finetune)
        sources += (self.findings,)
        for source in sources:
            source.message.connect(self.show_message)
        connect_panel(self.findings_panel, self.findings)
        # The end of a proposal batch stays in the status bar until the next message.
        pr.batchFinished.connect(lambda text: self.statusBar().showMessage(text))
        self.image_list.imageActivated.connect(ws.show_image)
        self.review_panel.imageActivated.connect(ws.show_image)
        self.model_panel.thresholdChanged.connect(pr.set_threshold)
        pr.thresholdChanged.connect(lambda value: self.model_panel.set_threshold(value, emit=False))
        pr.modelChanged.connect(self.model_panel.show_model)
        # The offer to propose: when a model is ready, a folder opens, or a job ends.
        self.propose_banner.proposeRequested.connect(pr.propose_unreviewed)
        pr.predictorChanged.connect(self._offer_proposals)
        self.jobs.jobStarted.connect(lambda *_args: self.propose_banner.hide())
        self.jobs.jobFinished.connect(lambda *_args: self._offer_proposals())
        pr.deviceChanged.connect(self._on_device)
        self.jobs.jobStarted.connect(self.progress.begin)
        self.jobs.jobProgress.connect(self.progress.update_progress)
        self.jobs.jobFinished.connect(lambda _summary: self.progress.end())
        self.progress.cancelRequested.connect(self.jobs.cancel)

    # -- slots --------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, MESSAGE_MS)

    def open_folder(self, folder: Path | str, state_dir: Path | str | None = None) -> None:
        self.workspace.open_folder(folder, state_dir)

    def open_folder_dialog(self) -> None:
        folder = self.dialogs.choose_folder("Open image folder")
        if folder is not None:
            self.open_folder(folder)

    def _on_project_opened(self) -> None:
        project = self.workspace.project
        self.image_list.set_entries(project.entries if project is not None else [])
        self.setWindowTitle(f"Med-DisSeg Studio — {self.workspace.project_folder()}")
        self._summary_timer.start()
        self.propose_banner.reset()
        self._offer_proposals()

    def _offer_proposals(self) -> None:
        pr = self.proposals
        if pr.predictor is None or self.workspace.project is None or self.jobs.busy:
            self.propose_banner.hide()
            return
        self.propose_banner.offer(len(pr.unproposed_keys()), pr.model_name)

    def _on_image_shown(self, key: str, *shown: object) -> None:
        proposal = shown[2] if len(shown) > 2 else None
        self.summary_panel.show_proposal_source(
            getattr(proposal, "model_id", ""), getattr(proposal, "precision", "")
        )
        self.image_list.select_key(key, emit=False)
        self._show_entry()
        self._update_actions()

    def _on_image_cleared(self) -> None:
        self._show_entry()
        self._update_actions()

    def _on_entry_changed(self, key: str) -> None:
        self.image_list.refresh(key or None)
        if not key or key == self.workspace.key:
            self._show_entry()
        self._summary_timer.start()

    def _update_actions(self) -> None:
        """Grey out what cannot run now (a greyed action's shortcut does nothing either)."""
        session = self.workspace.session
        self.actions["undo"].setEnabled(session is not None and session.can_undo)
        self.actions["redo"].setEnabled(session is not None and session.can_redo)
        for name in ("approve", "reject", "propose_current"):
            self.actions[name].setEnabled(self.workspace.key is not None and session is not None)

    def _show_entry(self) -> None:
        self.review_panel.show_entry(self.workspace.entry())
        self.summary_panel.show_entry(self.workspace.shown_entry())

    def update_summary(self) -> None:
        project = self.workspace.project
        self.summary_panel.show_summary(project.summary() if project is not None else None)
        if project is not None:
            self.review_panel.set_queue(project.entry(k) for k in project.review_queue()[:200])

    def _on_device(self, text: str) -> None:
        # Elided, full text in the tooltip: a long CPU name must not widen the window off a small screen.
        full = f"Device: {text}"
        reason = self.proposals.precision_reason()
        self.device_label.setToolTip(f"{full}\nPrecision: {reason}" if reason else full)
        metrics = self.device_label.fontMetrics()
        self.device_label.setText(metrics.elidedText(full, Qt.TextElideMode.ElideMiddle, DEVICE_LABEL_WIDTH))
        self.model_panel.show_device(text)

    def _probability(self) -> np.ndarray | None:
        proposal = self.workspace.proposal
        return None if proposal is None else proposal.probability

    def set_force_fp32(self, force: bool) -> None:
        """Model > Force fp32: kept in the preferences; the model in use is reloaded in fp32 (or auto)."""
        self.prefs = replace(self.prefs, force_fp32=force)
        self.proposals.set_force_fp32(force)
        self.finetune.force_fp32 = force  # the next fine-tuning job

    def cancel_current(self) -> None:
        """Esc: cancel the running job, else the canvas interaction in progress, else the prompts."""
        canvas = self.canvas_slot.canvas
        if self.jobs.busy:
            self.jobs.cancel()
        elif canvas is not None and canvas.tool.active:
            canvas.cancel_interaction()
        elif canvas is not None:
            canvas.clear_prompts()

    def step_image(self, offset: int) -> None:
        key = self.image_list.step(offset)
        if key is not None:
            self.workspace.show_image(key)

    def ask_user_name(self) -> None:
        """File > Your name…: kept in Preferences, in effect for the next change."""
        name = self.history.ask_user_name(self.prefs.user_name)
        if name is not None:
            self.prefs = replace(self.prefs, user_name=name)
            write_preferences(self.settings, self.preferences())
            self.show_message(f"Changes are now recorded as {name or 'your login name'}")

    def show_shortcuts(self) -> HelpDialog:
        dialog = HelpDialog(self.actions.rows(), self, gestures=gesture_rows())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_model_card(self) -> ModelCardDialog | None:
        """Help > Model card…: the card of the model in use (its file's own card, else its facts)."""
        from .control.model_card import model_card_markdown
        from .widgets.model_card_dialog import ModelCardDialog

        predictor = self.proposals.predictor
        if predictor is None:
            self.dialogs.info("Model card", "No model is loaded yet: Model > Get a model… offers one.")
            return None
        loaded = getattr(predictor, "loaded", None)
        source = getattr(loaded, "source", None)
        record = self.models.current
        name = self.proposals.model_name
        text = model_card_markdown(name, source, getattr(predictor, "metadata", None), record)
        dialog = ModelCardDialog(name, text, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        self.dialogs.info(
            "About Med-DisSeg Studio",
            f"Med-DisSeg Studio {__version__}\nAnnotation and review of 2D medical segmentation masks.\n"
            "Model weights trained on Kvasir-SEG are for research and education only.",
        )

    # -- window events ------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            fit_to_screen(self)  # a layout saved on a larger screen must not overflow this one
            if self._first_layout:
                # First start: the Model and Tools panels get the height they need, Review the rest.
                column = [self.docks[name] for name in ("model", "tools", "display", "review")]
                share_column(self, column)
            if self._load_default_model:
                # The remembered default model, else the shipped one, else "Get a model"; torch is
                # imported on background threads, and only once the window is painted.
                self.after_first_paint(self.models.startup)

    def after_first_paint(self, work: Callable[[], object]) -> None:
        """Run ``work`` once the window has been painted (at once if it has been)."""
        if self._after_paint is None:
            work()
        else:
            self._after_paint.append(work)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self and event.type() == QEvent.Type.Paint and self._after_paint is not None:
            self.removeEventFilter(self)
            pending, self._after_paint = self._after_paint, None
            # Queued: this paint completes first; the heavy imports then run on their threads.
            for work in pending:
                QTimer.singleShot(0, work)
        return super().eventFilter(watched, event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.finetune.confirm_close():  # a running fine-tuning job asks first
            event.ignore()
            return
        write_preferences(self.settings, self.preferences())
        save_layout(self, self.settings)
        self.settings.sync()
        # Stop background work first, then write pending autosaves and close the state.
        self.model_windows.close()
        self.models.shutdown()
        self.jobs.shutdown()
        self.proposals.shutdown()
        self.prompts.shutdown()
        if not self.workspace.flush() and not self.dialogs.confirm(
            "Unsaved edits",
            "The latest edits could not be written (see the previous message). Close anyway and lose them?",
            "Close anyway",
            "Keep the window open",
        ):
            event.ignore()
            return
        self.workspace.close_project()
        self.image_list.thumbnails.drop_queued()
        self.image_list.thumbnails.wait(5000)
        super().closeEvent(event)
