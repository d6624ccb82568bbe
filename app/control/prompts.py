"""Box and Click prompts: the prompts since the last Esc, the model run off the GUI thread, the edit.

The canvas's prompt tools hand over a checked ``PromptRequest``; this controller adds it to the
prompts of the image on screen (a new box starts over, a click adds to the box and the clicks
before it), runs the segmenter on a ``PromptWorker`` thread with the current mask and the last
probability map, and applies the result as ONE ``MaskEdit`` through ``Workspace.apply_edit``: a
person's edit, so the review rules apply (an approved image becomes "changed after approval").

- One prompt runs at a time; prompts given meanwhile wait in order, each starting from the
  previous result. The markers show them at once.
- The result goes to the image it was asked for. Showing another image (or Esc) drops the prompts;
  a result that arrives after that is dropped, with a message, never applied to another image.
  If the user drew on the mask while the model ran, only the pixels the prompt changed are written.
- Undo of a prompt's edit takes its marker back too (redo puts it back).
- No model, or one still loading: a message that says how to get one, and nothing changes.

The core's prompt package is imported when the first prompt is made (the window is up before any
model code loads).
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal

from meddisseg_studio.state.edits import MaskEdit, diff_edit
from meddisseg_studio.state.session import EditSession
from meddisseg_studio.workers.job import Job
from meddisseg_studio.workers.prompt_worker import PromptWorker

from .errors import guarded
from .proposals import ProposalController
from .workspace import Workspace

if TYPE_CHECKING:
    from meddisseg_core.interactive import Prompts, PromptSegmenter
    from meddisseg_studio.tools.prompting import PromptRequest

log = logging.getLogger(__name__)

NO_MODEL = (
    "{tool} needs a model: load one first with Model > Use default model (Ctrl+D), "
    "Load checkpoint (Ctrl+L) or Get a model (Ctrl+G). Nothing changed."
)
STILL_LOADING = "{tool}: the model is still loading; try again in a moment. Nothing changed."

SegmenterFactory = Callable[[object], "PromptSegmenter"]


def core_segmenter(predictor: object) -> PromptSegmenter:
    """The shipped prompt segmenter over the loaded Predictor."""
    from meddisseg_core.interactive import make_prompt_segmenter

    return make_prompt_segmenter(predictor)


def no_prompts() -> Prompts:
    from meddisseg_core.interactive import Prompts

    return Prompts()


def extended(prompts: Prompts, request: PromptRequest) -> Prompts:
    """``prompts`` with ``request`` added: a box starts over, a click joins the box and earlier clicks."""
    from meddisseg_core.interactive import Prompts

    if request.box is not None:
        return Prompts(box=request.box)
    assert request.click is not None
    return Prompts(box=prompts.box, clicks=(*prompts.clicks, request.click))


@dataclass
class _Run:
    """One prompt in flight: what it was asked for, against which image and mask."""

    request: PromptRequest
    key: str
    session: EditSession
    base: Prompts | None  # the applied prompts it was added to
    prompts: Prompts  # the prompts it runs with (the shown ones once it succeeds)
    mask: np.ndarray  # the mask it was given (a copy): the prompt's change is measured against it
    epoch: int
    job: Job | None = None


@dataclass(frozen=True)
class _Step:
    """A prompt's edit on the undo stack, with the prompts before and after it."""

    edit: MaskEdit
    before: Prompts
    after: Prompts
    map_before: np.ndarray | None  # the probability map that went with the mask before and after
    map_after: np.ndarray | None


class PromptController(QObject):
    promptsChanged = Signal(object)  # the Prompts to draw (empty after Esc or on another image)
    busyChanged = Signal(bool)
    message = Signal(str)

    def __init__(
        self, workspace: Workspace, proposals: ProposalController, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.proposals = proposals
        self.errors = workspace.errors
        #: Builds the segmenter for a predictor (tests put a fake here).
        self.segmenter_factory: SegmenterFactory = core_segmenter
        self._segmenter: tuple[object, PromptSegmenter] | None = None
        self._segmenter_lock = threading.Lock()
        self._key: str | None = None
        self._base: Prompts | None = None  # the applied prompts; None: none yet (no core import)
        self._probability: np.ndarray | None = None  # the last probability map of this image
        self._image: tuple[str, np.ndarray] | None = None  # the model input read by the last run
        self._queue: list[PromptRequest] = []
        self._run: _Run | None = None
        self._epoch = 0  # grows on Esc and image change: results of an older epoch are dropped
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []
        self._closed = False
        workspace.imageShown.connect(self._on_image_shown)
        workspace.imageCleared.connect(lambda: self._forget(None))
        workspace.projectOpened.connect(self._on_project_opened)  # the same file name may be another image
        workspace.editUndone.connect(self._on_undone)
        workspace.editRedone.connect(self._on_redone)
        proposals.predictorChanged.connect(self._drop_segmenter)

    # -- state --------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._run is not None

    def _running(self) -> bool:
        """A prompt of the current epoch is being segmented (not one dropped by Esc or an image change)."""
        return self._run is not None and self._run.epoch == self._epoch

    def shown(self) -> Prompts | None:
        """The prompts to draw: the applied ones, then the one running and those waiting."""
        pending = ([self._run.request] if self._running() and self._run is not None else []) + self._queue
        if self._base is None and not pending:
            return None
        prompts = self._base if self._base is not None else no_prompts()
        for request in pending:
            prompts = extended(prompts, request)
        return prompts

    def _changed(self) -> None:
        self.promptsChanged.emit(self.shown())

    # -- requests -------------------------------------------------------------------
    @guarded("segment the prompt")
    def request(self, request: PromptRequest) -> None:
        """A Box or Click prompt from the canvas, on the image on screen."""
        if self._closed or self.workspace.session is None or self.workspace.key is None:
            return
        tool = request.tool.capitalize()
        if self.proposals.predictor is None:
            template = STILL_LOADING if self.proposals.loading else NO_MODEL
            self.message.emit(template.format(tool=tool))
            return
        self._queue.append(request)
        self._changed()
        if self._run is None:
            self._start_next()

    def clear(self) -> None:
        """Esc: forget the prompts of this image; a result still computing is dropped."""
        if self._running() or self._queue or self._base is not None:
            # The mask keeps the prompts' results, so the last map stays the one to pass on.
            self._forget(self._key, keep_map=True)
            self.message.emit("Prompts cleared")

    def _forget(self, key: str | None, *, keep_map: bool = False) -> None:
        self._epoch += 1
        self._key = key
        self._base = None
        self._queue = []
        self._undo, self._redo = [], []
        if not keep_map:
            proposal = self.workspace.proposal if key is not None else None
            self._probability = None if proposal is None else proposal.probability
        self._changed()

    def _on_project_opened(self) -> None:
        self._image = None
        self._forget(None)

    def _on_image_shown(self, key: str, _image: object, _mask: object, proposal: object) -> None:
        if key != self._key:
            if self._key is not None and (self._running() or self._queue):
                self.message.emit(f"The prompt on {self._key} was dropped: another image is shown now")
            self._forget(key)
        elif self._base is None and not self._queue and not self._running():
            self._probability = getattr(proposal, "probability", None)  # a new proposal of this image

    def _drop_segmenter(self) -> None:
        with self._segmenter_lock:
            self._segmenter = None

    def _segmenter_for(self, predictor: object) -> Callable[[], PromptSegmenter]:
        def get() -> PromptSegmenter:  # runs on the worker's thread
            with self._segmenter_lock:
                if self._segmenter is None or self._segmenter[0] is not predictor:
                    self._segmenter = (predictor, self.segmenter_factory(predictor))
                return self._segmenter[1]

        return get

    # -- running --------------------------------------------------------------------
    def _start_next(self) -> None:
        ws, predictor = self.workspace, self.proposals.predictor
        if not self._queue or self._closed:
            return
        if ws.session is None or ws.key is None or ws.project is None or predictor is None:
            self._queue = []
            self._changed()
            return
        request = self._queue.pop(0)
        base = self._base if self._base is not None else no_prompts()
        prompts = extended(base, request)
        run = _Run(request, ws.key, ws.session, self._base, prompts, ws.session.mask.copy(), self._epoch)
        project, key = ws.project, ws.key
        cached = self._image
        image = cached[1] if cached is not None and cached[0] == key else None
        worker = PromptWorker(
            self._segmenter_for(predictor),
            (lambda: image) if image is not None else (lambda: project.load_model_input(key)),
            run.prompts,
            run.mask,
            self._probability,
            threads=self.proposals.budget.inference_threads(),
        )
        # Bound methods of this GUI-thread object: the worker's signals are queued to it.
        worker.segmented.connect(self._on_segmented)
        worker.failed.connect(self._on_failed)
        run.job = Job(worker, "prompt", self)
        run.job.done.connect(self._on_done)
        self._run = run
        self.busyChanged.emit(True)
        self.message.emit(f"{request.tool.capitalize()}: segmenting…")
        run.job.start()

    @guarded("apply the prompt's result")
    def _on_segmented(self, image: np.ndarray, result: object) -> None:
        run = self._run
        if run is None:
            return
        if run.epoch != self._epoch:
            return  # Esc, another image or another folder meanwhile (already said)
        self._image = (run.key, image)
        ws = self.workspace
        session = ws.session
        if ws.key != run.key or session is None:
            self.message.emit(f"The prompt result for {run.key} was dropped: another image is shown now")
            return
        tool = run.request.tool.capitalize()
        mask = np.asarray(result.mask)  # type: ignore[attr-defined]
        if mask.shape != session.mask.shape:
            self.message.emit(
                f"{tool}: the model answered a {mask.shape} mask for a {session.mask.shape} image; "
                "nothing changed"
            )
            return
        edit = self._edit_for(run, mask.astype(np.uint8), session)
        before = self._base if self._base is not None else no_prompts()
        # An undo while the model ran took a prompt back: this one joins what is shown now.
        after = run.prompts if self._base is run.base else extended(before, run.request)
        self._base = after
        map_before, probability = self._probability, result.probability  # type: ignore[attr-defined]
        if probability is not None:
            self._probability = np.asarray(probability, dtype=np.float32)
        note = f" ({run.request.note})" if run.request.note else ""
        if edit is None:
            self.message.emit(f"{tool}: the mask did not change{note}")
            return
        ws.apply_edit(edit, run.request.tool)  # "box" or "click": the audit log names the prompt
        self._undo.append(_Step(edit, before, after, map_before, self._probability))
        self._redo = []
        added = int(np.count_nonzero(edit.after > edit.before))
        removed = int(np.count_nonzero(edit.after < edit.before))
        self.message.emit(f"{tool}: {added} px added, {removed} px removed{note} · Ctrl+Z undoes it")

    @staticmethod
    def _edit_for(run: _Run, result: np.ndarray, session: EditSession) -> MaskEdit | None:
        """The edit that writes the prompt's change into the session's mask now.

        Only the pixels where the result differs from the mask the prompt was given: a stroke
        drawn while the model ran (or a new session of the same image) keeps the rest.
        """
        changed = result != run.mask
        target = session.mask.copy()
        target[changed] = result[changed]
        return diff_edit(session.mask, target)

    def _on_failed(self, text: str) -> None:
        run = self._run
        if run is not None and run.epoch == self._epoch:
            self.message.emit(f"{run.request.tool.capitalize()}: {text}. Nothing changed.")

    def _on_done(self, _cancelled: bool, _summary: str) -> None:
        run, self._run = self._run, None
        if run is not None and run.job is not None:
            run.job.deleteLater()
        self._changed()
        if self._queue:
            self._start_next()
        else:
            self.busyChanged.emit(False)

    # -- undo -----------------------------------------------------------------------
    def _on_undone(self, edit: MaskEdit) -> None:
        if self._undo and self._undo[-1].edit is edit:
            step = self._undo.pop()
            self._redo.append(step)
            self._base, self._probability = step.before, step.map_before
            self._changed()

    def _on_redone(self, edit: MaskEdit) -> None:
        if self._redo and self._redo[-1].edit is edit:
            step = self._redo.pop()
            self._undo.append(step)
            self._base, self._probability = step.after, step.map_after
            self._changed()

    def shutdown(self, msecs: int | None = None) -> None:
        """Window close: nothing new starts, and the running prompt's thread is waited for."""
        self._closed = True
        self._queue = []
        self._epoch += 1
        if self._run is not None and self._run.job is not None:
            self._run.job.wait(msecs)
