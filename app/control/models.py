"""Which model the app uses: the registry, the current model per folder, getting a first model.

* On opening a folder the folder's remembered model is loaded (the registry keeps one current
  model per image folder), in the background like every model (through the proposals
  controller, the one owner of the predictor). Model > Switch model… and Roll back change it,
  and after a switch the app offers to re-propose the images nobody has reviewed yet.
* A model chosen before any folder is open (Load checkpoint, ``--checkpoint``) wins over the
  folder's remembered one when the folder opens, and is remembered for it.
* With no usable model at start-up, :attr:`ModelsControl.getModelRequested` asks the window for
  the "Get a model" dialog: the shipped default, the authors' downloads, a file, or training.

The registry and downloads are :mod:`meddisseg_core.models`, which imports torch: the registry is
first read once torch has been imported off the GUI thread. This module holds no widgets; the
dialogs are the window's (``model_windows.py``).
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt

from __future__ import annotations

import contextlib
import importlib
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal, Slot

from meddisseg_core.errors import MedDisSegError
from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.state.score_text import score_text

from .errors import guarded
from .model_download import DownloadFlow
from .proposals import LoadRequest, ProposalController
from .workspace import Workspace

if TYPE_CHECKING:
    from meddisseg_core.models import ModelRecord, ModelRegistry
    from meddisseg_studio.state.project import Project

log = logging.getLogger(__name__)
REGISTRY_MODULE = "meddisseg_core.models"


def approved_keys(project: Project | None) -> list[str]:
    if project is None:
        return []
    return [e.key for e in project.entries if e.status is ReviewStatus.APPROVED and not e.error]


def remembered_default() -> tuple[Path | None, str | None]:
    """(loader thread) The registry's default model as ``(path, name)``; ``(None, None)`` (the
    shipped default) when none is remembered or it is unusable."""
    from meddisseg_core.inference.model_location import default_model_path
    from meddisseg_core.models import ModelRegistry

    registry = ModelRegistry()  # its own: the GUI thread's registry is never touched from here
    if registry.notice:
        log.warning("model registry: %s", registry.notice)
    try:
        registry.sync_shipped(default_model_path())
    except MedDisSegError as exc:
        log.warning("the shipped default model is unusable: %s", exc)
    model_id = registry.current_id(None)
    record = registry.find(model_id) if model_id is not None else None
    if record is None or registry.problem(record) is not None:
        return None, None
    return registry.path_of(record), f"{record.name} ({record.id})"


class _Use(NamedTuple):
    """A registry model asked for and loading: what to do once it is in use."""

    record: ModelRecord
    remember: bool
    offer_repropose: bool
    explicit: bool  # chosen by hand before a folder was open: it wins when the folder opens


class GetModelInfo(NamedTuple):
    """What the "Get a model" dialog shows."""

    shipped_card: str | None
    downloads: dict[str, str]  # known model name -> label
    approved: int
    needed: int
    shipped_details: str | None = None  # the card's technical notes, shown on request


class _Relay(QObject):
    """Carries "the registry module is imported" from the import thread to the GUI thread."""

    imported = Signal()


class ModelsControl(QObject):
    currentChanged = Signal(str)  # model id
    trainRequested = Signal()  # "Train on approved images" in the get-a-model dialog
    getModelRequested = Signal()  # start-up found no usable model: show "Get a model"
    message = Signal(str)

    def __init__(
        self, workspace: Workspace, proposals: ProposalController, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.proposals = proposals
        self.errors = workspace.errors
        self.dialogs = workspace.dialogs
        self._registry: ModelRegistry | None = None
        self._shipped: ModelRecord | None = None
        self.current: ModelRecord | None = None
        self.downloads = DownloadFlow(self)
        self._pending: _Use | None = None  # the registry model loading now
        self._pending_explicit: str | None = None
        self._startup = False  # the start-up load is running: a failure offers "Get a model"
        self._waiting: list[Callable[[], object]] = []  # work for when the registry module is imported
        self._relay = _Relay(self)
        self._relay.imported.connect(self._on_imported)
        self._importer: threading.Thread | None = None
        workspace.projectOpened.connect(self.on_project_opened)
        # Every predictor change is seen here, so a model loaded another way (Use default model)
        # is registered and remembered for the folder too instead of forgotten at the next start.
        proposals.predictorChanged.connect(self._on_predictor_changed)
        proposals.loadFailed.connect(self._on_load_failed)
        proposals.model_identity = self.identity

    # -- the registry (imports torch) ---------------------------------------------------
    @property
    def registry(self) -> ModelRegistry:
        if self._registry is None:
            from meddisseg_core.inference.model_location import default_model_path
            from meddisseg_core.models import ModelRegistry

            registry = ModelRegistry()
            if registry.notice:
                self.errors.error("Model registry damaged", registry.notice)
            try:
                # The installation's default now; records of an earlier default stay for the
                # folders that remember them, but "the shipped model" is this one.
                self._shipped = registry.sync_shipped(default_model_path())
            except MedDisSegError as exc:
                self.message.emit(f"The shipped default model is unusable: {exc}")
            self._registry = registry
        return self._registry

    def when_ready(self, work: Callable[[], object]) -> None:
        """Run ``work`` once the registry module is imported (at once if it is), never blocking
        the GUI thread on ``import torch``."""
        if REGISTRY_MODULE in sys.modules:
            work()
            return
        self._waiting.append(work)
        if self._importer is None:

            def load() -> None:
                try:
                    importlib.import_module(REGISTRY_MODULE)
                    importlib.import_module("meddisseg_core.inference")
                except Exception:  # imported again on the GUI thread, which reports it
                    log.exception("background import of the model registry failed")
                with contextlib.suppress(RuntimeError):  # the window closed before the import finished
                    self._relay.imported.emit()

            self._importer = threading.Thread(target=load, name="meddisseg-registry-import", daemon=True)
            self._importer.start()

    @Slot()
    def _on_imported(self) -> None:
        waiting, self._waiting = self._waiting, []
        for work in waiting:
            work()

    def folder(self) -> Path | None:
        project = self.workspace.project
        return Path(project.folder) if project is not None else None

    def identity(self) -> tuple[str, str] | None:
        """(registry id, sha256 of the file) of the model proposals are made with now, or None
        when the predictor in use is not the current record's file (not known yet)."""
        record = self.current
        loaded = getattr(self.proposals.predictor, "loaded", None)
        source = getattr(loaded, "source", None)
        if record is None or source is None or self._registry is None:
            return None
        try:
            same = self._registry.path_of(record).resolve() == Path(source).resolve()
        except OSError:
            return None
        return (record.id, record.sha256) if same else None

    def shipped(self) -> ModelRecord | None:
        self.registry  # noqa: B018 - syncs the shipped record on first use
        return self._shipped

    def _record_of(self, source: Path) -> ModelRecord | None:
        return next(
            (r for r in self.registry.records() if self.registry.path_of(r).resolve() == source), None
        )

    # -- using a model --------------------------------------------------------------
    @guarded("use the model")
    def use(
        self, model_id: str, *, remember: bool = True, offer_repropose: bool = True, explicit: bool = False
    ) -> bool:
        """Load the registry's ``model_id`` in the background; it becomes current once loaded."""
        from meddisseg_core.models import RegistryError

        record = self.registry.get(model_id)
        problem = self.registry.problem(record)
        if problem is not None:
            raise RegistryError(f"model {record.id} cannot be used: {problem}")
        self._pending = _Use(record, remember, offer_repropose, explicit)
        path = self.registry.path_of(record)
        self.proposals.load_model(LoadRequest(path, name=f"{record.name} ({record.id})"))
        return True

    def _adopt(self, chosen: _Use) -> None:
        record = chosen.record
        self.current = record
        if chosen.remember:
            folder = self.folder()
            if folder is None and chosen.explicit:
                self._pending_explicit = record.id  # for the folder about to open, not the default
            else:
                self.registry.set_current(folder, record.id)  # no folder: the default
        self.currentChanged.emit(record.id)
        self.message.emit(f"Model: {record.name} ({record.describe_source()})")
        if chosen.offer_repropose:
            self.offer_repropose(record)

    def offer_repropose(self, record: ModelRecord) -> None:
        project = self.workspace.project
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
            self.proposals.propose_unreviewed()

    @Slot()
    def on_project_opened(self) -> None:
        self.when_ready(self._use_folder_model)

    def _use_folder_model(self) -> None:
        folder = self.folder()
        if folder is None:
            return
        explicit, self._pending_explicit = self._pending_explicit, None
        if explicit is not None:  # chosen before the folder opened (--checkpoint): it wins
            self.registry.set_current(folder, explicit)
            return
        if self._pending is not None and self._pending.remember:
            return  # a model chosen by hand is loading: it becomes this folder's when ready
        model_id = self.registry.current_id(folder)
        if model_id is None or (self._pending is not None and self._pending.record.id == model_id):
            return
        if self.current is None or self.current.id != model_id:
            self.use(model_id, remember=False, offer_repropose=False)

    @Slot()
    def _on_predictor_changed(self) -> None:
        loaded = getattr(self.proposals.predictor, "loaded", None)
        source = getattr(loaded, "source", None)
        startup, self._startup = self._startup, False
        if source is None:
            return
        source = Path(source).resolve()
        chosen = self._pending
        if chosen is not None:
            if self.registry.path_of(chosen.record).resolve() == source:
                self._pending = None
                self._adopt(chosen)
            return  # else a newer choice is still loading behind this one: it decides
        if self.current is not None and self.registry.path_of(self.current).resolve() == source:
            return
        try:
            record = self._record_of(source) or self.registry.add_file(source, source="imported")
        except MedDisSegError as exc:
            log.warning("could not register %s: %s", source, exc)
            return
        self.current = record
        if not startup:  # the start-up default was nobody's choice: it is not remembered
            if self.folder() is not None:
                self.registry.set_current(self.folder(), record.id)
            else:
                self._pending_explicit = record.id
        self.currentChanged.emit(record.id)

    @Slot(str, bool)
    def _on_load_failed(self, _why: str, _quiet: bool) -> None:
        self._pending = None
        startup, self._startup = self._startup, False
        if startup and self.proposals.predictor is None:
            self.getModelRequested.emit()

    def startup(self) -> None:
        """At start-up (real app): the remembered default, else the shipped one, else ask.

        The choice is made on the loader's thread (:func:`remembered_default`), so the window
        says "loading model…" at once and never waits for ``import torch``.
        """
        self._pending_explicit = None
        self._startup = True
        self.proposals.load_model(LoadRequest(None, quiet=True, resolve=remembered_default))

    @guarded("roll back the model")
    def rollback(self) -> None:
        folder = self.folder()
        if folder is None:
            raise MedDisSegError("open an image folder first: each folder remembers its own models")
        self.use(self.registry.rollback(folder), remember=False)

    @guarded("load the model file")
    def load_file(self, path: Path | None = None, *, offer_repropose: bool = True) -> None:
        """Register a model file and use it (Get a model > Load a file, Load checkpoint, --checkpoint)."""
        path = path or self.dialogs.choose_file("Load a model file")
        if path is None:
            return
        record = self.registry.add_file(Path(path), source="imported")
        self.use(record.id, offer_repropose=offer_repropose, explicit=True)

    def load_checkpoint(self, path: Path | None = None) -> None:
        """Model > Load checkpoint (Ctrl+L): the file becomes this folder's model, remembered."""
        self.load_file(path, offer_repropose=False)

    # -- what the get-a-model dialog needs -------------------------------------------------
    def get_model_info(self) -> GetModelInfo:
        from meddisseg_core.models.download import KNOWN_MODELS
        from meddisseg_core.models.heldout import MIN_APPROVED

        shipped = self.shipped()
        card = details = None
        if shipped is not None:
            mdsc = shipped.metrics.values.get("mdsc") if shipped.metrics else None
            card = f"{shipped.name}: {score_text(mdsc)}."
            # How it was made ("packed from best.safetensors; step 135"): for a details view only.
            details = shipped.notes or None
        downloads = {name: label for name, (_url, label) in KNOWN_MODELS.items()}
        approved = len(approved_keys(self.workspace.project))
        return GetModelInfo(card, downloads, approved, MIN_APPROVED, details)

    @Slot()
    def use_shipped(self) -> None:
        shipped = self.shipped()
        if shipped is not None:
            self.use(shipped.id)

    @Slot(str)
    def start_download(self, name: str) -> None:
        self.downloads.start(name)

    @Slot()
    def cancel_download(self) -> None:
        self.downloads.cancel()

    def shutdown(self) -> None:
        self.downloads.shutdown()
        if self._importer is not None:
            self._importer.join()
