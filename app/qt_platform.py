"""Check, before Qt does, that its X11 (xcb) platform plugin can load, and say how to fix it when not.

When a system library of the xcb plugin is missing, Qt aborts with a generic message that may even
name the wrong library (Qt 6.5+ always suggests libxcb-cursor0); when one of QtGui's is missing,
importing PySide6 fails naming only the first. We import PySide6 and load the plugin ourselves
first (``dlopen``; Qt later reuses the loaded copy, so this costs nothing when all is well) and, if
that fails, run ``ldd`` to list every missing library and print the ``apt-get`` line that installs
them. The same helpers find the Debian packages for the ``.deb``'s ``Depends:`` (packaging/).
"""

from __future__ import annotations

import _ctypes
import ctypes
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

XCB_PLUGIN = "libqxcb.so"

# Debian names a library package after its SONAME (policy 8.1: libfoo.so.3 -> libfoo3, libfoo2.so.3
# -> libfoo2-3). These are the exceptions among the libraries Qt, PyTorch and OpenCV link to.
_PACKAGE_EXCEPTIONS = {
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libdl.so.2": "libc6",
    "libpthread.so.0": "libc6",
    "librt.so.1": "libc6",
    "libresolv.so.2": "libc6",
    "libutil.so.1": "libc6",
    "libgcc_s.so.1": "libgcc-s1",
    "libz.so.1": "zlib1g",
    "libbz2.so.1.0": "libbz2-1.0",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgmodule-2.0.so.0": "libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0",
    "libGLdispatch.so.0": "libglvnd0",
    "libbrotlicommon.so.1": "libbrotli1",
    "libbrotlidec.so.1": "libbrotli1",
}
_LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(not found|\S+)")


class Library(NamedTuple):
    soname: str
    path: str | None  # None: ldd could not find it


def parse_ldd(text: str) -> list[Library]:
    """The ``name => path`` lines of ``ldd`` output (the loader and vdso lines have no name)."""
    libraries = []
    for line in text.splitlines():
        match = _LDD_LINE.match(line)
        if match:
            soname, where = match.groups()
            libraries.append(Library(soname, None if where == "not found" else where))
    return libraries


def run_ldd(path: Path, env: Mapping[str, str] | None = None) -> str:
    """``ldd``'s output for ``path`` (empty when there is no ldd, e.g. outside glibc systems)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return ""
    result = subprocess.run([ldd, str(path)], capture_output=True, text=True, env=env, check=False)
    return result.stdout


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that ships ``soname`` (by Debian's naming policy, or a known exception)."""
    if soname in _PACKAGE_EXCEPTIONS:
        return _PACKAGE_EXCEPTIONS[soname]
    match = re.fullmatch(r"lib(.+?)\.so\.(\d+)(?:\.\d+)*", soname)
    if match is None:
        return soname
    name, major = match.groups()
    return f"lib{name}{'-' if name[-1].isdigit() else ''}{major}".lower().replace("_", "-")


def install_command(sonames: list[str]) -> str:
    packages = sorted({debian_package(name) for name in sonames})
    return "sudo apt-get install -y " + " ".join(packages)


def missing_libraries(plugin: Path, ldd: Callable[[Path], str] = run_ldd) -> list[str]:
    """Every library ``plugin`` needs that the loader cannot find (directly or through another one)."""
    return sorted({lib.soname for lib in parse_ldd(ldd(plugin)) if lib.path is None})


def missing_report(what: str, files: list[Path], missing: list[str], reason: str = "") -> str:
    lines = [f"Med-DisSeg Studio cannot open its window: {what}."]
    lines += [f"  file: {path}" for path in files]
    if reason:
        lines.append(f"  error: {reason}")
    if missing:
        lines.append("  missing system libraries: " + ", ".join(missing))
        lines.append("Install them (Debian/Ubuntu), then start the app again:")
        lines.append("  " + install_command(missing))
    else:
        lines.append("  ldd lists no missing library; the error above says what failed.")
    lines.append("Headless checks still work: meddisseg-studio --self-test")
    return "\n".join(lines)


def wanted_platform(env: Mapping[str, str]) -> str:
    """The first platform Qt will try: QT_QPA_PLATFORM's first entry, else xcb (X11 or XWayland)."""
    value = env.get("QT_QPA_PLATFORM", "").split(";")[0].strip()
    return value.split(":")[0] or "xcb"


def pyside_dir() -> Path | None:
    """The PySide6 package folder, found without importing it (importing may be what fails)."""
    spec = importlib.util.find_spec("PySide6")
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) if locations else None


def plugin_path() -> Path:
    """Where Qt looks for the xcb plugin (QT_QPA_PLATFORM_PLUGIN_PATH first, as Qt does)."""
    override = os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    if override:
        return Path(override) / XCB_PLUGIN
    return (pyside_dir() or Path("PySide6")) / "Qt" / "plugins" / "platforms" / XCB_PLUGIN


def widgets_module() -> Path | None:
    """PySide6's QtWidgets extension: ldd on it covers QtGui's and QtCore's system libraries."""
    folder = pyside_dir()
    found = sorted(folder.glob("QtWidgets*.so")) if folder else []
    return found[0] if found else None


def _import_qt() -> str:
    """'' when PySide6's widgets import, else the error (a missing system library, usually)."""
    try:
        import PySide6.QtWidgets  # noqa: F401
    except ImportError as exc:
        return str(exc)
    return ""


def _dlopen(path: Path) -> str:
    """'' when the library loads, else the loader's message.

    ``_ctypes.dlopen`` rather than ``ctypes.CDLL``: in a PyInstaller bundle the latter's error is replaced
    by a guess ("not found when the application was frozen") that hides the missing library's name.
    """
    try:
        _ctypes.dlopen(str(path), ctypes.RTLD_LOCAL | os.RTLD_NOW)
    except OSError as exc:
        return str(exc)
    return ""


def check_qt(
    env: Mapping[str, str] | None = None,
    *,
    plugin: Path | None = None,
    widgets: Path | None = None,
    import_qt: Callable[[], str] = _import_qt,
    load: Callable[[Path], str] = _dlopen,
    ldd: Callable[[Path], str] = run_ldd,
) -> str | None:
    """None when the app can open its window as far as we can tell; else the message for the user.

    Two stages, as Qt fails: PySide6's own libraries (QtGui needs OpenGL, fontconfig, xkbcommon...)
    fail at import; the xcb plugin's (xcb-icccm, xcb-keysyms...) only when Qt picks the platform.
    """
    env = os.environ if env is None else env
    linux = sys.platform.startswith("linux")
    reason = import_qt()
    if reason:
        if not linux:
            return f"Med-DisSeg Studio cannot load Qt: {reason}"
        files = [
            f for f in (widgets or widgets_module(), plugin or plugin_path()) if f is not None and f.is_file()
        ]
        missing = sorted({name for f in files for name in missing_libraries(f, ldd)})
        return missing_report("Qt's libraries do not load", files, missing, reason)
    if not linux or wanted_platform(env) != "xcb":
        return None
    if not env.get("DISPLAY"):
        if env.get("WAYLAND_DISPLAY") and not env.get("QT_QPA_PLATFORM"):
            return None  # a Wayland session: Qt may run natively there
        return (
            "Med-DisSeg Studio needs a desktop session: DISPLAY is not set.\n"
            "On a machine without a screen, check the installation with: meddisseg-studio --self-test"
        )
    plugin = plugin or plugin_path()
    if not plugin.is_file():
        return None  # Qt reports a missing plugin file itself, naming the folders it searched
    reason = load(plugin)
    if not reason:
        return None
    return missing_report(
        "Qt's X11 platform plugin does not load", [plugin], missing_libraries(plugin, ldd), reason
    )


def x_socket_address(display: str) -> tuple[int, object] | None:
    """Where the X server of ``display`` listens: (family, address), or None if DISPLAY is not
    a form we know (``:N``, ``:N.S``, ``unix:N``, ``host:N``; Qt then reports it itself)."""
    host, sep, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not sep or not number.isdigit():
        return None
    if host in ("", "unix") or host.startswith("/"):
        path = host if host.startswith("/") else f"/tmp/.X11-unix/X{number}"
        return socket.AF_UNIX, path
    return socket.AF_INET, (host, 6000 + int(number))


def _connect(family: int, address: object, timeout: float) -> str | None:
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(address)
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def display_problem(
    env: Mapping[str, str] | None = None,
    connect: Callable[[int, object, float], str | None] = _connect,
    timeout: float = 3.0,
) -> str | None:
    """None when the X server of ``DISPLAY`` answers a connection (or X is not wanted); else the
    message for the user. Without this, an unreachable display gave Qt's "xcb-cursor0 is needed",
    then an abort (SIGABRT) and a "hard crash" note at the next start."""
    env = os.environ if env is None else env
    display = env.get("DISPLAY", "")
    if not sys.platform.startswith("linux") or wanted_platform(env) != "xcb" or not display:
        return None
    where = x_socket_address(display)
    if where is None:
        return None
    family, address = where
    reason = connect(family, address, timeout)
    if reason is None:
        return None
    # Linux X servers also listen on the abstract socket of the same name (e.g. in containers).
    abstract = family == socket.AF_UNIX and isinstance(address, str)
    if abstract and connect(family, "\0" + str(address), timeout) is None:
        return None
    return (
        f"Med-DisSeg Studio cannot open its window: the display {display} cannot be reached ({reason}).\n"
        "Start it from a desktop session, or set DISPLAY to a running X server.\n"
        "On a machine without a screen, check the installation with: meddisseg-studio --self-test"
    )
