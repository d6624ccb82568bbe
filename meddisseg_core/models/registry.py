"""The model registry: every model the user has, and which one is current for each image folder.

Layout (in ``user_data_dir()/models``, so ``XDG_DATA_HOME`` or ``MEDDISSEG_HOME`` move it)::

    registry.json        the records, the current model per folder (with history for roll-back),
                         the global default, and the sha256 of each URL's first good download
    files/<id><suffix>   the model files the registry owns (copied in; never edited)
    registry.lock        serialises writers (the CLI and the app may both write)

Every change reloads the document under the lock, applies itself and writes it back atomically
(temp file, fsync, rename). A registry that cannot be read is moved aside with a message, never
rebuilt over: :attr:`ModelRegistry.notice` carries that message for the CLI or the app to show.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from meddisseg_core.atomic import atomic_write_text, atomic_writer
from meddisseg_core.errors import ConfigError
from meddisseg_core.models.errors import RegistryCorruptError, RegistryError
from meddisseg_core.models.record import (
    HeldOutMetrics,
    ModelRecord,
    Source,
    TrainedOn,
    file_sha256,
    record_from_dict,
    record_to_dict,
    slug,
)
from meddisseg_core.paths import user_data_dir

FORMAT = 1
_log = logging.getLogger(__name__)


def default_root() -> Path:
    return user_data_dir() / "models"


def folder_key(folder: Path | str) -> str:
    return str(Path(folder).expanduser().resolve())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _empty() -> dict[str, Any]:
    return {"format": FORMAT, "models": [], "current": {}, "default": None, "downloads": {}}


class ModelRegistry:
    """Records, files and current-model choices in one folder (see the module docstring)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()
        self.path = self.root / "registry.json"
        self.files_dir = self.root / "files"
        self.notice: str | None = None
        self._doc = self._load()

    # -- reading ----------------------------------------------------------------------------
    def _load(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _empty()
        except OSError as exc:
            raise RegistryError(f"{self.path}: cannot read the model registry ({exc.strerror})") from exc
        try:
            doc = json.loads(text)
            self._validate(doc)
            return doc
        except (ValueError, KeyError, TypeError, ConfigError) as exc:
            error = self._move_aside(str(exc).splitlines()[0][:200])
            self.notice = str(error)
            _log.error("%s", error)
            return _empty()

    def _validate(self, doc: Any) -> None:
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ValueError(f"unknown format {doc.get('format') if isinstance(doc, dict) else doc!r}")
        ids = [record_from_dict(r, f"{self.path} models[{i}]").id for i, r in enumerate(doc["models"])]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate model ids")
        if not isinstance(doc["current"], dict) or not isinstance(doc["downloads"], dict):
            raise ValueError("'current' and 'downloads' must be objects")
        for folder, history in doc["current"].items():
            if not isinstance(history, list) or not all(isinstance(i, str) for i in history):
                raise ValueError(f"current[{folder!r}] must be a list of ids")

    def _move_aside(self, reason: str) -> RegistryCorruptError:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"registry.corrupt-{stamp}.json")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"registry.corrupt-{stamp}-{n}.json")
        try:
            os.replace(self.path, target)
        except OSError:
            return RegistryCorruptError(self.path, None, reason)
        return RegistryCorruptError(self.path, target, reason)

    def reload(self) -> None:
        self._doc = self._load()

    def records(self) -> list[ModelRecord]:
        return [record_from_dict(r, str(self.path)) for r in self._doc["models"]]

    def find(self, model_id: str) -> ModelRecord | None:
        return next((r for r in self.records() if r.id == model_id), None)

    def get(self, model_id: str) -> ModelRecord:
        record = self.find(model_id)
        if record is None:
            known = ", ".join(r.id for r in self.records()) or "none"
            raise RegistryError(f"no model with id {model_id!r} in {self.path} (known: {known})")
        return record

    def path_of(self, record: ModelRecord) -> Path:
        path = Path(record.file)
        return path if path.is_absolute() else self.root / path

    def problem(self, record: ModelRecord) -> str | None:
        """Why the record's file cannot be used (cheap: existence and size), or None."""
        path = self.path_of(record)
        if not path.is_file():
            return f"{path}: file missing"
        if path.stat().st_size != record.size:
            return f"{path}: size {path.stat().st_size} differs from the recorded {record.size}"
        return None

    def history(self, folder: Path | str) -> list[str]:
        return list(self._doc["current"].get(folder_key(folder), []))

    @property
    def default_id(self) -> str | None:
        return self._doc.get("default")

    def current_id(self, folder: Path | str | None = None) -> str | None:
        """The folder's current model, else the global default, else None."""
        if folder is not None:
            history = self.history(folder)
            if history:
                return history[-1]
        return self.default_id

    def first_download_sha(self, url: str) -> str | None:
        entry = self._doc["downloads"].get(url)
        return entry.get("sha256") if isinstance(entry, dict) else None

    # -- writing ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _transaction(self) -> Iterator[dict[str, Any]]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "registry.lock").open("a+b") as lock:
            if os.name == "posix":
                import fcntl

                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            doc = self._load()  # another process may have written since we last read
            yield doc
            self._validate(doc)
            atomic_write_text(self.path, json.dumps(doc, indent=1, sort_keys=True) + "\n")
            self._doc = doc

    def add_file(
        self,
        path: Path | str,
        *,
        source: Source,
        name: str = "",
        id_hint: str = "",
        url: str = "",
        parent: str = "",
        trained_on: TrainedOn | None = None,
        metrics: HeldOutMetrics | None = None,
        notes: str = "",
    ) -> ModelRecord:
        """Check that ``path`` loads strictly, copy it in, and record it.

        The same file (by sha256) registered twice gives back the existing record, except for
        a fine-tuned model, which is always its own record (its parent and data differ).
        """
        from meddisseg_core.checkpoint import load_model  # heavy: only when a model is added

        path = Path(path)
        loaded = load_model(path)  # CheckpointError for anything that does not load strictly
        sha = file_sha256(path)
        if source != "fine-tuned":
            same = next((r for r in self.records() if r.sha256 == sha and r.source != "shipped"), None)
            if same is not None:
                return same
        suffix = ".safetensors" if path.suffix.lower() == ".safetensors" else ".pth"
        model_id = f"{slug(id_hint or name or path.stem)}-{sha[:8]}"
        if self.find(model_id) is not None:
            model_id = f"{model_id}-{datetime.now(UTC).strftime('%H%M%S')}"
        target = self.files_dir / f"{model_id}{suffix}"
        with path.open("rb") as src, atomic_writer(target) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        record = ModelRecord(
            id=model_id,
            name=name or loaded.metadata.name or path.stem,
            source=source,
            file=target.relative_to(self.root).as_posix(),
            sha256=sha,
            size=target.stat().st_size,
            network=loaded.metadata.network,
            input=loaded.metadata.input,
            created=_now(),
            url=url,
            parent=parent,
            trained_on=trained_on or TrainedOn(),
            metrics=metrics,
            notes=notes or loaded.metadata.notes,
        )
        try:
            with self._transaction() as doc:
                doc["models"].append(record_to_dict(record))
        except BaseException:
            with contextlib.suppress(OSError):
                target.unlink()
            raise
        return record

    def sync_shipped(self, path: Path | None) -> ModelRecord | None:
        """Make the installation's default model (if any) a "shipped" record; re-hash if it changed."""
        if path is None or not Path(path).is_file():
            return None
        path = Path(path).resolve()
        stat = path.stat()
        for record in self.records():
            unchanged = record.size == stat.st_size and record.file_mtime_ns == stat.st_mtime_ns
            if record.source == "shipped" and Path(record.file) == path and unchanged:
                return record
        from meddisseg_core.checkpoint import load_model

        metadata = load_model(path).metadata
        sha = file_sha256(path)
        record = ModelRecord(
            id=f"shipped-{sha[:8]}",
            name=metadata.name or "Shipped default",
            source="shipped",
            file=str(path),
            sha256=sha,
            size=stat.st_size,
            network=metadata.network,
            input=metadata.input,
            created=metadata.created or _now(),
            metrics=HeldOutMetrics(
                values=dict(metadata.metrics),
                folder=metadata.training_data,
                protocol=f"validation split of the training data ({metadata.split or 'see the model card'})",
            ),
            notes=metadata.notes,
            file_mtime_ns=stat.st_mtime_ns,
        )
        with self._transaction() as doc:
            # A reinstalled default replaces the stale record of the same path, and the same file
            # found at a new path (the app reinstalled elsewhere) replaces its record of the same id.
            doc["models"] = [
                r
                for r in doc["models"]
                if not (r["source"] == "shipped" and (Path(r["file"]) == path or r["id"] == record.id))
            ]
            doc["models"].append(record_to_dict(record))
        return record

    def set_current(self, folder: Path | str | None, model_id: str) -> None:
        """Make ``model_id`` current for ``folder`` (None: the global default)."""
        self.get(model_id)
        with self._transaction() as doc:
            if folder is None:
                doc["default"] = model_id
                return
            history = doc["current"].setdefault(folder_key(folder), [])
            if history and history[-1] == model_id:
                return
            history.append(model_id)
            del history[:-50]  # roll-back depth is bounded

    def rollback(self, folder: Path | str) -> str | None:
        """Go back to the folder's previous model; returns the new current id (None if none)."""
        key = folder_key(folder)
        with self._transaction() as doc:
            history = doc["current"].get(key, [])
            if len(history) < 2:
                raise RegistryError(f"{key}: there is no earlier model to roll back to")
            history.pop()
            return history[-1]

    def remove(self, model_id: str, *, force: bool = False) -> ModelRecord:
        record = self.get(model_id)
        if record.source == "shipped":
            raise RegistryError(f"{model_id} is the shipped default; it belongs to the installation")
        users = [f for f, h in self._doc["current"].items() if h and h[-1] == model_id]
        if self.default_id == model_id:
            users.append("(the default for other folders)")
        if users and not force:
            raise RegistryError(f"{model_id} is current for: {', '.join(users)}; use --force to remove it")
        with self._transaction() as doc:
            doc["models"] = [r for r in doc["models"] if r["id"] != model_id]
            for folder in list(doc["current"]):
                doc["current"][folder] = [i for i in doc["current"][folder] if i != model_id]
            if doc.get("default") == model_id:
                doc["default"] = None
        with contextlib.suppress(FileNotFoundError):
            self.path_of(record).unlink()
        return record

    def note_download(self, url: str, sha256: str) -> str | None:
        """Remember the first good download of ``url``; a warning if this one differs from it."""
        first = self.first_download_sha(url)
        if first is None:
            with self._transaction() as doc:
                doc["downloads"][url] = {"sha256": sha256, "first": _now()}
            return None
        if first != sha256:
            return (
                f"{url} now serves a different file than the first time (sha256 {sha256[:16]}… instead "
                f"of {first[:16]}…). Both are kept; check with the authors which one is intended."
            )
        return None
