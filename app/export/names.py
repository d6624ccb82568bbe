"""The file-name rule of exports: it lives in :mod:`meddisseg_core.names` (``meddisseg predict``
writes file names by the same rule, and the core never imports the app); re-exported here."""

from meddisseg_core.names import (
    NameAssignment,
    Renamed,
    assign_names,
    flat_name,
    name_problem,
    safe_name,
    unique_name,
)

__all__ = [
    "NameAssignment",
    "Renamed",
    "assign_names",
    "flat_name",
    "name_problem",
    "safe_name",
    "unique_name",
]
