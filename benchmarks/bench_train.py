"""Training-step throughput and peak memory: plain fp32 eager vs ours (bf16 autocast + channels_last).

One step = the full objective of the stage (stage 1: clean + colour-augmented forward,
consistency, two dispersive terms; stage 2: mask/fg/bg DiceBCE with adaptive betas,
complementary loss, dispersive term), backward, non-finite checks and an Adam step, exactly as
the trainer runs it. Inputs are synthetic (random images, blob masks), so no dataset is needed.

* ``fp32``: eager fp32, contiguous NCHW (what the authors' scripts do).
* ``ours``: bf16 autocast + channels_last on CUDA (losses in fp32 on outputs cast to float).
  On a CPU "ours" equals fp32 (autocast and channels_last are CUDA-only in the trainer), so only
  fp32 is measured there.

Usage:
  python benchmarks/bench_train.py                  # paper networks, bs 8, 256x256, both stages
  python benchmarks/bench_train.py --quick          # tiny network, 64x64, a few steps (CPU smoke)
  python benchmarks/bench_train.py --json out.json  # also write the numbers
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from meddisseg_core.losses import DispersiveConfig
from meddisseg_core.nn import NetworkConfig, build_network
from meddisseg_core.train.config import resolve_config
from meddisseg_core.train.setup import make_optimizer
from meddisseg_core.train.steps import stage1_step, stage2_step


def _batch(n: int, size: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    x = torch.rand(n, 3, size, size, generator=g)
    yy, xx = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    centre = torch.rand(n, 2, generator=g) * size
    radius = size * (0.15 + 0.2 * torch.rand(n, generator=g))
    dist = ((yy[None] - centre[:, 0, None, None]) ** 2 + (xx[None] - centre[:, 1, None, None]) ** 2).sqrt()
    y = (dist < radius[:, None, None]).float().unsqueeze(1)
    return x.to(device), y.to(device), (1 - y).to(device)


def measure(stage: int, mode: str, args: argparse.Namespace, device: torch.device) -> dict[str, float | str]:
    net_cfg = NetworkConfig.tiny(stage) if args.quick else NetworkConfig.paper(stage)
    torch.manual_seed(0)
    network = build_network(net_cfg).to(device)
    bf16 = mode == "ours" and device.type == "cuda"
    channels_last = mode == "ours" and device.type == "cuda"
    if channels_last:
        network = network.to(memory_format=torch.channels_last)
    network.train()
    optimizer = make_optimizer(network, resolve_config(overrides={"stage": stage}))
    dispersive = DispersiveConfig()
    weight = dispersive.weight_for(stage)
    x, y, y_bg = _batch(args.batch_size, args.size, device)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    generator = torch.Generator().manual_seed(1)

    def step() -> None:
        if stage == 1:
            out = stage1_step(network, x, y, dispersive, weight, generator, bf16=bf16)
        else:
            out = stage2_step(network, x, y, y_bg, dispersive, weight, bf16=bf16)
        optimizer.zero_grad(set_to_none=True)
        assert out.loss is not None and torch.isfinite(out.loss.total)
        out.loss.total.backward()
        optimizer.step()

    for _ in range(args.warmup):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    elapsed = time.perf_counter() - start
    if device.type == "cuda":
        peak = torch.cuda.max_memory_allocated() / 2**20
        peak_kind = "cuda max_memory_allocated"
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux -> MiB
        peak_kind = "process max RSS"
    return {
        "stage": stage,
        "mode": mode,
        "images_per_s": args.batch_size * args.steps / elapsed,
        "ms_per_step": 1000 * elapsed / args.steps,
        "peak_mib": peak,
        "peak_kind": peak_kind,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="tiny network, 64x64, 3 steps (CPU smoke test)")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--stage", choices=("1", "2", "both"), default="both")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--size", type=int, default=None, help="square input side (default 256; quick 64)")
    parser.add_argument("--steps", type=int, default=None, help="timed steps (default 20; quick 3)")
    parser.add_argument("--warmup", type=int, default=None, help="untimed steps first (default 5; quick 1)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's choice)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    args.size = args.size or (64 if args.quick else 256)
    args.steps = args.steps or (3 if args.quick else 20)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.quick else 5)
    device = torch.device(
        "cuda"
        if args.device == "auto" and torch.cuda.is_available()
        else ("cpu" if args.device == "auto" else args.device)
    )
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    modes = ("fp32", "ours") if device.type == "cuda" else ("fp32",)
    stages = (1, 2) if args.stage == "both" else (int(args.stage),)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or "cpu"
    print(
        f"device {device} ({name}), torch {torch.__version__}, threads {torch.get_num_threads()}, "
        f"{'tiny' if args.quick else 'paper'} network, bs {args.batch_size}, {args.size}x{args.size}, "
        f"{args.warmup} warm-up + {args.steps} timed steps"
    )
    results = []
    for stage in stages:
        for mode in modes:
            try:
                result = measure(stage, mode, args, device)
            except torch.cuda.OutOfMemoryError:
                result = {"stage": stage, "mode": mode, "error": "out of memory"}
                torch.cuda.empty_cache()
            results.append(result)
            if "error" in result:
                print(f"stage {stage} {mode:>4}: {result['error']}")
            else:
                print(
                    f"stage {stage} {mode:>4}: {result['images_per_s']:8.2f} images/s  "
                    f"{result['ms_per_step']:9.1f} ms/step  "
                    f"peak {result['peak_mib']:8.0f} MiB ({result['peak_kind']})"
                )
    if args.json:
        args.json.write_text(json.dumps({"device": str(device), "name": name, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
