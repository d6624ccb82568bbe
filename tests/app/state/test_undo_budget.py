import numpy as np

from meddisseg_studio.state import MaskEdit, UndoHistory, UndoStack


def _edit(size: int, value: int = 1) -> MaskEdit:
    return MaskEdit(0, 0, np.zeros((size, size), np.uint8), np.full((size, size), value, np.uint8))


def test_oldest_edits_drop_beyond_the_byte_budget() -> None:
    stack = UndoStack(max_bytes=3 * 2 * 100)  # three 10x10 edits
    edits = [_edit(10, i) for i in range(5)]
    for edit in edits:
        stack.push(edit)
    assert len(stack) == 3
    assert stack.nbytes <= 600
    assert stack.pop_undo() is edits[4]
    assert stack.pop_undo() is edits[3]
    assert stack.pop_undo() is edits[2]
    assert stack.pop_undo() is None


def test_new_edit_clears_redo() -> None:
    stack = UndoStack()
    stack.push(_edit(4))
    stack.pop_undo()
    assert stack.can_redo
    stack.push(_edit(4))
    assert not stack.can_redo
    assert stack.nbytes == _edit(4).nbytes


def test_global_cap_evicts_the_least_recently_used_image_first() -> None:
    history = UndoHistory(per_image_bytes=10_000, global_bytes=900)
    old = history.stack("old.png")
    old.push(_edit(10))
    old.push(_edit(10))
    current = history.stack("current.png")
    current.push(_edit(10))
    current.push(_edit(10))
    current.push(_edit(10))
    assert history.nbytes <= 900
    assert len(current) == 3  # the image being edited keeps its history
    assert len(old) == 1
