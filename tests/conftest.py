"""Shared fixtures: the location of ../shared (reference data and Kvasir-SEG), read-only.

Locally, tests that need ../shared skip when it is missing, and the summary says how many and
why. Under CI (``CI`` set to true/1/yes) a missing ../shared fails the run at session start:
a green CI must never mean "the conformance, training, CLI and Kvasir tests did not run".
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Every skip for missing shared data starts with this, so the summary can count them.
SHARED_SKIP = "../shared is missing"
SHARED_ENV = "MEDDISSEG_SHARED"
ROOT = Path(__file__).resolve().parents[1]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def shared_candidates() -> list[Path]:
    """Where ../shared may be. An explicit MEDDISSEG_SHARED is the only candidate: if it names a
    folder that is not there, that is "not found", never a silent fall back to another copy."""
    env = os.environ.get(SHARED_ENV)
    if env:
        return [Path(env)]
    return [ROOT / ".." / "shared", ROOT / "shared"]


def find_shared() -> Path | None:
    for candidate in shared_candidates():
        if (candidate / "reference").is_dir():
            return candidate.resolve()
    return None


def kvasir_path(shared: Path) -> Path:
    return shared / "data" / "Kvasir-SEG"


def missing_shared_message() -> str | None:
    """Why the shared data is unusable, or None when the reference data and Kvasir-SEG are there."""
    shared = find_shared()
    tried = ", ".join(str(p) for p in shared_candidates())
    if shared is None:
        return f"{SHARED_SKIP}: no reference/ folder in {tried} (set {SHARED_ENV} to its location)"
    if not (kvasir_path(shared) / "images").is_dir():
        return f"{SHARED_SKIP}: {kvasir_path(shared) / 'images'} does not exist"
    return None


def require_shared(path: Path) -> Path:
    """``path`` inside ../shared, or skip (locally) / fail (CI) naming it."""
    if not path.exists():
        message = f"{SHARED_SKIP}: {path} does not exist"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


def pytest_sessionstart(session: pytest.Session) -> None:
    if not in_ci():
        return
    problem = missing_shared_message()
    if problem is not None:
        pytest.exit(
            f"CI=true and the reference data is unusable: {problem}. CI runs every test, including "
            "conformance, training, CLI and Kvasir-SEG ones; place shared/ beside the checkout.",
            returncode=3,
        )


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    reasons = []
    for report in skipped:
        longrepr = getattr(report, "longrepr", None)
        if isinstance(longrepr, tuple) and len(longrepr) == 3 and SHARED_SKIP in str(longrepr[2]):
            reasons.append(str(longrepr[2]))
    if reasons:
        first = reasons[0].split(SHARED_SKIP, 1)[1].lstrip(": ")
        terminalreporter.write_line(
            f"{len(reasons)} tests skipped because {SHARED_SKIP} ({first}). "
            "Under CI=true this fails the run.",
            yellow=True,
            bold=True,
        )


@pytest.fixture(scope="session", autouse=True)
def _user_folders(tmp_path_factory: pytest.TempPathFactory):
    """The app and CLI write per-user data (the model registry, logs): never the real user's."""
    if "MEDDISSEG_HOME" in os.environ:
        yield
        return
    os.environ["MEDDISSEG_HOME"] = str(tmp_path_factory.mktemp("meddisseg-home"))
    yield
    os.environ.pop("MEDDISSEG_HOME", None)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    found = find_shared()
    if found is None:
        message = missing_shared_message() or SHARED_SKIP
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def reference_dir(shared_dir: Path) -> Path:
    return shared_dir / "reference"


@pytest.fixture(scope="session")
def kvasir_dir(shared_dir: Path) -> Path:
    return require_shared(kvasir_path(shared_dir) / "images").parent


@pytest.fixture(scope="session")
def require_shared_file() -> Any:
    """The :func:`require_shared` rule for conftests below this one (skip locally, fail in CI)."""
    return require_shared


@pytest.fixture(autouse=True)
def _torch_threads_restored() -> Any:
    """A test or fixture that changes torch.set_num_threads must put it back (checked after each test)."""
    import sys

    torch = sys.modules.get("torch")
    before = torch.get_num_threads() if torch is not None else None
    yield
    if before is not None:
        assert torch.get_num_threads() == before, "torch.set_num_threads was changed and not restored"


@pytest.fixture(autouse=True)
def _user_name_forgotten() -> Any:
    """The user's display name (set by a window from Preferences) is process-wide: no test leaves
    one behind for the next (the audit log would record the wrong user)."""
    import sys

    yield
    identity = sys.modules.get("meddisseg_studio.state.identity")
    if identity is not None:
        identity.set_display_name(None)
