"""Lazy thumbnails: decoded in a QThreadPool, kept in a small LRU cache.

The list model asks for a thumbnail only when the view paints a row, i.e. only for
visible rows. Requests queue in a private pool; when the user scrolls, queued requests
for rows that scrolled away are dropped (``drop_queued``) and the newly visible rows ask
again on their next paint.

The cache keeps the small decoded arrays (8- or 16-bit) and draws them through the display
window/level (``set_levels``), so changing brightness/contrast re-draws thumbnails without
decoding a file again. Display only, like the canvas: nothing here feeds a proposal.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

from meddisseg_core.errors import MedDisSegError

from ..state.display import DisplayLevels, to_display

log = logging.getLogger(__name__)

THUMB_SIZE = 64


def _default_reader(path: Path) -> np.ndarray:
    # The state layer's reader: same size guard and formats as the image the canvas shows.
    from ..state import codec

    return codec.read_image(path)


def shrink(image: np.ndarray, size: int = THUMB_SIZE) -> np.ndarray:
    """Downscale an RGB (uint8 or uint16) array to fit size×size, keeping its bit depth."""
    h, w = image.shape[:2]
    scale = size / max(h, w)
    small = cv2.resize(image, (max(int(w * scale), 1), max(int(h * scale), 1)), interpolation=cv2.INTER_AREA)
    if small.ndim == 2:
        small = np.repeat(small[:, :, None], 3, axis=2)
    return np.ascontiguousarray(small[..., :3])


def to_qimage(rgb8: np.ndarray) -> QImage:
    """A QImage copy of an H×W×3 uint8 array."""
    rgb8 = np.ascontiguousarray(rgb8)
    qimage = QImage(rgb8.data, rgb8.shape[1], rgb8.shape[0], rgb8.strides[0], QImage.Format.Format_RGB888)
    return qimage.copy()  # detach from the numpy buffer before it goes out of scope


def make_thumbnail(image: np.ndarray, size: int = THUMB_SIZE, levels: DisplayLevels | None = None) -> QImage:
    """Downscale an RGB (uint8 or uint16) array into a size×size-bounded QImage for display."""
    return to_qimage(to_display(shrink(image, size), levels))


class _Signals(QObject):
    loaded = Signal(str, object)  # key, the small array (8- or 16-bit RGB)
    failed = Signal(str, str)


class _ThumbnailTask(QRunnable):
    def __init__(self, key: str, path: Path, reader: Callable[[Path], np.ndarray], signals: _Signals) -> None:
        super().__init__()
        self.key = key
        self.path = path
        self.reader = reader
        self.signals = signals

    def run(self) -> None:
        try:
            thumb = shrink(self.reader(self.path))
        except MedDisSegError as exc:
            self.signals.failed.emit(self.key, str(exc))
        except Exception as exc:  # a bad file must mark its row, never kill the pool thread
            log.warning("thumbnail for %s failed: %s", self.path, exc)
            self.signals.failed.emit(self.key, f"{type(exc).__name__}: {exc}")
        else:
            self.signals.loaded.emit(self.key, thumb)


class ThumbnailCache(QObject):
    """LRU of QImages by key; ``request`` schedules a decode, ``loaded``/``failed`` report back."""

    loaded = Signal(str)
    failed = Signal(str, str)
    restyled = Signal()  # the display levels changed: every thumbnail looks different now

    def __init__(
        self,
        capacity: int = 512,
        reader: Callable[[Path], np.ndarray] | None = None,
        threads: int = 2,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.capacity = capacity
        self._reader = reader or _default_reader
        self._small: OrderedDict[str, np.ndarray] = OrderedDict()  # decoded, LRU order
        self._images: dict[str, QImage] = {}  # drawn through the current levels
        self._levels = DisplayLevels()
        self._pending: set[str] = set()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._signals = _Signals()
        self._signals.loaded.connect(self._on_loaded)
        self._signals.failed.connect(self._on_failed)
        self.requests = 0  # how many decodes were scheduled (tests check laziness with it)

    def get(self, key: str) -> QImage | None:
        small = self._small.get(key)
        if small is None:
            return None
        self._small.move_to_end(key)
        image = self._images.get(key)
        if image is None:
            image = self._images[key] = to_qimage(to_display(small, self._levels))
        return image

    @property
    def levels(self) -> DisplayLevels:
        return self._levels

    def set_levels(self, levels: DisplayLevels) -> None:
        """Draw thumbnails through ``levels`` from now on (no file is decoded again)."""
        if levels != self._levels:
            self._levels = levels
            self._images.clear()
            self.restyled.emit()

    def request(self, key: str, path: Path) -> None:
        if key in self._small or key in self._pending:
            return
        self._pending.add(key)
        self.requests += 1
        self._pool.start(_ThumbnailTask(key, path, self._reader, self._signals))

    def drop_queued(self) -> None:
        """Forget requests that have not started (their rows scrolled out of view)."""
        self._pool.clear()
        self._pending.clear()

    def invalidate(self, key: str) -> None:
        self._small.pop(key, None)
        self._images.pop(key, None)

    def wait(self, msecs: int = 10_000) -> bool:
        return self._pool.waitForDone(msecs)

    def _on_loaded(self, key: str, small: np.ndarray) -> None:
        self._pending.discard(key)
        self._small[key] = small
        self._images.pop(key, None)
        self._small.move_to_end(key)
        while len(self._small) > self.capacity:
            evicted, _ = self._small.popitem(last=False)
            self._images.pop(evicted, None)
        self.loaded.emit(key)

    def _on_failed(self, key: str, reason: str) -> None:
        self._pending.discard(key)
        self.failed.emit(key, reason)
