"""Crash-safe file writes: temp file in the same folder, fsync, rename over, fsync the folder.

File modes follow what a plain ``open(path, "w")`` would give: a new file gets ``0o666`` minus
the process umask (the kernel applies it, so there is no racy ``os.umask`` read), and a file
that is replaced keeps its existing permission bits.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

_NEW_FILE_MODE = 0o666  # what open() asks for; the umask takes away from it


def fsync_dir(folder: Path) -> None:
    """Flush a directory's entries (a rename into it) to disk; a no-op off POSIX."""
    # On POSIX the rename is only durable once the directory entry is flushed too.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _open_temp(path: Path) -> tuple[int, Path]:
    """Create a new hidden temp file beside ``path``: (fd, its path).

    ``tempfile.mkstemp`` would create it 0600 whatever the umask, and every file we write
    (masks, split files, exports) would stay private after the rename.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, _NEW_FILE_MODE), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def _keep_mode(fd: int, path: Path) -> None:
    """Give the temp file the permission bits of the file it is about to replace, if any."""
    if not hasattr(os, "fchmod"):
        return
    try:
        existing = os.stat(path)
    except FileNotFoundError:
        return
    if stat.S_ISREG(existing.st_mode):
        os.fchmod(fd, stat.S_IMODE(existing.st_mode))


@contextlib.contextmanager
def atomic_writer(path: Path | str) -> Iterator[BinaryIO]:
    """Open a binary stream whose content replaces ``path`` only if the block succeeds.

    A reader (or a crash) sees either the old file or the complete new one, never a torn one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _open_temp(path)
    try:
        with os.fdopen(fd, "wb") as stream:
            _keep_mode(stream.fileno(), path)
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably."""
    with atomic_writer(path) as stream:
        stream.write(data)


def atomic_write_text(path: Path | str, text: str) -> None:
    """Replace ``path`` with UTF-8 ``text`` atomically and durably."""
    atomic_write_bytes(path, text.encode("utf-8"))
