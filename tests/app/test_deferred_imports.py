"""A deferred module is not run by `import` (nor by inspect's probing, as PySide6's import hook
does), runs once on first use or on finish(), and then answers like the real module."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from meddisseg_studio import deferred_imports


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "deferred_fake.py").write_text(
        "import os\nRUNS = int(os.environ.get('DEFERRED_FAKE_RUNS', '0')) + 1\n"
        "os.environ['DEFERRED_FAKE_RUNS'] = str(RUNS)\nVALUE = 41 + 1\n",
        encoding="utf-8",
    )
    sys.path.insert(0, str(tmp_path))
    yield "deferred_fake"
    sys.path.remove(str(tmp_path))
    sys.modules.pop("deferred_fake", None)
    deferred_imports._loaded.discard("deferred_fake")


def test_import_does_not_run_it(fake: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFERRED_FAKE_RUNS", "0")
    (stand_in,) = deferred_imports.defer((fake,))
    import deferred_fake

    assert deferred_fake is stand_in
    assert not hasattr(deferred_fake, "__wrapped__")  # inspect.unwrap's probe
    assert inspect.getsourcefile(deferred_fake).endswith("deferred_fake.py")
    assert not deferred_imports.is_loaded(deferred_fake)
    assert monkeypatch_runs() == 0

    assert deferred_fake.VALUE == 42  # first use runs it
    assert deferred_imports.is_loaded(deferred_fake) and monkeypatch_runs() == 1
    deferred_imports.finish([stand_in])  # already loaded: not run again
    assert monkeypatch_runs() == 1
    assert sys.modules[fake].VALUE == 42 and sys.modules[fake] is not stand_in


def test_finish_runs_it(fake: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFERRED_FAKE_RUNS", "0")
    modules = deferred_imports.defer((fake,))
    deferred_imports.finish(modules)
    assert monkeypatch_runs() == 1 and modules[0].__dict__["VALUE"] == 42


def test_already_imported_or_missing_is_left_alone() -> None:
    assert deferred_imports.defer(("os", "no_such_module_here")) == []
    assert "no_such_module_here" not in sys.modules


def monkeypatch_runs() -> int:
    import os

    return int(os.environ["DEFERRED_FAKE_RUNS"])
