"""The action boundary: every user command runs through ``guarded``.

Deliberate errors (``MedDisSegError``) become a clear message; save failures and damaged
state get their own recovery offers; anything unexpected is logged with its traceback and
reported, and the app keeps running.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from meddisseg_core.errors import MedDisSegError

log = logging.getLogger("meddisseg_studio")

F = TypeVar("F", bound=Callable[..., Any])


class ErrorSink(Protocol):
    def on_save_error(self, exc: Exception) -> None: ...
    def on_corrupt_state(self, exc: Exception) -> None: ...
    def on_error(self, title: str, text: str) -> None: ...


def _state_errors() -> tuple[type[Exception], type[Exception]]:
    from .state.errors import SaveError, StateCorruptError

    return SaveError, StateCorruptError


def report(sink: ErrorSink, exc: BaseException, what: str) -> None:
    """Route one exception to the sink's matching handler."""
    save_error, corrupt_error = _state_errors()
    if isinstance(exc, save_error):
        sink.on_save_error(exc)
    elif isinstance(exc, corrupt_error):
        sink.on_corrupt_state(exc)
    elif isinstance(exc, MedDisSegError):
        log.warning("%s: %s", what, exc)
        sink.on_error(f"Cannot {what}", str(exc))
    else:
        log.exception("unexpected error during %s", what, exc_info=exc)
        sink.on_error(
            "Unexpected error",
            f"{what} failed: {type(exc).__name__}: {exc}\n\n"
            "The details were written to the log; your saved work is unaffected.",
        )


def guarded(what: str) -> Callable[[F], F]:
    """Decorate a method of an ``ErrorSink``: exceptions are reported, never propagated."""

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def wrapper(self: ErrorSink, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except Exception as exc:
                report(self, exc, what)
                return None

        return wrapper  # type: ignore[return-value]

    return decorate
