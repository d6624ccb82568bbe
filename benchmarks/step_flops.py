"""Where a stage-2 training step spends its arithmetic: FLOPs per part of the network, at 256².

Counts the forward FLOPs per image of the paper network in training mode with torch's
FlopCounterMode (a training step's backward costs about twice its forward, part by part) and
prints them per top-level part (encoder, decouple layer, the three
auxiliary heads, the mask decoder). It runs on the CPU in seconds and guides the GPU profile of
issue 20 (`gpu_default_steps.py profile`): the auxiliary heads run up to full resolution, so a
part that only feeds a training loss may cost more than the encoder.

    python benchmarks/step_flops.py [--size 256] [--tiny]
"""

from __future__ import annotations

import argparse
import sys

import torch
from torch.utils.flop_counter import FlopCounterMode

from meddisseg_core.nn import NetworkConfig, build_network


def _flops(fn, *args) -> tuple[float, object]:
    with FlopCounterMode(display=False) as counter:
        out = fn(*args)
    return float(counter.get_total_flops()), out


@torch.no_grad()
def count(size: int, tiny: bool) -> dict[str, float]:
    """Forward FLOPs per part, each part run on its own input (the backward costs about twice)."""
    network = build_network(NetworkConfig.tiny(2) if tiny else NetworkConfig.paper(2)).train()
    x = torch.rand(2, 3, size, size)  # batch 2: BatchNorm in training mode needs more than one value
    totals: dict[str, float] = {}
    totals["encoder (ResNet50)"], feats = _flops(network.encoder, x)
    totals["decouple layer (fg, bg, uc)"], (f_fg, f_bg, f_uc) = _flops(network.decouple, feats[3])
    for label, branch, f in (
        ("auxiliary head fg (training only)", network.aux.branch_fg, f_fg),
        ("auxiliary head bg (training only)", network.aux.branch_bg, f_bg),
        ("auxiliary head uc", network.aux.branch_uc, f_uc),
    ):
        totals[label], _ = _flops(branch, f)
    totals["mask decoder (FEM, CDFA, decoders, output)"], _ = _flops(network._mask, feats, f_fg, f_bg)
    with FlopCounterMode(display=False) as counter:
        network(x, logits=True)
    totals["total"] = float(counter.get_total_flops())
    for name, ops in counter.get_flop_counts().items():  # the network's direct children
        parts = name.split(".")
        if (
            len(parts) == 2
            and parts[0] == type(network).__name__
            and parts[1] not in ("encoder", "decouple", "aux")
        ):
            totals[f"  of which {parts[1]}"] = float(sum(ops.values()))
    return {k: v / 2 for k, v in totals.items()}  # per image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--tiny", action="store_true", help="the tiny network (a quick check)")
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    totals = count(args.size, args.tiny)
    total = totals.pop("total")
    print(f"forward FLOPs per {args.size}² image ({'tiny' if args.tiny else 'paper'} network, training mode)")
    print("| part | GFLOP | share |")
    print("|---|---|---|")
    main_rows = {k: v for k, v in totals.items() if not k.startswith("  ")}
    for label, flops in sorted(main_rows.items(), key=lambda kv: -kv[1]):
        print(f"| {label} | {flops / 1e9:.1f} | {flops / total:.0%} |")
        if label.startswith("mask decoder"):
            detail = {k: v for k, v in totals.items() if k.startswith("  ")}
            for sub, sub_flops in sorted(detail.items(), key=lambda kv: -kv[1]):
                print(f"| {sub.strip()} | {sub_flops / 1e9:.1f} | {sub_flops / total:.0%} |")
    print(f"| total | {total / 1e9:.1f} | 100% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
