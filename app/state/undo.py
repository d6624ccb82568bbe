"""Undo/redo of mask edits, bounded by memory per image and across all images."""

from __future__ import annotations

import threading
from collections import OrderedDict, deque

from meddisseg_studio.state.edits import MaskEdit

PER_IMAGE_BYTES = 64 * 1024 * 1024
GLOBAL_BYTES = 512 * 1024 * 1024


class UndoStack:
    """Undo/redo of one image's edits. The oldest edits are dropped beyond ``max_bytes``.

    A new edit clears the redo side, as in every editor.
    """

    def __init__(self, max_bytes: int = PER_IMAGE_BYTES, history: UndoHistory | None = None) -> None:
        self.max_bytes = int(max_bytes)
        self._undo: deque[MaskEdit] = deque()
        self._redo: list[MaskEdit] = []
        self._bytes = 0
        self._history = history

    @property
    def nbytes(self) -> int:
        return self._bytes

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def __len__(self) -> int:
        return len(self._undo)

    def push(self, edit: MaskEdit) -> None:
        self._bytes -= sum(e.nbytes for e in self._redo)
        self._redo.clear()
        self._undo.append(edit)
        self._bytes += edit.nbytes
        # An edit larger than the whole budget is still kept (the user expects one undo step).
        while self._bytes > self.max_bytes and len(self._undo) > 1:
            self._bytes -= self._undo.popleft().nbytes
        self._touched()

    def pop_undo(self) -> MaskEdit | None:
        """Take the latest edit for undoing (the caller reverts it); it moves to redo."""
        if not self._undo:
            return None
        edit = self._undo.pop()
        self._redo.append(edit)
        self._touched()
        return edit

    def pop_redo(self) -> MaskEdit | None:
        if not self._redo:
            return None
        edit = self._redo.pop()
        self._undo.append(edit)
        self._touched()
        return edit

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
        self._bytes = 0

    def drop_oldest(self) -> int:
        """Forget the least useful entry (oldest undo, else farthest redo); returns bytes freed."""
        if self._undo:
            edit = self._undo.popleft()
        elif self._redo:
            edit = self._redo.pop(0)
        else:
            return 0
        self._bytes -= edit.nbytes
        return edit.nbytes

    def _touched(self) -> None:
        if self._history is not None:
            self._history._touched(self)


class UndoHistory:
    """The undo stacks of all images of a project, with a global memory cap.

    When the total exceeds ``global_bytes`` the least recently used images lose their oldest
    edits first, so the image being edited keeps its history longest.
    """

    def __init__(self, per_image_bytes: int = PER_IMAGE_BYTES, global_bytes: int = GLOBAL_BYTES) -> None:
        self.per_image_bytes = int(per_image_bytes)
        self.global_bytes = int(global_bytes)
        self._stacks: OrderedDict[str, UndoStack] = OrderedDict()
        self._lock = threading.Lock()

    def stack(self, key: str) -> UndoStack:
        with self._lock:
            found = self._stacks.get(key)
            if found is None:
                found = UndoStack(self.per_image_bytes, history=self)
                self._stacks[key] = found
            self._stacks.move_to_end(key)
            return found

    @property
    def nbytes(self) -> int:
        return sum(s.nbytes for s in self._stacks.values())

    def _touched(self, stack: UndoStack) -> None:
        with self._lock:
            for key, value in self._stacks.items():
                if value is stack:
                    self._stacks.move_to_end(key)
                    break
            total = sum(s.nbytes for s in self._stacks.values())
            for other in list(self._stacks.values()):  # least recently used first
                while total > self.global_bytes and other.nbytes > 0:
                    if other is stack and len(stack) <= 1 and not stack.can_redo:
                        break
                    total -= other.drop_oldest()
                if total <= self.global_bytes:
                    break
