"""Proposal jobs leave the GUI a core, give way to a fine-tuning run's claim, and restore torch's
thread setting afterwards."""

from __future__ import annotations

import torch

from meddisseg_studio.workers.threads import ThreadBudget, passive_openmp_wait, torch_threads


def test_inference_leaves_the_gui_a_core_and_yields_to_claims() -> None:
    budget = ThreadBudget(cores=8)
    assert budget.inference_threads() == 7
    release = budget.claim(3)  # a fine-tuning process started beside the app
    assert budget.inference_threads() == 4
    release()
    assert budget.inference_threads() == 7
    assert ThreadBudget(cores=2).inference_threads() == 1
    assert ThreadBudget(cores=1).inference_threads() == 1  # never zero
    assert ThreadBudget(cores=2).training_threads() == 1


def test_torch_threads_are_set_for_the_block_and_restored() -> None:
    before = torch.get_num_threads()
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    with torch_threads(None):  # None: torch's own setting, untouched
        assert torch.get_num_threads() == before


def test_passive_wait_is_a_default_the_user_can_override() -> None:
    env: dict[str, str] = {}
    passive_openmp_wait(env)
    assert env == {"OMP_WAIT_POLICY": "PASSIVE"}
    env = {"OMP_WAIT_POLICY": "ACTIVE"}
    passive_openmp_wait(env)
    assert env["OMP_WAIT_POLICY"] == "ACTIVE"
