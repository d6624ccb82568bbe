"""The real atomic writer failing partway: the target keeps its old bytes and no temp file remains.

Failures are made where they happen in practice: the caller raising mid-write, the disk filling
up (a 64 KiB tmpfs; needs root and mount, skipped otherwise), fsync and rename refusing. Every
test also checks that the temp file lived in the target's own folder, since only a rename within
one file system is atomic: TMPDIR points at a separate folder that must stay empty.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from meddisseg_core.atomic import atomic_write_bytes, atomic_write_text, atomic_writer

OLD = b"old content, complete\n"


@pytest.fixture
def target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    elsewhere = tmp_path / "system-tmp"
    elsewhere.mkdir()
    monkeypatch.setenv("TMPDIR", str(elsewhere))
    monkeypatch.setattr("tempfile.tempdir", None)  # re-read TMPDIR
    folder = tmp_path / "folder"
    folder.mkdir()
    path = folder / "mask.png"
    path.write_bytes(OLD)
    return path


def _untouched(target: Path, old: bytes | None = OLD) -> None:
    """The target has its old bytes (or still does not exist) and nothing else was left behind."""
    if old is None:
        assert not target.exists()
        assert list(target.parent.iterdir()) == []
    else:
        assert target.read_bytes() == old
        assert list(target.parent.iterdir()) == [target]
    assert list((target.parent.parent / "system-tmp").iterdir()) == []


class EncoderError(RuntimeError):
    pass


def test_exception_mid_write_keeps_the_old_file_and_removes_the_temp(target: Path) -> None:
    seen_during: list[Path] = []
    with pytest.raises(EncoderError), atomic_writer(target) as stream:
        stream.write(b"new content, half")
        stream.flush()
        seen_during = [p for p in target.parent.iterdir() if p != target]
        raise EncoderError("the encoder failed halfway")
    # While writing, the partial data sat in exactly one temp file beside the target.
    assert len(seen_during) == 1 and seen_during[0].parent == target.parent
    _untouched(target)


def test_interrupt_mid_write_is_cleaned_up_too(target: Path) -> None:
    # KeyboardInterrupt is a BaseException: the clean-up must not be limited to Exception.
    with pytest.raises(KeyboardInterrupt), atomic_writer(target) as stream:
        stream.write(b"partial")
        raise KeyboardInterrupt
    _untouched(target)


def test_failure_on_a_new_target_leaves_no_file(target: Path) -> None:
    fresh = target.parent / "new.png"
    target.unlink()
    with pytest.raises(EncoderError), atomic_writer(fresh) as stream:
        stream.write(b"x" * 1000)
        raise EncoderError
    _untouched(fresh, old=None)


def test_failed_fsync_publishes_nothing(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync_fails(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync_fails)
    with pytest.raises(OSError, match="Input/output error"):
        atomic_write_bytes(target, b"new content that never reached the disk")
    monkeypatch.undo()
    _untouched(target)


def test_failed_rename_publishes_nothing(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renamed: list[tuple[str, str]] = []

    def replace_fails(src: str | Path, dst: str | Path) -> None:
        renamed.append((str(src), str(dst)))
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", replace_fails)
    with pytest.raises(OSError, match="cross-device"):
        atomic_write_text(target, "new")
    monkeypatch.undo()
    # The one rename went from a file in the target's folder onto the target.
    assert len(renamed) == 1
    assert Path(renamed[0][0]).parent == target.parent and Path(renamed[0][1]) == target
    _untouched(target)


def test_success_replaces_the_content_and_leaves_only_the_target(target: Path) -> None:
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    atomic_write_text(target, "d\u00e9j\u00e0 vu")
    assert target.read_bytes() == "d\u00e9j\u00e0 vu".encode()
    assert list(target.parent.iterdir()) == [target]
    assert list((target.parent.parent / "system-tmp").iterdir()) == []


def test_missing_parent_folders_are_created(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "c.bin"
    atomic_write_bytes(deep, b"1")
    assert deep.read_bytes() == b"1"


def test_directory_is_flushed_after_the_rename(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The rename is durable only once the folder's entry is flushed: the last fsync is on the
    # target's folder, after the replace.
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        kind = "dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "file"
        if kind == "dir":
            assert os.path.samefile(f"/proc/self/fd/{fd}", target.parent)
        events.append(kind)
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        events.append("replace")
        real_replace(src, dst)

    if not Path("/proc/self/fd").is_dir() or os.name != "posix":
        pytest.skip("needs /proc to tell files from folders")
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic_write_bytes(target, b"durable")
    assert events == ["file", "replace", "dir"]


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs mounted under tmp_path (root only); unmounted afterwards."""
    mount = shutil.which("mount")
    point = tmp_path / "tiny"
    point.mkdir()
    if os.name != "posix" or os.geteuid() != 0 or mount is None:
        pytest.skip("a full disk is simulated with a tmpfs mount, which needs root")
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(point)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"mount -t tmpfs is not permitted here: {done.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_full_disk_keeps_the_old_file_and_frees_the_space(tiny_disk: Path) -> None:
    target = tiny_disk / "mask.png"
    target.write_bytes(OLD)
    free_before = shutil.disk_usage(tiny_disk).free
    with pytest.raises(OSError) as caught:
        atomic_write_bytes(target, b"\xab" * (256 * 1024))  # four times the disk
    assert caught.value.errno == errno.ENOSPC
    assert target.read_bytes() == OLD
    assert list(tiny_disk.iterdir()) == [target]
    assert shutil.disk_usage(tiny_disk).free == free_before  # the partial temp file is gone
    atomic_write_bytes(target, b"fits")  # and the disk is usable again
    assert target.read_bytes() == b"fits"
