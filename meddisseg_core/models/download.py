"""Downloading checkpoints with progress, cancel and resume, and adding them to the registry.

The file is written to ``<name>.part`` in the cache (with a small ``.part.json`` noting the URL and
the server's validators), resumed with an HTTP Range request after a dropped connection or a
cancel, and renamed to its final name only after it loads strictly as a Med-DisSeg checkpoint.
An HTML page, a truncated file or wrong keys leave nothing behind. ``HTTPS_PROXY`` /
``HTTP_PROXY`` / ``NO_PROXY`` are honoured (urllib's environment proxies).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlparse

from meddisseg_core import __version__
from meddisseg_core.atomic import atomic_write_text
from meddisseg_core.errors import CancelledError, CheckpointError
from meddisseg_core.models.errors import DownloadError, DownloadInterruptedError
from meddisseg_core.models.record import ModelRecord
from meddisseg_core.models.registry import ModelRegistry
from meddisseg_core.paths import user_cache_dir

RELEASE = "https://github.com/xiaoquan-1/Med-DisSeg/releases/download/v1"
# Names `meddisseg models pull NAME` knows: the authors' released Kvasir-SEG models.
KNOWN_MODELS: dict[str, tuple[str, str]] = {
    "authors-stage2": (f"{RELEASE}/checkpoint2.pth", "Med-DisSeg stage 2, authors' Kvasir-SEG release"),
    "authors-stage1": (f"{RELEASE}/checkpoint1.pth", "Med-DisSeg stage 1, authors' Kvasir-SEG release"),
}
CHUNK = 64 * 1024


class DownloadProgress(NamedTuple):
    done: int
    total: int | None
    bytes_per_s: float


class PullResult(NamedTuple):
    record: ModelRecord
    warning: str | None  # set when the URL served a different file than the first time


ProgressFn = Callable[[DownloadProgress], None]
CancelFn = Callable[[], bool]


def resolve(name_or_url: str) -> tuple[str, str, str]:
    """(url, human name, id hint) of a known model name or a URL."""
    if name_or_url in KNOWN_MODELS:
        url, name = KNOWN_MODELS[name_or_url]
        return url, name, name_or_url
    parsed = urlparse(name_or_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise DownloadError(f"{name_or_url!r} is neither a known model ({', '.join(KNOWN_MODELS)}) nor a URL")
    stem = Path(parsed.path).name or "model"
    return name_or_url, stem, Path(stem).stem


def make_opener() -> urllib.request.OpenerDirector:
    """An opener that uses the proxies of the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)."""
    return urllib.request.build_opener(urllib.request.ProxyHandler(urllib.request.getproxies()))


def _offline_error(url: str, reason: object) -> DownloadError:
    host = urlparse(url).netloc
    return DownloadError(
        f"cannot reach {host} ({reason}). This computer may be offline, or a firewall may block it. "
        f"Download {url} by hand (e.g. in a browser) and use 'Load a file' "
        "(`meddisseg models import FILE`). Behind a proxy, set HTTPS_PROXY."
    )


def _looks_like_html(path: Path) -> bool:
    with path.open("rb") as stream:
        head = stream.read(1024).lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body"))


def plausible_start(filename: str, head: bytes) -> bool:
    """Whether ``head`` (the first bytes held) can begin the file a download of ``filename`` expects.

    ``.pth``: torch's zip format (``PK\\x03\\x04``) or a legacy pickle (``\\x80`` + protocol);
    ``.safetensors``: an 8-byte little-endian header length (under 100 MB) then ``{``. Any file: not a
    web page. A shorter ``head`` is judged on what it holds."""
    if not head:
        return True
    stripped = head.lstrip().lower()
    if stripped.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<")):
        return False
    suffix = Path(filename).suffix.lower()
    if suffix in (".pth", ".pt"):
        zip_magic = b"PK\x03\x04"
        return zip_magic.startswith(head[:4]) or (head[0] == 0x80 and (len(head) < 2 or 2 <= head[1] <= 5))
    if suffix == ".safetensors":
        if len(head) >= 8 and int.from_bytes(head[:8], "little") > 100 * 1024 * 1024:
            return False
        return len(head) < 9 or head[8:9] == b"{"
    return True


def _discard(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


class _Partial:
    """The ``.part`` file and what we know about the download it belongs to."""

    def __init__(self, folder: Path, filename: str, url: str) -> None:
        self.path = folder / f"{filename}.part"
        self.meta_path = folder / f"{filename}.part.json"
        self.url = url
        self.validator = ""
        meta = {}
        with contextlib.suppress(OSError, ValueError):
            meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
        if meta.get("url") != url:
            _discard(self.path)  # a part of another URL under the same name cannot be resumed
        elif not self._starts_well(filename):
            # An interrupted download of an error or login page: resuming it would fetch the rest of
            # the real file (182 MB once) only to refuse the result. Start again instead.
            _discard(self.path, self.meta_path)
        else:
            self.validator = str(meta.get("validator", ""))

    def _starts_well(self, filename: str) -> bool:
        try:
            with self.path.open("rb") as stream:
                head = stream.read(64)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        return plausible_start(filename, head)

    @property
    def size(self) -> int:
        return self.path.stat().st_size if self.path.is_file() else 0

    def remember(self, validator: str) -> None:
        self.validator = validator
        atomic_write_text(self.meta_path, json.dumps({"url": self.url, "validator": validator}))

    def discard(self) -> None:
        _discard(self.path, self.meta_path)


def _request(url: str, have: int, validator: str) -> urllib.request.Request:
    headers = {"User-Agent": f"meddisseg/{__version__}", "Accept-Encoding": "identity"}
    if have:
        headers["Range"] = f"bytes={have}-"
        if validator:
            headers["If-Range"] = validator  # a changed file comes back whole (200), not spliced
    return urllib.request.Request(url, headers=headers)


def _total_from(response: http.client.HTTPResponse, have: int) -> int | None:
    content_range = response.headers.get("Content-Range", "")
    if response.status == 206 and "/" in content_range:
        total = content_range.rsplit("/", 1)[1].strip()
        return int(total) if total.isdigit() else None
    length = response.headers.get("Content-Length")
    return int(length) + (have if response.status == 206 else 0) if length and length.isdigit() else None


def _fetch_once(
    url: str,
    part: _Partial,
    opener: urllib.request.OpenerDirector,
    timeout: float,
    progress: ProgressFn | None,
    should_cancel: CancelFn | None,
) -> int | None:
    """One HTTP request appending to the part file; returns the total size the server announced."""
    have = part.size
    try:
        response = opener.open(_request(url, have, part.validator), timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:
            return have  # we already hold every byte: verify what we have
        part.discard()
        raise DownloadError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise _offline_error(url, exc.reason) from exc
    except (TimeoutError, OSError) as exc:
        raise _offline_error(url, exc) from exc
    with response:
        if "text/html" in response.headers.get("Content-Type", "").lower():
            part.discard()
            raise DownloadError(
                f"{url}: the server sent a web page, not a checkpoint (a login or error page?). "
                "Check the URL, or download the file by hand and use 'Load a file'."
            )
        if response.status == 206:
            content_range = response.headers.get("Content-Range", "")
            first = content_range.removeprefix("bytes ").split("-")[0]
            if not first.isdigit() or int(first) != have:
                part.discard()
                raise DownloadError(f"{url}: the server resumed at {content_range!r}, not at byte {have}")
        else:
            have = 0  # the server sent the whole file (a changed file, or no Range support)
        total = _total_from(response, have)
        part.remember(response.headers.get("ETag") or response.headers.get("Last-Modified") or "")
        began, received = time.monotonic(), 0
        with part.path.open("r+b" if have else "wb") as stream:
            stream.seek(have)
            stream.truncate()
            while True:
                if should_cancel is not None and should_cancel():
                    raise CancelledError(
                        f"download of {url} cancelled; {have + received} bytes kept to resume"
                    )
                block = response.read(CHUNK)
                if not block:
                    break
                stream.write(block)
                received += len(block)
                if progress is not None:
                    speed = received / max(time.monotonic() - began, 1e-6)
                    progress(DownloadProgress(have + received, total, speed))
            stream.flush()
            os.fsync(stream.fileno())
    return total


def _verify(part: _Partial, final: Path, total: int | None, url: str) -> None:
    """Check the complete part file and rename it to ``final``; discard it when it is bad."""
    from meddisseg_core.checkpoint import load_model

    if total is not None and part.size != total:
        part.discard()
        raise DownloadError(f"{url}: got {part.size} bytes but the server announced {total}")
    if _looks_like_html(part.path):
        part.discard()
        raise DownloadError(f"{url}: the file is a web page, not a checkpoint")
    # load_model picks the format from the suffix, so it reads a hard link named like the result.
    probe = final.with_name(f".verify-{final.name}")
    _discard(probe)
    try:
        try:
            os.link(part.path, probe)
        except OSError:
            shutil.copyfile(part.path, probe)
        load_model(probe)
    except CheckpointError as exc:
        part.discard()
        raise DownloadError(
            f"{url}: the downloaded file is not a usable Med-DisSeg checkpoint ({exc}); nothing was kept"
        ) from exc
    finally:
        _discard(probe)
    os.replace(part.path, final)
    _discard(part.meta_path)


def download(
    url: str,
    folder: Path | None = None,
    *,
    progress: ProgressFn | None = None,
    should_cancel: CancelFn | None = None,
    timeout: float = 30.0,
    retries: int = 3,
    opener: urllib.request.OpenerDirector | None = None,
) -> Path:
    """Download ``url`` into ``folder`` (default: the user cache) and return the verified file.

    Raises :class:`DownloadError` (HTTP error, web page, bad checkpoint, offline; the message
    names the URL to fetch by hand), :class:`DownloadInterruptedError` (the connection kept
    dropping; run again to resume) and :class:`CancelledError` (the part file is kept to resume).
    """
    folder = Path(folder) if folder is not None else user_cache_dir() / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    filename = Path(urlparse(url).path).name or "model.pth"
    final = folder / filename
    part = _Partial(folder, filename, url)
    opener = opener or make_opener()
    for attempt in range(retries + 1):
        try:
            total = _fetch_once(url, part, opener, timeout, progress, should_cancel)
        except (http.client.IncompleteRead, ConnectionError, TimeoutError) as exc:
            if attempt == retries:
                raise DownloadInterruptedError(
                    f"{url}: the connection dropped {retries + 1} times ({exc}); {part.size} bytes are "
                    "kept and the next attempt resumes from there"
                ) from exc
            continue
        if total is None or part.size >= total:
            _verify(part, final, total, url)
            return final
        if attempt == retries:
            raise DownloadInterruptedError(
                f"{url}: the connection closed at {part.size} of {total} bytes; run again to resume"
            )
    raise AssertionError("unreachable")  # pragma: no cover


def pull(
    name_or_url: str,
    registry: ModelRegistry,
    *,
    folder: Path | None = None,
    progress: ProgressFn | None = None,
    should_cancel: CancelFn | None = None,
    timeout: float = 30.0,
) -> PullResult:
    """Download a known model or URL and register it ("downloaded", with its URL)."""
    url, name, hint = resolve(name_or_url)
    path = download(url, folder, progress=progress, should_cancel=should_cancel, timeout=timeout)
    try:
        record = registry.add_file(path, source="downloaded", name=name, id_hint=hint, url=url)
        warning = registry.note_download(url, record.sha256)
    finally:
        _discard(path)  # the registry keeps its own copy
    return PullResult(record, warning)


def discard_partial(url: str, folder: Path | None = None) -> None:
    """Forget a cancelled download (its part file) instead of resuming it later."""
    folder = Path(folder) if folder is not None else user_cache_dir() / "downloads"
    filename = Path(urlparse(url).path).name or "model.pth"
    _Partial(folder, filename, url).discard()
