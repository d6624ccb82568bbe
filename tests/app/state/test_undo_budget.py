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


def test_default_budgets_are_64_mib_per_image_and_512_mib_in_all() -> None:
    # The documented memory bounds of undo: what a default session and project get.
    assert UndoStack().max_bytes == 64 * 2**20
    history = UndoHistory()
    assert (history.per_image_bytes, history.global_bytes) == (64 * 2**20, 512 * 2**20)
    assert history.stack("k").max_bytes == 64 * 2**20


def test_clear_forgets_everything_and_an_empty_stack_frees_nothing() -> None:
    stack = UndoStack()
    for _ in range(3):
        stack.push(MaskEdit(0, 0, np.zeros((5, 5), np.uint8), np.ones((5, 5), np.uint8)))
    stack.pop_undo()
    assert stack.nbytes == 3 * 50 and stack.can_undo and stack.can_redo
    stack.clear()
    assert (stack.nbytes, stack.can_undo, stack.can_redo, len(stack)) == (0, False, False, 0)
    assert stack.drop_oldest() == 0 and stack.nbytes == 0


def test_two_edits_over_the_per_image_budget_keep_only_the_latest() -> None:
    stack = UndoStack(max_bytes=150)
    first = MaskEdit(0, 0, np.zeros((5, 10), np.uint8), np.ones((5, 10), np.uint8))  # 100 bytes
    second = MaskEdit(1, 1, np.zeros((4, 10), np.uint8), np.ones((4, 10), np.uint8))  # 80 bytes
    stack.push(first)
    stack.push(second)
    assert len(stack) == 1 and stack.nbytes == 80
    assert stack.pop_undo() is second and stack.pop_undo() is None
