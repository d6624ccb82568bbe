"""Undo/redo as a property: random edits, undos and redos on two images, with small memory budgets,
against a reference model that keeps every full mask.

The model per image: the list of full masks after each edit, the current index, and the oldest and
newest index still reachable (eviction moves those inward). Its eviction rules are the documented
ones: the per-image budget drops the oldest edits but always keeps the latest; over the global
budget, the least recently used image loses its oldest undo first, then its farthest redo, and the
image being edited keeps at least its latest edit. After every step the sessions' masks, what was
autosaved, can_undo/can_redo and the byte counts must equal the model's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from meddisseg_studio.state import EditSession, MaskEdit, Project
from meddisseg_studio.state.undo import UndoHistory

SHAPES = {"a.png": (12, 16), "b.png": (10, 8)}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("undo_property")
    for key, shape in SHAPES.items():
        ok, data = cv2.imencode(".png", np.zeros((*shape, 3), np.uint8))
        assert ok
        (root / "images").mkdir(exist_ok=True)
        (root / "images" / key).write_bytes(data.tobytes())
    return Project.open(root / "images", state_dir=root / "state")


@dataclass
class ImageModel:
    masks: list[np.ndarray]  # masks[k] is the mask after edit k; masks[0] the starting mask
    sizes: list[int] = field(default_factory=lambda: [0])  # sizes[k]: bytes held by edit k
    current: int = 0
    oldest: int = 0  # undo can go back to masks[oldest], no further
    newest: int = 0  # redo can go forward to masks[newest], no further

    @property
    def undo_count(self) -> int:
        return self.current - self.oldest

    @property
    def can_redo(self) -> bool:
        return self.newest > self.current

    @property
    def nbytes(self) -> int:
        return sum(self.sizes[self.oldest + 1 : self.newest + 1])

    def drop_oldest(self) -> int:
        if self.current > self.oldest:
            self.oldest += 1
            return self.sizes[self.oldest]
        if self.newest > self.current:
            self.newest -= 1
            return self.sizes[self.newest + 1]
        return 0


class Model:
    def __init__(self, per_image: int, global_bytes: int) -> None:
        self.per_image = per_image
        self.global_bytes = global_bytes
        self.images = {key: ImageModel([np.zeros(shape, np.uint8)]) for key, shape in SHAPES.items()}
        self.recent = list(SHAPES)  # least recently used first

    def _touched(self, key: str) -> None:
        self.recent.remove(key)
        self.recent.append(key)
        total = sum(m.nbytes for m in self.images.values())
        for other_key in list(self.recent):
            other = self.images[other_key]
            while total > self.global_bytes and other.nbytes > 0:
                if other_key == key and other.undo_count <= 1 and not other.can_redo:
                    break
                total -= other.drop_oldest()
            if total <= self.global_bytes:
                break

    def edit(self, key: str, new_mask: np.ndarray, size: int) -> None:
        m = self.images[key]
        del m.masks[m.current + 1 :], m.sizes[m.current + 1 :]
        m.masks.append(new_mask.copy())
        m.sizes.append(size)
        m.current = m.newest = len(m.masks) - 1
        while m.nbytes > self.per_image and m.undo_count > 1:
            m.oldest += 1
        self._touched(key)

    def undo(self, key: str) -> bool:
        m = self.images[key]
        if m.current == m.oldest:
            return False
        m.current -= 1
        self._touched(key)
        return True

    def redo(self, key: str) -> bool:
        m = self.images[key]
        if not m.can_redo:
            return False
        m.current += 1
        self._touched(key)
        return True


keys = st.sampled_from(sorted(SHAPES))
edit_op = st.tuples(st.just("edit"), keys, st.integers(0, 2**32 - 1))
undo_op = st.tuples(st.just("undo"), keys, st.just(0))
redo_op = st.tuples(st.just("redo"), keys, st.just(0))
# Edits weigh double: histories must grow past the budgets for eviction to happen at all.
operations = st.lists(st.one_of(edit_op, edit_op, undo_op, redo_op), min_size=1, max_size=50)


def _random_edit(mask: np.ndarray, seed: int) -> MaskEdit:
    """A rectangle of random bits, its ``before`` taken from the current mask (as the tools do)."""
    rng = np.random.default_rng(seed)
    height, width = mask.shape
    y0, x0 = int(rng.integers(0, height)), int(rng.integers(0, width))
    h, w = int(rng.integers(1, height - y0 + 1)), int(rng.integers(1, width - x0 + 1))
    after = rng.integers(0, 2, (h, w), dtype=np.uint8)
    return MaskEdit(y0, x0, mask[y0 : y0 + h, x0 : x0 + w].copy(), after)


# Cases random search reaches only rarely, spelled out (seed 11 on a: a 126-byte edit, seed 12:
# 120 bytes, seed 30: 108 bytes; seed 94 on b: 120 bytes). In order:
# - one edit larger than the global budget is kept, so it can still be undone;
# - exactly at the global budget nothing is dropped;
# - over it, the least recently *used* image loses first (b here, although a was opened first);
# - an image whose edits were all undone loses its farthest redo first when another image needs
#   the memory, and the remaining redo still replays the right edit;
# - over the per-image budget only the oldest edits go.
@example(ops=[("edit", "a.png", 11)], per_image=10**6, global_bytes=60)
@example(ops=[("edit", "a.png", 11), ("edit", "b.png", 94)], per_image=10**6, global_bytes=246)
@example(
    ops=[("edit", "a.png", 11), ("edit", "b.png", 94), ("edit", "a.png", 12)],
    per_image=10**6,
    global_bytes=300,
)
@example(
    ops=[
        ("edit", "a.png", 11),
        ("edit", "a.png", 12),
        ("undo", "a.png", 0),
        ("undo", "a.png", 0),
        ("edit", "b.png", 94),
        ("redo", "a.png", 0),
    ],
    per_image=10**6,
    global_bytes=300,
)
@example(
    ops=[("edit", "a.png", 11), ("edit", "a.png", 12), ("edit", "a.png", 30)],
    per_image=250,
    global_bytes=10**7,
)
@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    ops=operations,
    # An edit holds 2 bytes per pixel of its box: up to 384 bytes on a, 160 on b, 40 typically.
    per_image=st.sampled_from([40, 120, 10**6]),
    global_bytes=st.sampled_from([60, 200, 10**7]),
)
def test_sessions_follow_the_full_mask_model(
    project: Project, ops: list[tuple[str, str, int]], per_image: int, global_bytes: int
) -> None:
    project.undo_history = UndoHistory(per_image_bytes=per_image, global_bytes=global_bytes)
    saved: dict[str, np.ndarray] = {}

    def save_mask(key: str, mask: np.ndarray) -> Path:  # autosave, in memory (disk: other tests)
        saved[key] = mask.copy()
        return Path(key)

    project.save_mask = save_mask  # type: ignore[method-assign]
    sessions = {
        key: EditSession(project, key, background=False, shape=shape) for key, shape in SHAPES.items()
    }
    for session in sessions.values():
        session.mask[:] = 0
    model = Model(per_image, global_bytes)

    def check(op: str, key: str) -> None:
        for name, image in model.images.items():
            s = sessions[name]
            assert np.array_equal(s.mask, image.masks[image.current]), (name, op)
            assert s.can_undo == (image.undo_count > 0), name
            assert s.can_redo == image.can_redo, name
            assert s.undo_stack.nbytes == image.nbytes, name
        # Every change was autosaved as shown (an image never changed was never saved).
        if key in saved:
            assert np.array_equal(saved[key], sessions[key].mask)
        else:
            assert not sessions[key].mask.any()

    for op, key, seed in ops:
        session = sessions[key]
        if op == "edit":
            edit = _random_edit(session.mask, seed)
            session.apply(edit)
            new_mask = model.images[key].masks[model.images[key].current].copy()
            edit.apply_to(new_mask)
            model.edit(key, new_mask, edit.nbytes)
        elif op == "undo":
            assert (session.undo() is not None) == model.undo(key)
        else:
            assert (session.redo() is not None) == model.redo(key)
        check(op, key)
    # Then all the way back and all the way forward again, image by image.
    for key in SHAPES:
        if not ops or key not in saved:
            continue
        while model.undo(key):
            assert sessions[key].undo() is not None
            check("undo", key)
        assert sessions[key].undo() is None
        while model.redo(key):
            assert sessions[key].redo() is not None
            check("redo", key)
        assert sessions[key].redo() is None
