"""Findings of the image on screen: its lesions' values, its comment, and the project's schema.

Holds no widgets: the Findings panel shows :attr:`FindingsController.current` whenever
``changed`` fires and sends the person's input back here. Values are checked against the
schema in the state layer (``state/findings.py``); a refused value comes back as a message for
the panel to show next to its editor, and nothing is stored. Without a schema there are no
lesion values (nothing is computed per edit) and only the comment is offered.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from meddisseg_core.errors import MedDisSegError
from meddisseg_studio.state.errors import FindingValueError, SchemaError
from meddisseg_studio.state.findings import ImageFindings
from meddisseg_studio.state.findings_schema import FindingsSchema

from .errors import guarded
from .workspace import Workspace

# Lesions are re-matched this long after the last mask change (a burst of edits counts once).
SETTLE_MS = 300
SCHEMA_FILTER = "Findings schema (*.toml);;All files (*)"
log = logging.getLogger(__name__)


class FindingsController(QObject):
    changed = Signal()  # current (or the schema) changed: the panel shows it again
    message = Signal(str)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.errors = workspace.errors
        self.current: ImageFindings | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.refresh)
        self._pending_key: str | None = None  # the image whose mask changed since the last refresh
        workspace.projectOpened.connect(self.refresh)
        workspace.imageShown.connect(self._on_image_shown)
        workspace.imageCleared.connect(self.refresh)
        workspace.maskChanged.connect(self._on_mask_changed)

    @property
    def schema(self) -> FindingsSchema | None:
        project = self.workspace.project
        return project.findings.schema if project is not None else None

    @property
    def schema_problem(self) -> str | None:
        """Why the project's schema file is not used (it is broken), or None."""
        project = self.workspace.project
        error = project.findings.schema_error if project is not None else None
        return str(error) if error is not None else None

    # -- following the workspace ------------------------------------------------------
    def _on_mask_changed(self, *_box: int) -> None:
        self._pending_key = self.workspace.key
        self._settle.start()

    def _on_image_shown(self, key: str, *_shown: object) -> None:
        pending = self._pending_key
        if pending is not None and pending != key and self.workspace.project is not None:
            # The last edits of the image just left: its mask is on disk (showing flushes first).
            try:
                self._track(pending, self.workspace.project.load_mask(pending))
            except MedDisSegError as exc:  # its values still match by their old footprints
                log.warning("lesions of %s not re-matched: %s", pending, exc)
        self.refresh()

    @guarded("update the findings")
    def refresh(self) -> None:
        """Re-read the shown image's findings (tracking its lesions if its mask changed)."""
        self._settle.stop()
        ws = self.workspace
        if ws.project is None or ws.key is None or ws.session is None:
            self.current = None
        elif self.schema is None:
            self.current = ImageFindings(ws.key, (), (), ws.project.findings.comment(ws.key))
        else:
            self.current = self._track(ws.key, ws.session.mask)
        self._pending_key = None
        self.changed.emit()

    def _track(self, key: str, mask: object) -> ImageFindings | None:
        project = self.workspace.project
        if project is None or project.findings.schema is None:
            return None
        return project.findings.track(key, mask, self.workspace.min_lesion_area)  # type: ignore[arg-type]

    # -- the person's input -------------------------------------------------------------
    def set_value(self, number: int, name: str, value: object) -> str | None:
        """Store ``value`` for ``name`` of lesion ``number`` of the shown image.

        Returns None when stored, else the message saying why it was refused (nothing stored).
        Other failures (a read-only state, a failed write) are reported as errors.
        """
        ws = self.workspace
        if ws.project is None or ws.key is None or ws.session is None:
            return "no image is shown"
        try:
            ws.project.findings.set_value(ws.key, ws.session.mask, ws.min_lesion_area, number, name, value)
        except (FindingValueError, SchemaError) as exc:
            self.message.emit(str(exc))
            return str(exc)
        except Exception as exc:
            self.errors.report(exc, "store the lesion value")
            self.refresh()
            return str(exc)
        self.refresh()
        return None

    @guarded("save the comment")
    def set_comment(self, key: str, text: str) -> None:
        """Store the comment of ``key`` (the panel sends its key: the image may have changed since)."""
        project = self.workspace.project
        if project is None or key not in set(project.keys()):
            return
        project.findings.set_comment(key, text)
        if self.current is not None and self.current.key == key:
            self.current = ImageFindings(key, self.current.lesions, self.current.orphans, text)

    @guarded("discard the orphaned values")
    def discard_orphans(self) -> None:
        ws = self.workspace
        if ws.project is None or ws.key is None or self.current is None or not self.current.orphans:
            return
        ids = [f.id for f in self.current.orphans if f.id is not None]
        ws.project.findings.discard(ws.key, ids)
        self.message.emit(f"Discarded {len(ids)} set(s) of values without a lesion")
        self.refresh()

    @guarded("open the findings schema")
    def open_schema(self) -> None:
        """Ask for a schema file, check it, and make it the project's (copied into its state)."""
        project = self.workspace.project
        if project is None:
            self.message.emit("Open a folder first: the schema is kept in its annotation state")
            return
        path = self.workspace.dialogs.choose_file("Open findings schema", SCHEMA_FILTER)
        if path is None:
            return
        try:
            schema = project.findings.install_schema(path)
        finally:
            self.refresh()
        self.message.emit(f"Findings schema {path.name}: {len(schema.attributes)} attribute(s)")
