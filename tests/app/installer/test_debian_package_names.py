"""The SONAME -> Debian package rule agrees with dpkg for the libraries the Qt xcb plugin and torch use."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import torch

from meddisseg_studio import qt_platform


def _dpkg_owner(path: str) -> str | None:
    for candidate in {path, os.path.realpath(path), os.path.realpath(path).removeprefix("/usr")}:
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, check=False)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0]
    return None


@pytest.mark.skipif(shutil.which("dpkg") is None or shutil.which("ldd") is None, reason="needs dpkg and ldd")
def test_rule_matches_dpkg_for_installed_libraries() -> None:
    files = [qt_platform.plugin_path(), Path(torch.__file__).parent / "lib" / "libtorch_cpu.so"]
    checked = {}
    for path in files:
        for lib in qt_platform.parse_ldd(qt_platform.run_ldd(path)):
            if lib.path and "site-packages" not in lib.path:
                owner = _dpkg_owner(lib.path)
                if owner is not None:
                    checked[lib.soname] = owner
    assert len(checked) >= 10, checked  # libc, libstdc++, X11, xcb, OpenGL, fontconfig, glib ...
    wrong = {
        name: (owner, qt_platform.debian_package(name))
        for name, owner in checked.items()
        if qt_platform.debian_package(name) != owner
    }
    assert wrong == {}


def test_rule_on_names_dpkg_cannot_see_here() -> None:
    assert qt_platform.debian_package("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert qt_platform.debian_package("libxcb-render-util.so.0") == "libxcb-render-util0"
    assert qt_platform.debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert qt_platform.debian_package("libglib-2.0.so.0") == "libglib2.0-0"
