"""Runs ``meddisseg-studio FOLDER`` in its own process and reports what the first show saw.

Usage: ``python startup_probe.py FOLDER REPORT.json``. An application-wide event filter notes,
when the main window is first shown, which heavy modules are already imported; the window then
closes itself and ``main()`` returns Qt's exit code, all written to REPORT.json. A process of its
own because quitting a QApplication leaves its event loop unusable for later tests.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

folder, report_path = sys.argv[1], Path(sys.argv[2])
report: dict[str, object] = {}


def _loaded(name: str) -> bool:
    from meddisseg_studio.deferred_imports import is_loaded

    module = sys.modules.get(name)
    return module is not None and is_loaded(module)


class FirstShow(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Show and isinstance(watched, QMainWindow) and "shown" not in report:
            report["shown"] = True
            report["torch_imported"] = "torch" in sys.modules
            report["pyqtgraph_imported"] = "pyqtgraph" in sys.modules
            report["numpy_loaded"] = _loaded("numpy")
            report["cv2_loaded"] = _loaded("cv2")
            QTimer.singleShot(0, lambda: self.inspect_and_close(watched))
        return False

    def inspect_and_close(self, window: QMainWindow, tries: int = 6000) -> None:
        if not window.proposals.loading and tries > 0:  # its start is queued just after the show
            QTimer.singleShot(10, lambda: self.inspect_and_close(window, tries - 1))
            return
        report["rows"] = window.image_list.model.rowCount()
        report["status"] = window.statusBar().currentMessage()
        report["device"] = window.device_label.text()
        window.close()


app = QApplication(sys.argv[:1])
probe = FirstShow()
app.installEventFilter(probe)

from meddisseg_studio.main import main  # noqa: E402 - after the filter, so it sees the first show

report["exit_code"] = main([folder])
report["torch_imported_at_exit"] = "torch" in sys.modules  # by the background loader
report["numpy_loaded_at_exit"] = _loaded("numpy")
report_path.write_text(json.dumps(report))
