"""A healthy state database on a read-only medium opens read-only (``mode=ro``); it is never "Damaged".

The medium is made read-only for real: as root (whom chmod does not stop) a read-only bind
mount in a private mount namespace (``unshare -m``); otherwise chmod. The project is opened
in a child process inside that namespace. Three states of the database are covered: closed
cleanly (no -wal), left by a crash (changes only in the -wal, -shm present), and the same
without its -shm (e.g. copied by a tool that skips it). A last test simulates the read-only
medium at SQLite's open boundary, so the fallback logic also runs where mounts are not allowed.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from meddisseg_studio.state import Project
from meddisseg_studio.state.store import DB_NAME

CHILD = Path(__file__).with_name("read_only_child.py")
pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX read-only media")


def _make_state(folder: Path, state: Path, crash: bool) -> dict[str, str]:
    project = Project.open(folder, state_dir=state)
    project.reject("a.png", "blurred")
    mask = np.zeros(project.image_shape("a.png"), np.uint8)
    mask[2:6, 3:9] = 1
    project.save_mask("a.png", mask)
    project.close()
    expected = {"a.png": "rejected", "b.JPG": "new", "c.png": "new"}
    if crash:
        # A session that dies without closing: its last change lives only in the -wal file.
        code = (
            "import os, sys\n"
            "from meddisseg_studio.state import Project\n"
            "p = Project.open(sys.argv[1], state_dir=sys.argv[2])\n"
            "p.set_status('b.JPG', 'approved')\n"
            "os._exit(0)\n"
        )
        subprocess.run([sys.executable, "-c", code, str(folder), str(state)], check=True, timeout=120)
        assert (state / f"{DB_NAME}-wal").stat().st_size > 0
        expected["b.JPG"] = "approved"
    return expected


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _run_read_only(root: Path, folder: Path, state: Path) -> dict[str, object]:
    command = [sys.executable, str(CHILD), str(folder), str(state)]
    if os.geteuid() == 0:
        if shutil.which("unshare") is None:
            pytest.skip("root, and no unshare for a read-only bind mount")
        script = 'mount --bind -o ro "$1" "$1" && shift && exec "$@"'
        namespace = ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", str(root)]
        # Probe first with `true`: where the namespace or the mount is refused, whatever the reason
        # (no CAP_SYS_ADMIN; in a chroot, "cannot change root filesystem propagation"), skip. The
        # child's own failures are then never mistaken for the platform's.
        probe = subprocess.run([*namespace, "true"], capture_output=True, text=True, timeout=60)
        if probe.returncode != 0:
            pytest.skip(f"cannot make a read-only bind mount here: {probe.stderr.strip()}")
        result = subprocess.run([*namespace, *command], capture_output=True, text=True, timeout=300)
    else:
        paths = [root, *root.rglob("*")]
        modes = {p: stat.S_IMODE(p.stat().st_mode) for p in paths}
        try:
            for p in paths:
                os.chmod(p, modes[p] & ~0o222)
            result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        finally:
            for p in reversed(paths):
                os.chmod(p, modes[p])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("variant", ["clean", "crashed", "crashed-without-shm"])
def test_healthy_database_on_read_only_medium_opens_read_only(
    tmp_path: Path, image_writer, variant: str
) -> None:
    root = tmp_path / "medium"
    folder = root / "images"
    for name, shape in (("a.png", (12, 16, 3)), ("b.JPG", (10, 14, 3)), ("c.png", (8, 8))):
        image_writer(folder / name, np.full(shape, 90, np.uint8))
    state = folder / ".meddisseg-studio"
    expected = _make_state(folder, state, crash=variant != "clean")
    if variant == "crashed-without-shm":
        (state / f"{DB_NAME}-shm").unlink()
    before = _snapshot(root)

    report = _run_read_only(root, folder, state)

    assert "open_error" not in report, report
    assert report["read_only"] is True
    assert report["statuses"] == expected
    assert report["reasons"] == {"a.png": "blurred"}
    assert report["mask_pixels"] == 4 * 6
    assert report["edit"] == "kept in memory"
    assert _snapshot(root) == before  # nothing written, nothing moved aside


def test_simulated_read_only_medium_uses_the_fallbacks(
    flat_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where mounts are not allowed: ``mode=ro`` fails as on a read-only medium (no -shm can be made)."""
    from meddisseg_studio.state import database as database_module

    state = tmp_path / "state"
    project = Project.open(flat_folder, state_dir=state)
    project.reject("a.png", "blurred")
    project.close()
    real_connect = database_module._connect
    opened: list[str] = []

    def read_only_medium(target: str | Path, timeout: float, *, uri: bool = False) -> sqlite3.Connection:
        text = str(target)
        opened.append(text)
        if uri and "mode=ro" in text and "immutable=1" not in text:
            error = sqlite3.OperationalError("unable to open database file")
            error.sqlite_errorcode = 14  # SQLITE_CANTOPEN, as SQLite reports it there
            raise error
        return real_connect(target, timeout, uri=uri)

    monkeypatch.setattr(database_module, "_connect", read_only_medium)
    viewed = Project.open(flat_folder, state_dir=state, read_only=True)
    assert viewed.entry("a.png").reject_reason == "blurred"
    assert any("immutable=1" in target for target in opened)
    viewed.close()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="the root path uses unshare")
def test_any_unshare_refusal_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a chroot, unshare fails with a message that does not say "mount": still a skip, not a failure."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "unshare").write_text(
        "#!/bin/sh\necho 'unshare: cannot change root filesystem propagation: Invalid argument' >&2\nexit 1\n"
    )
    (fake / "unshare").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(pytest.skip.Exception, match="propagation"):
        _run_read_only(tmp_path, tmp_path, tmp_path / "state")
