"""Which model the app uses: the registry, the current model per folder, getting a first model.

* On opening a folder the folder's remembered model is loaded (the registry keeps one current
  model per image folder); Model > Switch model… and Roll back change it, and after a switch
  the app offers to re-propose the images nobody has reviewed yet.
* With no usable model, the "Get a model" dialog offers the shipped default, the authors'
  downloads, a file, or training on the approved images.
The registry and downloads are :mod:`meddisseg_core.models`; this module is only the Qt glue.
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from meddisseg_core.errors import MedDisSegError

from ..controller_guard import guarded
from ..state.model import ReviewStatus
from ..widgets.get_model_dialog import GetModelDialog
from ..widgets.model_list_dialog import ModelListDialog
from .model_download import DownloadFlow

log = logging.getLogger(__name__)


def model_menu(window: QMainWindow) -> QMenu:
    """The window's Model menu (made if the window has none)."""
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == "Model":
            return action.menu()
    return window.menuBar().addMenu("&Model")


def add_action(menu: QMenu, text: str, slot: Callable[[], object], tip: str) -> QAction:
    action = QAction(text, menu)
    action.setStatusTip(tip)
    action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def approved_keys(project: Any) -> list[str]:
    if project is None:
        return []
    return [e.key for e in project.entries if e.status is ReviewStatus.APPROVED and not e.error]


class ModelsControl(QObject):
    currentChanged = Signal(str)  # model id
    trainRequested = Signal()  # "Train on approved images" in the get-a-model dialog

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.studio = window.studio
        self.jobs = window.jobs
        self.dialogs = window.dialogs
        self._registry: Any | None = None
        self.current: Any | None = None
        self.get_model_dialog: GetModelDialog | None = None
        self.downloads = DownloadFlow(self)
        menu = model_menu(window)
        menu.addSeparator()
        self.get_action = add_action(
            menu, "&Get a model…", self.open_get_model_dialog, "Shipped default, download, file or training"
        )
        self.switch_action = add_action(
            menu, "S&witch model…", self.switch, "Choose another registered model for this folder"
        )
        self.rollback_action = add_action(
            menu, "Roll &back model", self.rollback, "Go back to the folder's previous model"
        )
        self.studio.projectOpened.connect(self.on_project_opened)
        # A model loaded another way (Model > Load checkpoint, --checkpoint) is registered too, so
        # that it is remembered for the folder instead of forgotten at the next start.
        self.jobs.modelChanged.connect(self._on_model_changed)
        self._pending_explicit: str | None = None

    # errors go where the studio's go (guarded)
    def on_error(self, title: str, text: str) -> None:
        self.studio.on_error(title, text)

    def on_save_error(self, exc: Exception) -> None:
        self.studio.on_save_error(exc)

    def on_corrupt_state(self, exc: Exception) -> None:
        self.studio.on_corrupt_state(exc)

    # -- registry -------------------------------------------------------------------
    @property
    def registry(self) -> Any:
        if self._registry is None:
            from meddisseg_core.inference.model_location import default_model_path
            from meddisseg_core.models import ModelRegistry

            registry = ModelRegistry()
            if registry.notice:
                self.dialogs.error("Model registry damaged", registry.notice)
            try:
                registry.sync_shipped(default_model_path())
            except MedDisSegError as exc:
                self.studio.message.emit(f"The shipped default model is unusable: {exc}")
            self._registry = registry
        return self._registry

    def folder(self) -> Path | None:
        project = self.studio.project
        return Path(project.folder) if project is not None else None

    def shipped(self) -> Any | None:
        return next((r for r in self.registry.records() if r.source == "shipped"), None)

    # -- using a model --------------------------------------------------------------
    @guarded("use the model")
    def use(self, model_id: str, *, remember: bool = True, offer_repropose: bool = True) -> bool:
        from meddisseg_core.checkpoint import load_model
        from meddisseg_core.inference import Predictor
        from meddisseg_core.models import RegistryError

        record = self.registry.get(model_id)
        problem = self.registry.problem(record)
        if problem is not None:
            raise RegistryError(f"model {record.id} cannot be used: {problem}")
        predictor = Predictor(load_model(self.registry.path_of(record)))
        self.jobs.set_predictor(predictor, f"{record.name} ({record.id})")
        self.current = record
        if remember:
            self.registry.set_current(self.folder(), record.id)  # no folder: the default
        self.currentChanged.emit(record.id)
        self.studio.message.emit(f"Model: {record.name} ({record.describe_source()})")
        if self.get_model_dialog is not None:
            self.get_model_dialog.show_status(f"Using {record.name}. You can close this window.")
        if offer_repropose:
            self.offer_repropose(record)
        return True

    def offer_repropose(self, record: Any) -> None:
        project = self.studio.project
        if project is None:
            return
        todo = [
            e
            for e in project.entries
            if not e.error and e.status in (ReviewStatus.NEW, ReviewStatus.PROPOSED)
        ]
        if todo and self.dialogs.confirm(
            "Re-propose with the new model?",
            f"{len(todo)} image(s) have not been reviewed yet. Propose them again with {record.name}?\n\n"
            "Edited, approved and rejected images are left as they are.",
            "Re-propose",
            "Not now",
        ):
            self.jobs.propose_unreviewed()

    @Slot()
    def on_project_opened(self) -> None:
        folder = self.folder()
        if folder is None:
            return
        explicit, self._pending_explicit = self._pending_explicit, None
        if explicit is not None:  # chosen before the folder opened (--checkpoint): it wins
            self.registry.set_current(folder, explicit)
            return
        model_id = self.registry.current_id(folder)
        if model_id is not None and (self.current is None or self.current.id != model_id):
            self.use(model_id, remember=False, offer_repropose=False)

    @Slot(str)
    def _on_model_changed(self, _name: str) -> None:
        loaded = getattr(self.jobs.predictor, "loaded", None)
        source = getattr(loaded, "source", None)
        if source is None:
            return
        source = Path(source).resolve()
        if self.current is not None and self.registry.path_of(self.current).resolve() == source:
            return  # our own use()
        try:
            record = next(
                (r for r in self.registry.records() if self.registry.path_of(r).resolve() == source), None
            ) or self.registry.add_file(source, source="imported")
        except MedDisSegError as exc:
            log.warning("could not register %s: %s", source, exc)
            return
        self.current = record
        if self.folder() is not None:
            self.registry.set_current(self.folder(), record.id)
        else:
            self._pending_explicit = record.id
        self.currentChanged.emit(record.id)

    def startup(self) -> None:
        """At start-up (real app): the remembered default, else the shipped one, else ask."""
        self._pending_explicit = None  # what try_default_model loaded was no explicit choice
        model_id = self.registry.current_id(None)
        if model_id is not None:
            self.use(model_id, remember=False, offer_repropose=False)
        elif self.jobs.predictor is not None:
            self.current = self.shipped()
        if self.jobs.predictor is None:
            self.open_get_model_dialog()

    @guarded("switch the model")
    def switch(self) -> ModelListDialog:
        current = self.current.id if self.current is not None else None
        dialog = ModelListDialog(self.registry.records(), current, self.window)
        dialog.accepted.connect(lambda: dialog.chosen_id() and self.use(dialog.chosen_id()))
        dialog.open()
        return dialog

    @guarded("roll back the model")
    def rollback(self) -> None:
        folder = self.folder()
        if folder is None:
            raise MedDisSegError("open an image folder first: each folder remembers its own models")
        self.use(self.registry.rollback(folder), remember=False)

    @guarded("load the model file")
    def load_file(self, path: Path | None = None) -> None:
        path = path or self.dialogs.choose_file("Load a model file")
        if path is None:
            return
        record = self.registry.add_file(Path(path), source="imported")
        self.use(record.id)

    # -- the get-a-model dialog ------------------------------------------------------
    def open_get_model_dialog(self) -> GetModelDialog:
        from meddisseg_core.models.download import KNOWN_MODELS
        from meddisseg_core.models.heldout import MIN_APPROVED

        if self.get_model_dialog is not None and self.get_model_dialog.isVisible():
            self.get_model_dialog.raise_()
            return self.get_model_dialog
        shipped = self.shipped()
        card = None
        if shipped is not None:
            mdsc = shipped.metrics.values.get("mdsc") if shipped.metrics else None
            score = f"val mDSC {mdsc:.3f}" if mdsc is not None else "no validation score recorded"
            card = f"{shipped.name}: {score}. {shipped.notes}".strip()
        downloads = {name: label for name, (_url, label) in KNOWN_MODELS.items()}
        approved = len(approved_keys(self.studio.project))
        dialog = GetModelDialog(card, downloads, approved, MIN_APPROVED, self.window)
        dialog.useShippedRequested.connect(self._use_shipped)
        dialog.downloadRequested.connect(self.start_download)
        dialog.cancelDownloadRequested.connect(self.cancel_download)
        dialog.loadFileRequested.connect(self._load_file_from_dialog)
        dialog.trainRequested.connect(self.trainRequested)
        self.get_model_dialog = dialog
        dialog.show()  # not modal: the user may look at the images (and approve some) first
        return dialog

    @Slot()
    def _use_shipped(self) -> None:
        shipped = self.shipped()
        if shipped is not None:
            self.use(shipped.id)

    @Slot()
    def _load_file_from_dialog(self) -> None:
        self.load_file()

    @Slot(str)
    def start_download(self, name: str) -> None:
        self.downloads.start(name)

    @Slot()
    def cancel_download(self) -> None:
        self.downloads.cancel()

    def shutdown(self) -> None:
        self.downloads.shutdown()
