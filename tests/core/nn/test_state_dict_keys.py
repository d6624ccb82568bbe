"""The paper networks' state_dict equals the authors' tables: keys, order, shapes, dtypes."""

from __future__ import annotations

import pytest

from meddisseg_core.nn import NetworkConfig, build_network


def _shape_text(shape: tuple[int, ...]) -> str:
    return "x".join(str(s) for s in shape) if shape else "scalar"


@pytest.mark.parametrize("stage", [1, 2])
def test_state_dict_matches_authors_table(stage: int, state_tables: dict) -> None:
    state = build_network(NetworkConfig.paper(stage)).state_dict()
    ours = [(k, _shape_text(tuple(v.shape)), str(v.dtype).removeprefix("torch.")) for k, v in state.items()]
    assert ours == list(state_tables[stage])


@pytest.mark.parametrize("stage", [1, 2])
def test_authors_names_load_strictly(stage: int) -> None:
    source = build_network(NetworkConfig.tiny(stage))
    target = build_network(NetworkConfig.tiny(stage))
    state = source.state_dict()
    assert any(k.startswith("layer3.") for k in state)
    target.load_state_dict(state, strict=True)
    for key, value in target.state_dict().items():
        assert (value == state[key]).all(), key


def test_prefixed_state_dict_maps_only_its_own_keys() -> None:
    from torch import nn

    wrapper = nn.Module()
    wrapper.module = build_network(NetworkConfig.tiny(1))
    keys = list(wrapper.state_dict())
    assert "module.layer0.0.weight" in keys
    assert not any(k.startswith("module.encoder.") for k in keys)
