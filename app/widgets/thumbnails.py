"""Lazy thumbnails: decoded in a QThreadPool, kept in a small LRU cache.

The list model asks for a thumbnail only when the view paints a row, i.e. only for
visible rows. Requests queue in a private pool; when the user scrolls, queued requests
for rows that scrolled away are dropped (``drop_queued``) and the newly visible rows ask
again on their next paint.
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

log = logging.getLogger(__name__)

THUMB_SIZE = 64


def _default_reader(path: Path) -> np.ndarray:
    # The state layer's reader: same size guard and formats as the image the canvas shows.
    from ..state import codec

    return codec.read_image(path)


def make_thumbnail(image: np.ndarray, size: int = THUMB_SIZE) -> QImage:
    """Downscale an RGB (uint8 or uint16) array into a size×size-bounded QImage."""
    if image.dtype != np.uint8:
        image = (image.astype(np.float32) * (255.0 / max(float(image.max()), 1.0))).astype(np.uint8)
    h, w = image.shape[:2]
    scale = size / max(h, w)
    small = cv2.resize(image, (max(int(w * scale), 1), max(int(h * scale), 1)), interpolation=cv2.INTER_AREA)
    small = np.ascontiguousarray(small[..., :3])
    qimage = QImage(small.data, small.shape[1], small.shape[0], small.strides[0], QImage.Format.Format_RGB888)
    return qimage.copy()  # detach from the numpy buffer before it goes out of scope


class _Signals(QObject):
    loaded = Signal(str, QImage)
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
            thumb = make_thumbnail(self.reader(self.path))
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
        self._images: OrderedDict[str, QImage] = OrderedDict()
        self._pending: set[str] = set()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._signals = _Signals()
        self._signals.loaded.connect(self._on_loaded)
        self._signals.failed.connect(self._on_failed)
        self.requests = 0  # how many decodes were scheduled (tests check laziness with it)

    def get(self, key: str) -> QImage | None:
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
        return image

    def request(self, key: str, path: Path) -> None:
        if key in self._images or key in self._pending:
            return
        self._pending.add(key)
        self.requests += 1
        self._pool.start(_ThumbnailTask(key, path, self._reader, self._signals))

    def drop_queued(self) -> None:
        """Forget requests that have not started (their rows scrolled out of view)."""
        self._pool.clear()
        self._pending.clear()

    def invalidate(self, key: str) -> None:
        self._images.pop(key, None)

    def wait(self, msecs: int = 10_000) -> bool:
        return self._pool.waitForDone(msecs)

    def _on_loaded(self, key: str, image: QImage) -> None:
        self._pending.discard(key)
        self._images[key] = image
        self._images.move_to_end(key)
        while len(self._images) > self.capacity:
            self._images.popitem(last=False)
        self.loaded.emit(key)

    def _on_failed(self, key: str, reason: str) -> None:
        self._pending.discard(key)
        self.failed.emit(key, reason)
