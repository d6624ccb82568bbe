"""Shared set-up for the provenance tests: p1 proposed again by a named model, then approved."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from meddisseg_studio.export.formats import get_format
from meddisseg_studio.state import Project, Proposal
from meddisseg_studio.state.audit import AuditRecord


def approve_p1(project: Project, *, model: str, model_id: str, model_sha256: str, user: str) -> AuditRecord:
    """Propose p1.png again as ``model`` (``model_id``, ``model_sha256``), approve it as ``user``;
    returns the approval's audit row."""
    prob = np.zeros((17, 23), np.float32)
    prob[3:9, 4:12] = 0.9
    project.save_proposal(
        "p1.png", Proposal(prob, model_id=model), model_id=model_id, model_sha256=model_sha256
    )
    project.user_name = user
    project.approve("p1.png")
    return project.history("p1.png")[-1]


def run_export(project: Project, name: str, dest: Path) -> Path:
    """Export every status in format ``name`` to ``dest``; the written path."""
    return get_format(name).run(project, dest, statuses=None, progress=None, should_cancel=None).dest
