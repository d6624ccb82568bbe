"""Inference speed of the Med-DisSeg networks: plain eager forward vs the ``infer`` fast path.

Usage: ``python benchmarks/bench_inference.py [--quick] [--repeats N] [--threads T]``

Prints one table per figure, with the machine named. Times are the median of N steady-state runs
after warm-up. Networks use PyTorch default initialisation (timing does not depend on the
values); the Dice column on GPU compares low-precision masks with the fp32 masks of the same
random network, so it is a consistency check, not an accuracy figure.

CPU rows: stage 1 and stage 2 at 256×256, batch 1, including ONNX Runtime running the model that
``meddisseg export-onnx`` writes (same network, same threads; skipped when onnx/onnxruntime are
not installed; the export itself is not timed), and the network run as the Predictor's "auto"
choice runs it on this machine (stage 1: fp32 in ONNX Runtime through ``OrtRunner``; stage 2:
bf16 on AVX512-BF16/AMX CPUs, fp32 PyTorch elsewhere). CUDA rows (only when a GPU is present):
stage-2 batch-16 throughput (fp32 vs autocast + channels_last), batch-1 latency, and the
steady-state peak memory at 1024×1024.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from meddisseg_core.nn import NetworkConfig, build_network
from meddisseg_core.nn import cdfa as cdfa_module


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def timed(fn: Callable[[], object], repeats: int, warmup: int, sync: Callable[[], None]) -> float:
    """Median wall time of ``fn`` over ``repeats`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed_alternating(fns: list[Callable[[], object]], repeats: int, warmup: int) -> list[float]:
    """Median wall time of each of ``fns``, run in turn, so that load changes hit all alike."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, spent in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


def table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def dice(a: torch.Tensor, b: torch.Tensor) -> float:
    pa, pb = a.float() > 0.5, b.float() > 0.5
    inter = (pa & pb).sum().item()
    total = pa.sum().item() + pb.sum().item()
    return 1.0 if total == 0 else 2.0 * inter / total


class unfold_cdfa:  # noqa: N801 - used as a context manager
    """Temporarily use the authors' literal unfold/fold CDFA formulation."""

    def __enter__(self) -> None:
        self._saved = cdfa_module.aggregate
        cdfa_module.aggregate = cdfa_module.aggregate_unfold

    def __exit__(self, *exc: object) -> None:
        cdfa_module.aggregate = self._saved


def onnx_runner(net: torch.nn.Module, x: torch.Tensor) -> tuple[Callable[[], object], str] | None:
    """(run the exported model in ONNX Runtime once, row label), or None without onnx/onnxruntime."""
    try:
        import onnx  # noqa: F401
        import onnxruntime
    except ImportError:
        return None
    from meddisseg_core.checkpoint import InputConvention, LoadedModel, ModelMetadata
    from meddisseg_core.onnx_export import INPUT_NAME, OUTPUT_NAME, export_onnx, onnx_session

    loaded = LoadedModel(net, ModelMetadata(network=net.config, input=InputConvention()), Path("bench"))
    with tempfile.TemporaryDirectory() as scratch:
        path = export_onnx(loaded, Path(scratch) / "model.onnx").model_path
        session = onnx_session(path, threads=torch.get_num_threads())
    rgb = np.ascontiguousarray(x.flip(1).numpy())  # the exported graph takes RGB
    feed = {INPUT_NAME: rgb}
    theirs = session.run([OUTPUT_NAME], feed)[0][:, 1:2]
    diff = float(np.abs(theirs - net.infer(x).mask.numpy()).max())
    label = f"onnxruntime {onnxruntime.__version__} (exported infer; max |Δp| vs ours {diff:.1e})"
    return (lambda: session.run([OUTPUT_NAME], feed)), label


def chosen_runner(net: torch.nn.Module, x: torch.Tensor) -> tuple[Callable[[], object], str]:
    """(run the network as the Predictor's "auto" choice runs it on this machine, row label)."""
    from meddisseg_core.inference.choice import choose_runtime, network_kind
    from meddisseg_core.inference.precision import autocast

    choice = choose_runtime(
        "auto", torch.device("cpu"), stage=net.config.stage, network=network_kind(net.config)
    )
    if choice.runtime == "onnxruntime":
        from meddisseg_core.inference.ort_backend import OrtRunner

        with tempfile.TemporaryDirectory() as scratch:  # the export cache, not the user's
            previous = os.environ.get("MEDDISSEG_HOME")
            os.environ["MEDDISSEG_HOME"] = scratch
            try:
                runner = OrtRunner(net, tuple(x.shape[-2:]))
            finally:
                if previous is None:
                    os.environ.pop("MEDDISSEG_HOME", None)
                else:
                    os.environ["MEDDISSEG_HOME"] = previous
        batch = x.numpy()
        label = (
            "ours, as auto chooses here: fp32 in ONNX Runtime "
            f"(checked at load, |Δp| {runner.max_difference:.0e})"
        )
        return (lambda: runner.run(batch)), label

    def run() -> object:
        with autocast(choice.precision, torch.device("cpu")):
            return net.infer(x)

    return run, f"ours, as auto chooses here: {choice.precision} in PyTorch"


def cpu_stage(stage: int, repeats: int, warmup: int) -> None:
    no_sync = lambda: None  # noqa: E731
    x = torch.rand(1, 3, 256, 256)
    net = build_network(NetworkConfig.paper(stage)).eval()
    rows = []
    with torch.no_grad():
        base = timed(lambda: net(x), repeats, warmup, no_sync)
        rows.append(("plain eager fp32 forward (baseline)", f"{base:.3f}"))
        if stage == 2:
            with unfold_cdfa():
                t = timed(lambda: net(x), repeats, warmup, no_sync)
            rows.append(("authors' formulation (unfold CDFA), eager fp32 forward", f"{t:.3f}"))
    ort = onnx_runner(net, x)
    chosen, chosen_label = chosen_runner(net, x)
    if ort is None:
        ours, mine = timed_alternating([lambda: net.infer(x), chosen], repeats, warmup)
        rows.append(("ours (infer fast path, fp32 PyTorch)", f"{ours:.3f}"))
        rows.append((chosen_label, f"{mine:.3f}"))
        rows.append(("onnxruntime (skipped: pip install 'meddisseg-studio[onnx]')", "-"))
    else:  # run in turn, so that the shared machine's load changes hit all alike
        ours, mine, theirs = timed_alternating([lambda: net.infer(x), chosen, ort[0]], repeats, warmup)
        rows.append(("ours (infer fast path, fp32 PyTorch)", f"{ours:.3f}"))
        rows.append((chosen_label, f"{mine:.3f}"))
        rows.append((ort[1], f"{theirs:.3f}"))
    rows = [(*r, f"{base / float(r[1]):.2f}x" if r[1] != "-" else "-") for r in rows]
    table(
        f"Stage-{stage}, 1 image 256x256, CPU: {cpu_name()} ({torch.get_num_threads()} threads), "
        f"median of {repeats}",
        ("variant", "seconds", "speed-up vs baseline"),
        rows,
    )
    if ort is not None:
        print(
            f"ours as chosen takes {mine / theirs:.2f}x ONNX Runtime's time "
            f"(the fp32 PyTorch fast path: {ours / theirs:.2f}x)"
        )


def cuda_tables(repeats: int, warmup: int, quick: bool) -> None:
    device = torch.device("cuda")
    name = torch.cuda.get_device_name(device)
    sync = torch.cuda.synchronize
    half = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    net = build_network(NetworkConfig.paper(2)).to(device).eval()

    def autocast() -> object:
        return torch.autocast("cuda", dtype=half)

    # Throughput at batch 16.
    batch = 4 if quick else 16
    x = torch.rand(batch, 3, 256, 256, device=device)
    with torch.no_grad():
        ref = net(x).mask
        base = timed(lambda: net(x), repeats, warmup, sync)
    ours_fp32 = timed(lambda: net.infer(x), repeats, warmup, sync)
    xcl = x.contiguous(memory_format=torch.channels_last)
    with autocast():
        low = net.infer(xcl).mask
        ours_low = timed(lambda: net.infer(xcl), repeats, warmup, sync)
    rows = [
        ("plain eager fp32 forward (baseline)", f"{batch / base:.1f}", "1.000"),
        ("ours (infer fast path), fp32", f"{batch / ours_fp32:.1f}", f"{dice(net.infer(x).mask, ref):.4f}"),
        (
            f"ours (infer fast path), {str(half)[6:]} autocast + channels_last",
            f"{batch / ours_low:.1f}",
            f"{dice(low, ref):.4f}",
        ),
    ]
    table(
        f"Stage-2 throughput, batch {batch} at 256x256, GPU: {name}, median of {repeats}",
        ("variant", "images/s", "Dice vs fp32 masks"),
        rows,
    )

    # Latency at batch 1.
    x1 = torch.rand(1, 3, 256, 256, device=device)
    with torch.no_grad():
        base = timed(lambda: net(x1), repeats, warmup, sync)
    with autocast():
        ours = timed(
            lambda: net.infer(x1.contiguous(memory_format=torch.channels_last)), repeats, warmup, sync
        )
    table(
        f"Stage-2 latency, 1 image 256x256, GPU: {name}, median of {repeats}",
        ("variant", "ms"),
        [
            ("plain eager fp32 forward (baseline)", f"{base * 1e3:.1f}"),
            (f"ours (infer fast path, {str(half)[6:]} autocast)", f"{ours * 1e3:.1f}"),
        ],
    )

    # Steady-state peak memory at 1024x1024 (after one warm-up pass, counters reset).
    big = torch.rand(1, 3, 1024, 1024, device=device)
    peaks = []
    for label, fn, ctx in (
        ("plain eager fp32 forward (baseline)", lambda: net(big), torch.no_grad),
        (f"ours (infer fast path, {str(half)[6:]} autocast)", lambda: net.infer(big), autocast),
    ):
        with ctx():
            fn()
            sync()
            torch.cuda.reset_peak_memory_stats(device)
            fn()
            sync()
        peaks.append((label, f"{torch.cuda.max_memory_allocated(device) / 2**30:.2f}"))
    table(f"Stage-2 steady peak memory, 1 image 1024x1024, GPU: {name}", ("variant", "GiB"), peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repeats (a smoke run)")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per row (median)")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (default: torch's)")
    parser.add_argument("--stages", default="1,2", help="CPU stages to time (default: 1,2)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    repeats = args.repeats or (2 if args.quick else 7)
    warmup = 1 if args.quick else 2
    print(f"torch {torch.__version__}; CPU: {cpu_name()}; {torch.get_num_threads()} threads")
    # Other processes on a small machine skew latency figures: report the load with them.
    print("load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for stage in (int(s) for s in args.stages.split(",")):
        cpu_stage(stage, repeats, warmup)
    print("load average (1, 5, 15 min) at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if torch.cuda.is_available():
        cuda_tables(repeats, warmup, args.quick)
    else:
        print("\nCUDA rows skipped: no CUDA device on this machine.")


if __name__ == "__main__":
    main()
