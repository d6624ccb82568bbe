"""current_user(): the Preferences name if set, else MEDDISSEG_USER, else the OS user, and a
name even when getpass cannot find one."""

from __future__ import annotations

import getpass
from collections.abc import Iterator

import pytest

from meddisseg_studio.state import identity


@pytest.fixture(autouse=True)
def no_name_set(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(identity.ENV_USER, raising=False)
    identity.set_display_name(None)
    yield
    identity.set_display_name(None)


def test_order_of_the_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "jdoe")
    assert identity.current_user() == "jdoe"
    monkeypatch.setenv(identity.ENV_USER, "  ci   runner ")
    assert identity.current_user() == "ci runner"
    identity.set_display_name("  Dr A.\nSmith ")  # one line, spaces collapsed
    assert identity.current_user() == "Dr A. Smith"
    identity.set_display_name("   ")  # blank: back to the next source
    assert identity.current_user() == "ci runner"


def test_getpass_failure_still_gives_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    def fails() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", fails)
    name = identity.current_user()
    assert name and (name.startswith("uid ") or name == "unknown")
