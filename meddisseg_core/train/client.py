"""Run ``meddisseg train`` as a separate OS process and follow its JSON-lines events.

This is the client side of the job protocol in docs/EVENTS.md, for the app's fine-tuning jobs (and
any other front end). It has no Qt in it: a GUI polls :meth:`TrainingProcess.poll` from a timer.

- The job runs in its own process group (a new session), so stopping it ends the whole tree:
  DataLoader workers and torchrun children included.
- :meth:`TrainingProcess.cancel` asks politely first (the cancel file: the trainer stops within one
  batch and leaves a resumable checkpoint), and :meth:`TrainingProcess.kill_tree` is the last resort.
- :class:`EventReader` tails the events file incrementally and tolerates a half-written last line
  (the trainer flushes whole lines, but a reader can race it).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from meddisseg_core.errors import TrainingError
from meddisseg_core.frozen import cli_command
from meddisseg_core.train.events import PROTOCOL_VERSION

TERMINAL_EVENTS = frozenset({"finished", "failed", "cancelled"})


class EventReader:
    """Incremental reader of a JSON-lines events file; returns only complete, valid lines."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._offset = 0
        self._pending = b""

    def read_new(self) -> list[dict[str, Any]]:
        try:
            with self.path.open("rb") as stream:
                stream.seek(self._offset)
                chunk = stream.read()
        except FileNotFoundError:
            return []
        self._offset += len(chunk)
        data = self._pending + chunk
        *lines, self._pending = data.split(b"\n")
        events = []
        for raw in lines:
            if not raw.strip():
                continue
            try:
                event = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise TrainingError(f"{self.path}: not a JSON event line ({exc}): {raw[:120]!r}") from exc
            version = event.get("v") if isinstance(event, dict) else None
            if not isinstance(version, int) or version > PROTOCOL_VERSION:
                raise TrainingError(
                    f"{self.path}: event protocol version {version!r} is not supported "
                    f"(this client reads up to {PROTOCOL_VERSION})"
                )
            events.append(event)
        return events


class TrainingProcess:
    """One ``meddisseg train`` run in its own process group.

    ``train_args`` are the subcommand's arguments without ``--events`` / ``--cancel-file`` /
    ``--out``, which this class sets (both files live in ``out_dir``). ``python`` runs
    ``python -m meddisseg_core``; by default the CLI is found by :func:`meddisseg_core.frozen.cli_command`
    (this interpreter, or the ``meddisseg`` program beside a frozen bundle's own).
    """

    def __init__(
        self,
        train_args: Sequence[str],
        out_dir: Path,
        *,
        python: str | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.out_dir = Path(out_dir)
        self.events_path = self.out_dir / "events.jsonl"
        self.cancel_path = self.out_dir / "CANCEL"
        self.log_path = self.out_dir / "train.log"
        self.command = [
            *(cli_command() if python is None else [python, "-m", "meddisseg_core"]),
            "train",
            *train_args,
            "--out",
            str(self.out_dir),
            "--events",
            str(self.events_path),
            "--cancel-file",
            str(self.cancel_path),
        ]
        self._env = env
        self._process: subprocess.Popen[bytes] | None = None
        self._reader = EventReader(self.events_path)
        self.events: list[dict[str, Any]] = []

    def start(self) -> None:
        if self._process is not None:
            raise TrainingError(f"job in {self.out_dir} was already started")
        self.out_dir.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            self.cancel_path.unlink()  # a stale cancel request must not stop the new run
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self._env,
                start_new_session=os.name == "posix",  # own process group: kill_tree reaches all of it
            )

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def returncode(self) -> int | None:
        return None if self._process is None else self._process.poll()

    def poll(self) -> list[dict[str, Any]]:
        """New events since the last call (also kept in ``self.events``)."""
        new = self._reader.read_new()
        self.events.extend(new)
        return new

    @property
    def terminal_event(self) -> dict[str, Any] | None:
        for event in reversed(self.events):
            if event.get("type") in TERMINAL_EVENTS:
                return event
        return None

    def cancel(self) -> None:
        """Ask the job to stop after the current batch (it keeps a resumable checkpoint)."""
        self.cancel_path.parent.mkdir(parents=True, exist_ok=True)
        self.cancel_path.touch()

    def wait(self, timeout: float | None = None) -> int:
        if self._process is None:
            raise TrainingError("the job was never started")
        code = self._process.wait(timeout)
        self.poll()
        return code

    def kill_tree(self, grace_s: float = 5.0) -> int:
        """SIGTERM the whole process group, then SIGKILL what is left after ``grace_s``."""
        if self._process is None:
            raise TrainingError("the job was never started")
        if os.name != "posix":
            self._process.kill()
            return self.wait()
        pgid = self._process.pid  # a session leader's pid is its group id
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline and _group_alive(pgid):
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        return self.wait()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
