"""When Qt's xcb plugin cannot load, the launcher names the missing libraries (ldd) and the apt command."""

from __future__ import annotations

from pathlib import Path

from meddisseg_studio import qt_platform

# ldd output of libqxcb.so on a fresh Debian 12 with the Python packages but no X libraries.
FAKE_LDD = """\
\tlinux-vdso.so.1 (0x00007ffc0d1e5000)
\tlibQt6XcbQpa.so.6 => /opt/app/_internal/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f3e1c800000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f3e1c7f0000)
\tlibX11-xcb.so.1 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f3e1c400000)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f3e1ce8a000)
"""


def _plugin(tmp_path: Path) -> Path:
    plugin = tmp_path / "plugins" / "platforms" / qt_platform.XCB_PLUGIN
    plugin.parent.mkdir(parents=True)
    plugin.write_bytes(b"\x7fELF not really")
    return plugin


def test_report_lists_missing_libraries_and_the_apt_command(tmp_path: Path) -> None:
    plugin = _plugin(tmp_path)
    message = qt_platform.check_qt(
        {"DISPLAY": ":0"},
        plugin=plugin,
        load=lambda path: "libxcb-icccm.so.4: cannot open shared object file: No such file or directory",
        ldd=lambda path: FAKE_LDD,
    )
    assert message is not None
    assert str(plugin) in message
    missing = "libX11-xcb.so.1, libxcb-icccm.so.4, libxcb-keysyms.so.1, libxkbcommon-x11.so.0"
    assert f"missing system libraries: {missing}" in message
    assert "sudo apt-get install -y libx11-xcb1 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0" in message
    assert "libxcb-cursor0" not in message  # Qt's own message names this one; it is installed here


def test_no_report_when_the_plugin_loads(tmp_path: Path) -> None:
    def ldd(path: Path) -> str:
        raise AssertionError("ldd runs only after a failed load")

    assert (
        qt_platform.check_qt({"DISPLAY": ":0"}, plugin=_plugin(tmp_path), load=lambda p: "", ldd=ldd) is None
    )


def test_offscreen_and_other_platforms_are_not_checked(tmp_path: Path) -> None:
    failing = {"plugin": _plugin(tmp_path), "load": lambda p: "broken", "ldd": lambda p: FAKE_LDD}
    assert qt_platform.check_qt({"QT_QPA_PLATFORM": "offscreen"}, **failing) is None
    assert qt_platform.check_qt({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}, **failing) is None
    assert qt_platform.check_qt({"QT_QPA_PLATFORM": "xcb:nograb", "DISPLAY": ":0"}, **failing) is not None


def test_no_display_says_so_and_points_to_the_self_test(tmp_path: Path) -> None:
    message = qt_platform.check_qt({}, plugin=_plugin(tmp_path), load=lambda p: "", ldd=lambda p: "")
    assert message is not None and "DISPLAY is not set" in message and "--self-test" in message


def test_parse_ldd_keeps_names_and_marks_missing() -> None:
    libraries = qt_platform.parse_ldd(FAKE_LDD)
    assert libraries[0] == qt_platform.Library(
        "libQt6XcbQpa.so.6", "/opt/app/_internal/PySide6/Qt/lib/libQt6XcbQpa.so.6"
    )
    assert qt_platform.Library("libxcb-icccm.so.4", None) in libraries
    assert all(lib.soname != "linux-vdso.so.1" for lib in libraries)


def test_qt_import_failure_reports_libraries_of_qtgui_and_the_plugin(tmp_path: Path) -> None:
    """A fresh Debian without OpenGL: importing PySide6 fails, naming only the first missing library."""
    widgets = tmp_path / "PySide6" / "QtWidgets.abi3.so"
    widgets.parent.mkdir()
    widgets.write_bytes(b"\x7fELF not really")
    plugin = _plugin(tmp_path)
    outputs = {
        widgets: "\tlibGL.so.1 => not found\n\tlibEGL.so.1 => not found\n\tlibfontconfig.so.1 => not found\n",
        plugin: FAKE_LDD + "\tlibGL.so.1 => not found\n",
    }
    message = qt_platform.check_qt(
        {"DISPLAY": ":0"},
        plugin=plugin,
        widgets=widgets,
        import_qt=lambda: "libGL.so.1: cannot open shared object file: No such file or directory",
        ldd=lambda path: outputs[path],
    )
    assert message is not None and "Qt's libraries do not load" in message
    assert str(widgets) in message and str(plugin) in message
    expected = "libegl1 libfontconfig1 libgl1 libx11-xcb1 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0"
    assert f"sudo apt-get install -y {expected}" in message
