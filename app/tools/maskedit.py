"""Where the tools get ``MaskEdit`` from.

``MaskEdit`` belongs to app-state (``meddisseg_studio.state.edits``). Until that module exists this
file provides a stand-in with the same contract (frozen dataclass ``MaskEdit(y0, x0, before, after)``
with uint8 patches) so the tools can be built and tested in parallel. Once the real module is present
it is always used, and a genuine import error inside it is not hidden.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

import numpy as np

if importlib.util.find_spec("meddisseg_studio.state.edits") is not None:
    from meddisseg_studio.state.edits import MaskEdit
else:  # pragma: no cover - only until app-state lands

    @dataclass(frozen=True)
    class MaskEdit:  # type: ignore[no-redef]
        """A rectangular patch diff: ``mask[y0:y0+h, x0:x0+w]`` goes from ``before`` to ``after``."""

        y0: int
        x0: int
        before: np.ndarray
        after: np.ndarray


__all__ = ["MaskEdit"]
