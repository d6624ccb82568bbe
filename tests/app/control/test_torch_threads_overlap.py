"""A prompt and a proposal job overlap in time: torch's thread count is restored whichever ends first."""

from __future__ import annotations

import torch

from meddisseg_studio.workers.threads import torch_threads


def test_overlapping_blocks_restore_the_setting_from_before_the_first() -> None:
    original = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        proposals, prompt = torch_threads(1), torch_threads(1)
        proposals.__enter__()
        prompt.__enter__()  # starts while the proposal job runs
        proposals.__exit__(None, None, None)  # the job ends first
        assert torch.get_num_threads() == 1  # the prompt still runs with its budget
        prompt.__exit__(None, None, None)
        assert torch.get_num_threads() == 2  # not the 1 the prompt found when it started
    finally:
        torch.set_num_threads(original)
