"""Short helper jobs in child processes (``meddisseg models estimate`` / ``finish-job``).

They load networks, so they never run in the GUI process: a QProcess runs them and reports
``done(exit_code, output)`` in the GUI thread.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import QObject, QProcess, Signal, Slot


class ChildCommand(QObject):
    """``python -m meddisseg_core ARGS`` with stdout and stderr merged; one run per object."""

    done = Signal(int, str)  # exit code (-1 when it crashed or was killed), output

    def __init__(self, args: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process = QProcess(self)
        self.process.setProgram(sys.executable)
        self.process.setArguments(["-m", "meddisseg_core", *args])
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._error)
        self._reported = False

    def start(self) -> None:
        self.process.start()

    def running(self) -> bool:
        return self.process.state() != QProcess.ProcessState.NotRunning

    def kill(self) -> None:
        if self.running():
            self.process.kill()
            self.process.waitForFinished(5000)

    def output(self) -> str:
        return bytes(self.process.readAll().data()).decode("utf-8", "replace")

    @Slot(int, QProcess.ExitStatus)
    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        if self._reported:
            return
        self._reported = True
        crashed = status != QProcess.ExitStatus.NormalExit
        self.done.emit(-1 if crashed else int(code), self.output())

    @Slot(QProcess.ProcessError)
    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and not self._reported:
            self._reported = True
            self.done.emit(-1, f"could not start {sys.executable}: {self.process.errorString()}")
