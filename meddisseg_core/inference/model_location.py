"""Where the shipped default model lives.

Looked up, in order: the file named by the environment variable ``MEDDISSEG_MODEL`` (so IT can
point every installation at a site model); ``resources/models/default.safetensors`` inside the
installed package data; the same path in a frozen app bundle (PyInstaller's ``sys._MEIPASS``);
and the same path at the root of a source checkout, next to the package folder. The prompt
tools' learned refiner (``click_refiner.safetensors``, overridden by ``MEDDISSEG_REFINER``) is
looked up the same way.
"""

from __future__ import annotations

import contextlib
import os
import sys
from importlib import resources
from pathlib import Path

ENV_VAR = "MEDDISSEG_MODEL"
RELATIVE_PATH = Path("resources") / "models" / "default.safetensors"
REFINER_ENV_VAR = "MEDDISSEG_REFINER"
REFINER_RELATIVE_PATH = Path("resources") / "models" / "click_refiner.safetensors"


def candidate_paths() -> list[Path]:
    """Every place :func:`default_model_path` looks, in order (for error messages)."""
    return _candidates(RELATIVE_PATH, ENV_VAR)


def _candidates(relative: Path, env_var: str) -> list[Path]:
    candidates: list[Path] = []
    env = os.environ.get(env_var)
    if env:
        candidates.append(Path(env).expanduser())
    # A zipped or namespace install has no plain path for package data.
    with contextlib.suppress(ModuleNotFoundError, TypeError):
        candidates.append(Path(str(resources.files("meddisseg_core").joinpath(*relative.parts))))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / relative)
    candidates.append(Path(__file__).resolve().parents[2] / relative)
    return candidates


def default_model_path() -> Path | None:
    """The shipped default model, or None when no installation location holds one."""
    for candidate in candidate_paths():
        if candidate.is_file():
            return candidate
    return None


def refiner_model_path() -> Path | None:
    """The shipped click/box refiner, or None (the prompt tools then use their hand-made methods)."""
    for candidate in _candidates(REFINER_RELATIVE_PATH, REFINER_ENV_VAR):
        if candidate.is_file():
            return candidate
    return None
