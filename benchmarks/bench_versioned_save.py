"""What the record versions and the lease cost: one autosave, one approval, one lease.

Usage: python benchmarks/bench_versioned_save.py [--repeat 40] [--size 1024]

Prints median milliseconds, ours against the path before versions, in the same run and folder:
* autosave before: encode the PNG and replace the file (the database was written only when the
  lesion count changed); ours: the same inside one versioned transaction (check, file, row, commit);
* approve before: mask file, then the row in its own transaction; ours: both in one transaction;
* lease: acquire + release of the writer's lease (once per open and close of a folder).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from meddisseg_core.atomic import atomic_write_bytes
from meddisseg_studio.state import codec
from meddisseg_studio.state.lease import Lease
from meddisseg_studio.state.model import ImageEntry, ReviewStatus
from meddisseg_studio.state.store import StateStore


def _median_ms(work: Callable[[int], object], repeat: int) -> float:
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        work(i)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--size", type=int, default=1024)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    masks = [np.zeros((args.size, args.size), np.uint8) for _ in range(4)]
    for mask in masks:  # a few blobs, like a lesion being painted
        y, x = rng.integers(0, args.size // 2, 2)
        mask[y : y + args.size // 4, x : x + args.size // 3] = 1
    with tempfile.TemporaryDirectory(prefix="bench-versions-") as tmp:
        state = Path(tmp) / "state"
        state.mkdir()
        store = StateStore(state)
        entry = ImageEntry(key="a.png", path=Path(tmp) / "a.png")
        path = store.mask_path("a.png")
        path.parent.mkdir(parents=True, exist_ok=True)

        def autosave_before(i: int) -> None:
            atomic_write_bytes(path, codec.encode_mask_png(masks[i % 4]))

        def autosave_ours(i: int) -> None:
            store.commit(entry, mask=masks[i % 4], columns=("lesions", "lesion_min_area"))

        def approve_before(i: int) -> None:
            atomic_write_bytes(path, codec.encode_mask_png(masks[i % 4]))
            entry.status = ReviewStatus.APPROVED
            store.commit(entry)  # the row alone (the old save_entry, plus the version check)

        def approve_ours(i: int) -> None:
            entry.status = ReviewStatus.APPROVED
            store.commit(entry, mask=masks[i % 4])

        def lease(i: int) -> None:
            Lease.acquire(state).release()

        rows = [
            ("autosave", _median_ms(autosave_before, args.repeat), _median_ms(autosave_ours, args.repeat)),
            ("approve", _median_ms(approve_before, args.repeat), _median_ms(approve_ours, args.repeat)),
            ("lease acquire+release", 0.0, _median_ms(lease, args.repeat)),
        ]
        store.close()
    print(f"mask {args.size}x{args.size}, median of {args.repeat}, milliseconds")
    print(f"{'operation':<24}{'before':>10}{'ours':>10}")
    for name, before, ours in rows:
        print(f"{name:<24}{before:>10.2f}{ours:>10.2f}" if before else f"{name:<24}{'-':>10}{ours:>10.2f}")


if __name__ == "__main__":
    main()
