"""The keymap rules: each one renames keys that exist, and the renaming is reversible."""

from __future__ import annotations

import pytest
import torch

from meddisseg_core.nn import NetworkConfig, build_network
from meddisseg_core.nn.keymap import STAGE1_RULES, STAGE2_RULES, to_authors, to_ours

RULES = {1: STAGE1_RULES, 2: STAGE2_RULES}


def _our_keys(stage: int) -> list[str]:
    # The network's own module names, before the state-dict hook renames them.
    network = build_network(NetworkConfig.tiny(stage))
    return [name for name, _ in network.named_parameters()] + [name for name, _ in network.named_buffers()]


@pytest.mark.parametrize("stage", [1, 2])
def test_every_rule_renames_some_key_and_no_rule_is_dead(stage: int) -> None:
    keys = _our_keys(stage)
    for old, new in RULES[stage]:
        assert any(k.startswith(old) for k in keys), f"rule {old!r} -> {new!r} matches no module"


@pytest.mark.parametrize("stage", [1, 2])
def test_renaming_is_reversible_and_matches_the_state_dict(stage: int) -> None:
    keys = _our_keys(stage)
    authors = [to_authors(k, RULES[stage]) for k in keys]
    assert [to_ours(k, RULES[stage]) for k in authors] == keys
    with torch.no_grad():
        state = build_network(NetworkConfig.tiny(stage)).state_dict()
    assert set(authors) <= set(state)
