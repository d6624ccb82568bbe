"""Time Project.open on a folder of N tiny generated image files (default 10,000).

Usage: python benchmarks/bench_open.py [--count 10000]
The files are not valid images on purpose: opening must not decode anything.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from meddisseg_studio.state import Project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-open-") as tmp:
        root = Path(tmp) / "dataset"
        (root / "images").mkdir(parents=True)
        (root / "masks").mkdir()
        for i in range(args.count):
            (root / "images" / f"img{i:06d}.jpg").write_bytes(b"x")
            (root / "masks" / f"img{i:06d}.jpg").write_bytes(b"x")
        for label, state in (("first open (creates state)", None), ("second open", None)):
            start = time.perf_counter()
            project = Project.open(root, state_dir=state)
            elapsed = time.perf_counter() - start
            print(f"{label}: {len(project.entries)} images in {elapsed:.3f} s")
            project.close()
        project = Project.open(root)
        with project.store._lock:  # one bulk transaction to fill the database for a realistic reopen
            project.store._conn.execute("BEGIN")
            project.store._conn.executemany(
                "INSERT OR REPLACE INTO entries (key, status) VALUES (?, 'rejected')",
                [(e.key,) for e in project.entries],
            )
            project.store._conn.execute("COMMIT")
        project.close()
        start = time.perf_counter()
        project = Project.open(root)
        elapsed = time.perf_counter() - start
        print(f"open with {len(project.entries)} database rows: {elapsed:.3f} s")
        project.close()


if __name__ == "__main__":
    main()
