"""Activation memory of one stage-2 training step, measured on the CPU, to size the GPU batch.

Usage: ``python benchmarks/gpu_activation_memory.py [--size 256]``

Counts the bytes autograd keeps for backward (distinct storages, via saved-tensor hooks) for one
256×256 image through the paper stage-2 network in train mode: with the plain TeLU composition
(the baseline, which keeps exp(x) and tanh(exp(x)) too) and with the training TeLU that keeps x
only (``meddisseg_core.nn.blocks.telu_train``). Both in fp32; the bf16-autocast figure on a GPU
is about half of the lean row plus the TeLU's fp32 internals for the plain one (see
configs/README.md). The batch of the GPU recipe is chosen from this.
"""

from __future__ import annotations

import argparse

import torch

from meddisseg_core.nn import NetworkConfig, blocks, build_network


def saved_bytes(size: int) -> int:
    network = build_network(NetworkConfig.paper(2)).train()
    storages: dict[int, int] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        storages[t.untyped_storage().data_ptr()] = t.untyped_storage().nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        network(torch.rand(1, 3, size, size))
    return sum(storages.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    args = parser.parse_args()
    torch.set_num_threads(2)
    lean = saved_bytes(args.size)
    original = blocks.telu_train
    blocks.telu_train = blocks.telu  # the plain composition: autograd keeps its intermediates
    try:
        plain = saved_bytes(args.size)
    finally:
        blocks.telu_train = original
    print(f"Saved activations of one {args.size}x{args.size} image, paper stage-2 network, train mode, fp32")
    print(f"{'TeLU':<40}{'GiB per image':>15}")
    print(f"{'plain x*tanh(exp(x)) (baseline)':<40}{plain / 2**30:>15.2f}")
    print(f"{'telu_train (keeps x only)':<40}{lean / 2**30:>15.2f}")


if __name__ == "__main__":
    main()
