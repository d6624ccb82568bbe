"""Short helper jobs in child processes (``meddisseg models estimate`` / ``finish-job``).

They load networks, so they never run in the GUI process: a QProcess runs them and reports
``done(exit_code, output)`` in the GUI thread, and each line of output as it comes (``line``).
With ``new_session`` the child leads its own process group (POSIX), and :meth:`ChildCommand.kill`
ends the whole group: whatever the child started ends with it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Sequence

from PySide6.QtCore import QObject, QProcess, Signal, Slot


class ChildCommand(QObject):
    """``python -m meddisseg_core ARGS`` with stdout and stderr merged; one run per object."""

    done = Signal(int, str)  # exit code (-1 when it crashed or was killed), output
    line = Signal(str)  # each complete line of output, as it arrives

    def __init__(
        self,
        args: Sequence[str],
        parent: QObject | None = None,
        *,
        new_session: bool = False,
        python_args: Sequence[str] = ("-m", "meddisseg_core"),
    ) -> None:
        super().__init__(parent)
        self.process = QProcess(self)
        self.process.setProgram(sys.executable)
        self.process.setArguments([*python_args, *args])
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        self.new_session = new_session and os.name == "posix"
        if self.new_session:
            self.process.setUnixProcessParameters(QProcess.UnixProcessFlag.CreateNewSession)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._error)
        self.process.readyRead.connect(self._read)
        self._reported = False
        self._output: list[str] = []
        self._partial = ""

    def start(self) -> None:
        self.process.start()

    def running(self) -> bool:
        return self.process.state() != QProcess.ProcessState.NotRunning

    def pid(self) -> int | None:
        pid = int(self.process.processId())
        return pid or None

    def kill(self) -> None:
        """End the child now (with its process group when it has its own session)."""
        pid = self.pid()
        if self.new_session and pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)  # it leads its own session: its pid is the group id
        if self.running():
            self.process.kill()
            self.process.waitForFinished(5000)

    @Slot()
    def _read(self) -> None:
        text = self._partial + bytes(self.process.readAll().data()).decode("utf-8", "replace")
        *lines, self._partial = text.split("\n")
        for line in lines:
            self._output.append(line + "\n")
            self.line.emit(line)

    def output(self) -> str:
        self._read()
        return "".join(self._output) + self._partial

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
