"""Files written by atomic_writer get the umask's mode when new and keep their mode when replaced."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from meddisseg_core.atomic import atomic_write_bytes, atomic_write_text, atomic_writer

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture
def umask() -> Iterator[Callable[[int], int]]:
    """``umask(value)`` sets the process umask for this test; the old one comes back afterwards."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield os.umask
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_new_file_gets_the_umask_mode(tmp_path: Path, umask, mask: int, expected: int) -> None:
    umask(mask)
    target = tmp_path / "sub" / "train.txt"
    atomic_write_text(target, "a.jpg\n")
    assert target.read_text() == "a.jpg\n"
    assert _mode(target) == expected, oct(_mode(target))


@pytest.mark.parametrize("mask", [0o022, 0o002])
@pytest.mark.parametrize("existing", [0o640, 0o664, 0o600, 0o755])
def test_replaced_file_keeps_its_mode(tmp_path: Path, umask, mask: int, existing: int) -> None:
    umask(mask)
    target = tmp_path / "mask.png"
    target.write_bytes(b"old")
    os.chmod(target, existing)
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert _mode(target) == existing, oct(_mode(target))


def test_no_temp_file_is_left_after_a_failed_write(tmp_path: Path, umask) -> None:
    umask(0o022)
    target = tmp_path / "x.bin"
    with pytest.raises(RuntimeError), atomic_writer(target) as stream:
        stream.write(b"partial")
        raise RuntimeError("boom")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
