"""The control layer uses Qt signals (QtCore) but never widgets.

import-linter can forbid only whole external packages (PySide6, not PySide6.QtWidgets), so its
contract covers our widget modules and pyqtgraph; this test covers the Qt widget modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import meddisseg_studio.control as control

WIDGET_MODULES = ("PySide6.QtWidgets", "PySide6.QtGui", "PySide6.QtOpenGLWidgets", "PySide6.QtSvgWidgets")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_control_module_imports_qt_widgets() -> None:
    files = sorted(Path(control.__file__).parent.glob("*.py"))
    assert len(files) >= 6  # workspace, review, proposals, exports, jobs, errors, dialogs
    offenders = {
        f"{path.name}: {name}"
        for path in files
        for name in imported_modules(path)
        if name.startswith(WIDGET_MODULES)
    }
    assert offenders == set()
