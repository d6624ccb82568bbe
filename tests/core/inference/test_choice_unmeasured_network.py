"""Networks other than the paper's (a tiny test network) stay in fp32: the rows were not measured on them."""

from __future__ import annotations

import torch

from meddisseg_core.inference.capability import Capability
from meddisseg_core.inference.choice import choose_runtime, network_kind
from meddisseg_core.nn import NetworkConfig

ZEN5 = Capability("cpu", "AMD EPYC", "avx512_bf16", "AVX512", frozenset({"avx512_bf16"}))


def test_tiny_network_stays_fp32() -> None:
    kind = network_kind(NetworkConfig.tiny(2))
    assert kind == "other" and network_kind(NetworkConfig.paper(2)) == "paper"
    choice = choose_runtime("auto", torch.device("cpu"), stage=2, network=kind, capability=ZEN5, env={})
    assert choice.precision == "fp32" and "only the paper networks" in choice.reason
