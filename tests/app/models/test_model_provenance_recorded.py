"""Proposals made with a registry model record its registry id and file sha256 (as the registry
has them), and accepting a fine-tuned model is a row of the folder's log."""

from __future__ import annotations

import hashlib

from finetune_support import wait_model

from meddisseg_core.models import ModelRegistry
from meddisseg_studio.state import audit


def test_proposals_and_an_accepted_model_name_the_registry_record(qtbot, window, setup) -> None:
    project = window.workspace.project
    project.user_name = "Dr A. Smith"
    key = window.workspace.key
    window.proposals.propose_current()
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=60_000)
    (row,) = [r for r in project.history(key) if r.action == audit.PROPOSE]
    record = ModelRegistry().get(setup.base_id)
    assert row.details["model_id"] == setup.base_id
    assert row.details["model_sha256"] == record.sha256
    assert record.sha256 == hashlib.sha256(setup.base_file.read_bytes()).hexdigest()  # `sha256sum` agrees
    assert setup.base_id in row.details["model"]

    window.finetune.decide("new", record)  # as the before/after dialog's "Use the new model" does
    wait_model(qtbot, window)
    (accepted,) = [r for r in project.history(None) if r.action == audit.MODEL]
    assert (accepted.user, accepted.image) == ("Dr A. Smith", None)
    assert accepted.details["event"] == "accepted"
    assert (accepted.details["model_id"], accepted.details["model_sha256"]) == (record.id, record.sha256)
