"""``infer`` can be traced by ``torch.export`` (the dynamo ONNX exporter's first step).

Under tracing the fast path takes functional forms of the same maths, and the BN-folded copy is
built without storage pointers (fake tensors have none). Eager inference keeps its cached copy.
"""

import pytest
import torch

from meddisseg_core.nn import NetworkConfig, build_network
from meddisseg_core.nn.tracing import exporting


class _Infer(torch.nn.Module):
    def __init__(self, network: torch.nn.Module) -> None:
        super().__init__()
        self.network = network

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.network.infer(x).mask


def test_eager_code_is_not_exporting() -> None:
    assert not exporting()


@pytest.mark.slow  # torch.export takes about half a minute on the 2-core CI machine
def test_torch_export_of_infer_matches_eager() -> None:
    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(1)).eval()
    x = torch.rand(1, 3, 64, 64)
    eager = network.infer(x).mask
    cached = network._fused._copy
    program = torch.export.export(_Infer(network), (x,), strict=False)
    assert torch.allclose(program.module()(x), eager, atol=1e-6, rtol=0)
    assert network._fused._copy is cached  # the trace neither replaced nor polluted the cache
    assert torch.equal(network.infer(x).mask, eager)
