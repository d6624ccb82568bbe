"""scripts/install.sh installs every Debian package that Qt's xcb plugin, and the Qt libraries
shipped in the PySide6 wheel that it loads, link to directly (their ELF NEEDED entries, named with
the same SONAME rule as the .deb's Depends). Indirect libraries come with apt's own dependencies."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from elf_needed import needed_libraries  # beside this file (pytest's rootdir-less import mode)

from meddisseg_studio import qt_platform

ROOT = Path(__file__).resolve().parents[3]
# Part of every Debian system (essential or required): never worth listing.
BASE = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libzstd1"}
_NEEDED = re.compile(r"\(NEEDED\)\s+Shared library: \[(.+?)\]")


def _script_packages() -> set[str]:
    text = (ROOT / "scripts" / "install.sh").read_text(encoding="utf-8")
    block = re.search(r"APT_PACKAGES=\((.*?)\)", text, re.S)
    assert block is not None, "install.sh has no APT_PACKAGES=(...) list"
    return set(block.group(1).split())


def _needed(path: Path) -> list[str]:
    # Read in Python: a fresh machine has no binutils, and the test must run there too.
    return needed_libraries(path)


def _system_sonames(start: Path) -> set[str]:
    """SONAMEs outside the wheel reached from ``start`` through libraries inside the wheel."""
    qt_lib = start.parents[2] / "lib"  # PySide6/Qt/plugins/platforms -> PySide6/Qt/lib
    todo, seen, system = [start], set(), set()
    while todo:
        path = todo.pop()
        for soname in _needed(path):
            bundled = qt_lib / soname
            if bundled.is_file():
                if soname not in seen:
                    seen.add(soname)
                    todo.append(bundled)
            else:
                system.add(soname)
    return system


def test_script_lists_what_qt_links_to() -> None:
    sonames = _system_sonames(qt_platform.plugin_path())
    needed = {
        qt_platform.debian_package(s)
        for s in sonames
        if not s.startswith(("libm.", "libdl.", "libpthread.", "librt.", "ld-linux"))
    }
    assert len(needed) >= 10, needed  # X11, xcb, OpenGL, fontconfig, glib ...
    assert needed - BASE - _script_packages() == set()


def test_script_list_parses() -> None:
    packages = _script_packages()
    assert "python3-venv" in packages and "libxcb-cursor0" in packages
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", p) for p in packages), packages


@pytest.mark.skipif(shutil.which("readelf") is None, reason="compared with readelf where binutils is here")
def test_python_reader_agrees_with_readelf() -> None:
    plugin = qt_platform.plugin_path()
    out = subprocess.run(["readelf", "-d", str(plugin)], capture_output=True, text=True, check=True).stdout
    assert needed_libraries(plugin) == _NEEDED.findall(out)
