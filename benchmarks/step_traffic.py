"""Where a stage-2 training step moves its memory: bytes read and written per op, eager against fused.

A GPU step of the paper network at 256² is bound by memory traffic, not arithmetic (issue 20:
61 images/s on an H200 is ~37 TFLOP/s). This counts, on the meta device (no memory, no compute,
seconds on any CPU), the bytes every aten op of one training step (forward and backward, bf16
weights and activations, losses in fp32) reads and writes, grouped by op, and compares:

* ``eager``: the network as it trains without ``compile_regions``;
* ``fused (bound)``: the same step with the two compiled regions of
  ``meddisseg_core.nn.regions`` replaced by stand-ins that read their input once and write their
  output once, which is what a fused kernel moves at best. The compiled kernels move somewhat
  more (the CDFA backward re-reads its inputs per offset), so this is a lower bound;
* one region at a time, to show which matters.

Views (slice, view, select, detach, ...) move nothing and are not counted.

    python benchmarks/step_traffic.py [--batch 32] [--size 256] [--top 12]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import sys
from collections.abc import Iterator

import torch
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten

from meddisseg_core.nn import NetworkConfig, blocks, build_network, cdfa

VIEWS = {"view", "_unsafe_view", "slice", "select", "detach", "expand", "permute", "transpose", "t"}
VIEWS |= {"unsqueeze", "squeeze", "as_strided", "alias", "_reshape_alias", "unbind", "split"}


class _Bytes(TorchDispatchMode):
    """Sums the sizes of every op's tensor inputs and outputs, per op name."""

    def __init__(self) -> None:
        super().__init__()
        self.by_op: collections.Counter[str] = collections.Counter()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        name = func.__name__.split(".")[0]
        if name not in VIEWS:
            tensors = [t for t in tree_flatten((args, kwargs, out))[0] if isinstance(t, torch.Tensor)]
            self.by_op[name] += sum(t.numel() * t.element_size() for t in tensors)
        return out


def _one_pass_telu(x: torch.Tensor) -> torch.Tensor:
    return x * 1.0  # one read, one write: what a fused BatchNorm+TeLU adds after the BatchNorm


def _one_pass_mix(values: torch.Tensor, attn: torch.Tensor) -> torch.Tensor:
    return values * attn[:, :1, :1, :1].sum()  # reads the values and the attention, writes once


@contextlib.contextmanager
def _stand_ins(telu: bool, mix: bool) -> Iterator[None]:
    saved = blocks.telu_train, cdfa.aggregate
    if telu:
        blocks.telu_train = _one_pass_telu
    if mix:
        cdfa.aggregate = _one_pass_mix
    try:
        yield
    finally:
        blocks.telu_train, cdfa.aggregate = saved


def count(batch: int, size: int, telu: bool, mix: bool) -> collections.Counter[str]:
    """Bytes per op of one training step (forward, four logit losses, backward)."""
    network = build_network(NetworkConfig.paper(2)).to("meta").to(torch.bfloat16).train()
    x = torch.empty(batch, 3, size, size, device="meta", dtype=torch.bfloat16)
    y = torch.empty(batch, 1, size, size, device="meta")
    with _stand_ins(telu, mix), _Bytes() as counter:
        out = network(x, logits=True)
        maps = (out.mask, out.fg, out.bg, out.uncertainty)
        loss = sum(F.binary_cross_entropy_with_logits(m.float(), y) for m in maps)
        assert isinstance(loss, torch.Tensor)
        loss.backward()
    return counter.by_op


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args(argv)
    variants = {
        "eager": (False, False),
        "TeLU fused (bound)": (True, False),
        "CDFA mix fused (bound)": (False, True),
        "fused (bound)": (True, True),
    }
    results = {name: count(args.batch, args.size, *flags) for name, flags in variants.items()}
    eager_total = sum(results["eager"].values())
    print(f"Paper stage-2 training step, batch {args.batch} at {args.size}², bf16, on the meta device")
    print("| variant | GB per step | GB per image | eager ÷ variant |")
    print("|---|---|---|---|")
    for name, ops in results.items():
        total = sum(ops.values())
        print(f"| {name} | {total / 1e9:.1f} | {total / args.batch / 1e9:.2f} | {eager_total / total:.2f}x |")
    print()
    print(f"Eager, the top {args.top} ops by bytes moved:")
    print("| op | GB per step | share |")
    print("|---|---|---|")
    for op, value in results["eager"].most_common(args.top):
        print(f"| {op} | {value / 1e9:.1f} | {100 * value / eager_total:.1f} % |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
