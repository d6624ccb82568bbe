"""The writer's lease on a state folder: one copy of the studio writes a folder at a time.

SQLite's own locks are unreliable on network shares (SMB, NFS), and it holds none between
transactions, so the lease is a plain file, ``<state>/writer.lease``, created atomically: a fully
written and fsynced temp file is hard-linked into place (``link`` fails if the name exists, also
on NFSv2/v3, where ``O_EXCL`` was not atomic; the temp file's link count tells a retried link
that did succeed). A file system without hard links gets ``O_CREAT | O_EXCL``. The file is never
rewritten: it names the holder (user, host, pid, the process's start time, app version, start
time, a random token), and its mtime is the heartbeat, refreshed every :data:`HEARTBEAT_S`
seconds by a background thread. Ages are measured against the state folder's own clock (the
mtime of a file created there just now), so clock skew between two computers does not count.

A lease is stale when its holder is on this computer and its process is gone (or the pid now
belongs to another process: the start times differ, or the computer restarted), or when its
heartbeat is older than :data:`STALE_AFTER_S`. A stale lease is taken over only on request
(the app asks first) and race-free: takers serialise on ``writer.lease.takeover`` (created the
same atomic way), and one only replaces the lease it was asked about (same token, same mtime).
See docs/DESIGN.md, "Concurrency contract".
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Literal

from meddisseg_core.atomic import fsync_dir
from meddisseg_studio.state.errors import StateLeasedError, StateUnavailableError
from meddisseg_studio.state.identity import current_user as identity_user

LEASE_NAME = "writer.lease"
TAKEOVER_NAME = "writer.lease.takeover"
PREVIOUS_NAME = "writer.lease.previous"  # the lease a takeover replaced, kept for the record
HEARTBEAT_S = 30.0  # how often the holder refreshes the lease file's mtime
STALE_AFTER_S = 120.0  # a heartbeat older than this (by the folder's clock) counts as stopped
LEASE_FORMAT = 1
_log = logging.getLogger(__name__)


def current_user(name: str | None = None) -> str:
    """``name`` if given, else :func:`identity.current_user` (the Preferences name, else
    ``MEDDISSEG_USER``, else the OS user); never raises."""
    return name or identity_user()


def _read_first_line(path: str) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as stream:
            return stream.readline().strip()
    except OSError:
        return ""


def process_start(pid: int) -> str | None:
    """The start time of process ``pid`` (clock ticks since boot, Linux), None if it is not running.

    A zombie counts as not running. "" when it runs but this system does not say when it started.
    """
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stream:
            text = stream.read()
    except FileNotFoundError:
        return None
    except OSError:
        return "" if _pid_running(pid) else None
    fields = text[text.rfind(")") + 2 :].split()  # the command name may hold spaces and parentheses
    if not fields or fields[0] in ("Z", "X"):
        return None
    return fields[19] if len(fields) > 19 else ""


def _pid_running(pid: int) -> bool:
    if os.name != "posix":
        return True  # unknown: the heartbeat decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


@dataclass(frozen=True)
class Holder:
    """Who holds a lease, as written in the lease file, plus ``mtime_ns`` as the reader saw it."""

    user: str
    host: str
    pid: int
    process_start: str
    app_version: str
    started: float  # seconds since the epoch, by the holder's clock
    token: str
    machine_id: str = ""
    boot_id: str = ""
    format: int = LEASE_FORMAT
    mtime_ns: int | None = None  # not in the file: the heartbeat the reader saw

    @classmethod
    def for_this_process(cls, user: str | None = None, app_version: str | None = None) -> Holder:
        if app_version is None:
            from meddisseg_studio import __version__ as app_version
        return cls(
            user=current_user(user),
            host=socket.gethostname(),
            pid=os.getpid(),
            process_start=process_start(os.getpid()) or "",
            app_version=app_version,
            started=time.time(),
            token=secrets.token_hex(16),
            machine_id=_read_first_line("/etc/machine-id"),
            boot_id=_read_first_line("/proc/sys/kernel/random/boot_id"),
        )

    def to_bytes(self) -> bytes:
        fields = asdict(self)
        del fields["mtime_ns"]
        fields["started_text"] = self.since  # for a person reading the file
        return (json.dumps(fields, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    @classmethod
    def read(cls, path: Path) -> Holder:
        """The holder named in ``path``; FileNotFoundError when there is no lease file.

        A file that cannot be parsed (being written on a share without hard links, damaged) gives
        an ``unreadable`` holder, judged by the file's age alone. Unknown fields are ignored.
        """
        with open(path, "rb") as stream:
            data = stream.read()
            mtime_ns = os.fstat(stream.fileno()).st_mtime_ns
        try:
            raw = json.loads(data.decode("utf-8"))
            return cls(
                user=str(raw["user"]),
                host=str(raw["host"]),
                pid=int(raw["pid"]),
                process_start=str(raw.get("process_start", "")),
                app_version=str(raw.get("app_version", "")),
                started=float(raw["started"]),
                token=str(raw["token"]),
                machine_id=str(raw.get("machine_id", "")),
                boot_id=str(raw.get("boot_id", "")),
                format=int(raw.get("format", LEASE_FORMAT)),
                mtime_ns=mtime_ns,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return cls("unknown user", "", 0, "", "", mtime_ns / 1e9, "", mtime_ns=mtime_ns)

    @property
    def unreadable(self) -> bool:
        return not self.token

    @property
    def since(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(self.started))

    def describe(self) -> str:
        """``"<user> on <host> (process <pid>, Med-DisSeg Studio <version>) since <time>"``."""
        if self.unreadable:
            return f"an unknown copy (its lease file cannot be read) since {self.since}"
        version = f", Med-DisSeg Studio {self.app_version}" if self.app_version else ""
        return f"{self.user} on {self.host} (process {self.pid}{version}) since {self.since}"

    def is_this_process(self) -> bool:
        return self.host == socket.gethostname() and self.pid == os.getpid()


def folder_now_ns(state_dir: Path) -> int:
    """The state folder's clock now: the mtime of a file created there (the server's clock on NFS).

    Falls back to this computer's clock when nothing can be created there.
    """
    try:
        fd, name = _mkstemp(state_dir, ".clock-")
        try:
            return os.fstat(fd).st_mtime_ns
        finally:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(name)
    except OSError:
        return time.time_ns()


def _mkstemp(folder: Path, prefix: str) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    path = folder / f"{prefix}{secrets.token_hex(6)}.tmp"
    return os.open(path, flags, 0o644), path


def stale_reason(holder: Holder, state_dir: Path, stale_after_s: float | None = None) -> str | None:
    """Why the lease of ``holder`` counts as stale (its holder seems to have stopped), or None.

    An unreadable lease file is judged by its age alone.
    """
    stale_after_s = STALE_AFTER_S if stale_after_s is None else stale_after_s
    if not holder.unreadable and _same_machine(holder):
        if holder.boot_id and holder.boot_id != _read_first_line("/proc/sys/kernel/random/boot_id"):
            return "this computer has restarted since"
        start = process_start(holder.pid)
        if start is None:
            return f"process {holder.pid} is no longer running"
        if holder.process_start and start and start != holder.process_start:
            return f"process {holder.pid} is now another program (its number was reused)"
    if holder.mtime_ns is None:
        return None
    age = (folder_now_ns(state_dir) - holder.mtime_ns) / 1e9
    if age > stale_after_s:
        return f"no sign of life for {_duration(age)}"
    return None


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def _same_machine(holder: Holder) -> bool:
    if holder.host != socket.gethostname():
        return False
    mine = _read_first_line("/etc/machine-id")
    return not (holder.machine_id and mine and holder.machine_id != mine)


def _create_exclusive(path: Path, data: bytes) -> bool:
    """Create ``path`` holding ``data``, complete, only if no file of that name exists. True if we did."""
    fd, tmp = _mkstemp(path.parent, f".{path.name}.")
    try:
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # but see below: an NFS retry of a link that worked also says "exists"
        except OSError:  # no hard links on this file system (FAT, some SMB servers)
            return _create_with_o_excl(path, data)
        created = os.stat(tmp).st_nlink == 2
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    if created:
        fsync_dir(path.parent)
    return created


def _create_with_o_excl(path: Path, data: bytes) -> bool:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        return False
    try:
        os.write(fd, data)  # a reader may see it empty for a moment: it then reads as unreadable
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_dir(path.parent)
    return True


def _refusal(state_dir: Path, stale_after_s: float | None) -> StateLeasedError | None:
    """The error naming whoever holds the lease now; None if the lease file has just gone."""
    path = state_dir / LEASE_NAME
    try:
        holder = Holder.read(path)
    except FileNotFoundError:
        return None
    return StateLeasedError(path, holder, stale_reason(holder, state_dir, stale_after_s))


def _create(path: Path, data: bytes, stale_after_s: float | None) -> None:
    for _ in range(5):  # the holder may let go between our try and our look
        if _create_exclusive(path, data):
            return
        refusal = _refusal(path.parent, stale_after_s)
        if refusal is not None:
            raise refusal
    raise StateUnavailableError(path, "the lease file keeps appearing and vanishing")


class Lease:
    """This process's lease on one state folder (one per writable ``Project.open``).

    Build with :meth:`acquire`; :meth:`release` (or the end of the process) lets it go.
    ``lost`` says why the lease is no longer ours (taken over, removed), or None; ``on_lost(lost)``
    is then called once, on the heartbeat thread.
    """

    def __init__(self, state_dir: Path, holder: Holder, heartbeat_s: float) -> None:
        self.state_dir = state_dir
        self.path = state_dir / LEASE_NAME
        self.holder = holder
        self.heartbeat_s = heartbeat_s
        self.lost: str | None = None
        self.on_lost: Callable[[str], None] | None = None
        self.beats = 0
        self.beaten = threading.Event()  # set after every heartbeat (tests wait on it)
        self._stop = threading.Event()
        self._released = False
        self._thread = threading.Thread(target=self._run, name="meddisseg-lease", daemon=True)

    @classmethod
    def acquire(
        cls,
        state_dir: Path,
        *,
        user: str | None = None,
        take_over: Holder | Literal["stale"] | None = None,
        heartbeat_s: float | None = None,
        stale_after_s: float | None = None,
    ) -> Lease:
        """Take the lease of ``state_dir`` (which must exist and be writable).

        Raises StateLeasedError naming the holder when another open holds it (``stale_reason``
        set when it seems to have stopped). ``take_over``: the holder of such a stale lease, as
        that error gave it; its lease is replaced only if it is still that one and still stale.
        ``take_over="stale"``: whatever lease is stale now, without asking (a script restarting
        after its own crash); a live one still refuses.
        """
        holder = Holder.for_this_process(user)
        data = holder.to_bytes()
        path = state_dir / LEASE_NAME
        try:
            if isinstance(take_over, Holder):
                _take_over(state_dir, take_over, data, stale_after_s)
            else:
                try:
                    _create(path, data, stale_after_s)
                except StateLeasedError as refusal:
                    if take_over != "stale" or refusal.stale_reason is None or refusal.holder is None:
                        raise
                    _take_over(state_dir, refusal.holder, data, stale_after_s)
        except OSError as exc:
            reason = f"cannot create the lease file ({exc.strerror or exc})"
            raise StateUnavailableError(path, reason) from exc
        with contextlib.suppress(OSError):
            holder = replace(holder, mtime_ns=os.stat(path).st_mtime_ns)
        lease = cls(state_dir, holder, HEARTBEAT_S if heartbeat_s is None else heartbeat_s)
        _LIVE.add(lease)
        lease._thread.start()
        return lease

    def beat(self) -> bool:
        """Refresh the heartbeat if the lease is still ours; False (and ``lost`` set) if it is not."""
        try:
            current = Holder.read(self.path)
            if current.unreadable:  # being written by a taker on a share without hard links: look again
                return True
            if current.token != self.holder.token:
                self.lost = f"the folder was taken over: {current.describe()}"
                return False
            os.utime(self.path)  # no times given: the file server stamps its own clock (NFS)
        except FileNotFoundError:
            self.lost = f"{self.path} was removed"
            return False
        except OSError as exc:  # a network hiccup: try again at the next beat
            _log.warning("lease heartbeat of %s failed: %s", self.path, exc)
            return True
        self.beats += 1
        self.beaten.set()
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.heartbeat_s):
            if not self.beat():
                _log.warning("lease of %s lost: %s", self.state_dir, self.lost)
                if self.on_lost is not None and self.lost is not None:
                    try:
                        self.on_lost(self.lost)
                    except Exception:
                        _log.exception("lease-lost callback failed")
                return

    def release(self) -> None:
        """Stop the heartbeat and delete the lease file if it is still ours. Idempotent."""
        if self._released or os.getpid() != self.holder.pid:  # a forked child never lets go of ours
            return
        self._released = True
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        _LIVE.discard(self)
        if self.lost is not None:
            return
        try:
            current = Holder.read(self.path)
            if current.token == self.holder.token:
                os.unlink(self.path)
                fsync_dir(self.state_dir)
        except OSError as exc:
            _log.warning("could not remove the lease file %s: %s", self.path, exc)


def _take_over(state_dir: Path, expected: Holder, data: bytes, stale_after_s: float | None) -> None:
    """Replace the stale lease of ``expected`` by ours (``data``); StateLeasedError if that is not safe."""
    path = state_dir / LEASE_NAME
    mutex = state_dir / TAKEOVER_NAME
    if not _create_exclusive(mutex, data):
        _clear_dead_mutex(mutex, state_dir, stale_after_s)
        if not _create_exclusive(mutex, data):
            other = _read_or_none(mutex)
            raise StateLeasedError(path, other, None, taking_over=True)
    try:
        try:
            current = Holder.read(path)
        except FileNotFoundError:  # let go meanwhile: an ordinary open
            if _create_exclusive(path, data):
                return
            current = None
        refusal = _refusal(state_dir, stale_after_s)
        if refusal is None:  # let go and retaken, and let go again: do not guess, ask again
            raise StateLeasedError(path, None, None)
        if current is None or current.token != expected.token or current.mtime_ns != expected.mtime_ns:
            raise refusal  # taken over by someone else, or alive after all (a heartbeat): ask again
        if refusal.stale_reason is None:
            raise refusal
        os.replace(path, state_dir / PREVIOUS_NAME)
        if not _create_exclusive(path, data):  # an ordinary open got in between: it won
            raise _refusal(state_dir, stale_after_s) or StateLeasedError(path, None, None)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(mutex)


def _read_or_none(path: Path) -> Holder | None:
    try:
        return Holder.read(path)
    except FileNotFoundError:
        return None


def _clear_dead_mutex(mutex: Path, state_dir: Path, stale_after_s: float | None) -> None:
    """Remove a takeover mutex left by a taker that died mid-way (older than the stale age)."""
    stale_after_s = STALE_AFTER_S if stale_after_s is None else stale_after_s
    try:
        age = (folder_now_ns(state_dir) - os.stat(mutex).st_mtime_ns) / 1e9
        if age > stale_after_s:
            os.unlink(mutex)
    except OSError:
        pass


_LIVE: set[Lease] = set()


@atexit.register
def _release_all() -> None:
    for lease in list(_LIVE):
        lease.release()
