"""Add up what the GPU call will send, before making it: it must stay under 64 MiB.

Usage: ``python benchmarks/gpu_preflight.py [--carry .gpu-pack ...] [--scratch]``

The device tool sends the tracked files, the untracked files git does not ignore, and the
carried (ignored) folders. For a continuation run (``--init resources/models/default.safetensors``)
the shipped model travels: its slot is counted at its size (at least MODEL_BUDGET when it is
absent). A run from scratch (``--scratch``) needs no model: the table then leaves the slot out
and says how to keep the file out of the sent tree (move it aside before the call, restore it
with ``git checkout`` after), which the bigger Kvasir-SEG + CVC-ClinicDB pack needs when the
model keeps its uncertainty head (issue 20). Prints one table; exits 1 if the total reaches
the limit.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

LIMIT = 64 * 2**20
MODEL_SLOT = Path("resources/models/default.safetensors")
MODEL_BUDGET = 45_000_000  # a packed stage-2 model with its uncertainty head (issue 20)


def _git_files(root: Path, *args: str) -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "-z", *args], cwd=root, capture_output=True, check=True
    ).stdout.decode("utf-8", "surrogateescape")
    return [root / name for name in out.split("\0") if name]


def _size(paths: list[Path]) -> int:
    return sum(p.stat().st_size for p in paths if p.is_file() and not p.is_symlink())


def rows(root: Path, carry: list[Path], *, scratch: bool = False) -> list[tuple[str, int]]:
    tracked = _git_files(root)
    untracked = _git_files(root, "--others", "--exclude-standard")
    slot = root / MODEL_SLOT
    slot_size = slot.stat().st_size if slot.is_file() else 0
    table = [
        (f"tracked files ({len(tracked)})", _size(tracked) - (slot_size if slot in tracked else 0)),
        (
            f"untracked, not ignored ({len(untracked)})",
            _size(untracked) - (slot_size if slot in untracked else 0),
        ),
    ]
    for folder in carry:
        files = [p for p in (root / folder).rglob("*") if p.is_file()]
        table.append((f"carried {folder}/ ({len(files)} files)", _size(files)))
    if scratch:
        table.append((f"model slot {MODEL_SLOT} (from scratch: moved aside, not sent)", 0))
    elif slot_size:
        table.append((f"model slot {MODEL_SLOT} (sent for --init)", slot_size))
    else:
        table.append((f"model slot {MODEL_SLOT} (absent: reserved at {MODEL_BUDGET:,})", MODEL_BUDGET))
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--carry", type=Path, action="append", default=None, help="carried folder (repeatable)"
    )
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--scratch", action="store_true", help="a run from scratch: the model is not sent")
    args = parser.parse_args(argv)
    carry = args.carry if args.carry is not None else [Path(".gpu-pack")]
    missing = [c for c in carry if not (args.root / c).is_dir()]
    if missing:
        print(
            f"error: carried folder missing: {', '.join(map(str, missing))} (build it first)", file=sys.stderr
        )
        return 1
    table = rows(args.root, carry, scratch=args.scratch)
    total = sum(size for _, size in table)
    width = max(len(label) for label, _ in table)
    print(f"{'what travels':<{width}}  {'bytes':>12}  {'MiB':>6}")
    for label, size in table:
        print(f"{label:<{width}}  {size:>12,}  {size / 2**20:>6.1f}")
    print(f"{'total':<{width}}  {total:>12,}  {total / 2**20:>6.1f}")
    margin = (LIMIT - total) / 2**20
    print(f"{'limit':<{width}}  {LIMIT:>12,}  {LIMIT / 2**20:>6.1f}   (margin {margin:.1f} MiB)")
    if args.scratch and (args.root / MODEL_SLOT).is_file():
        print(
            f"before the call: mv {MODEL_SLOT} /tmp/ (it must not travel); "
            f"after it: git checkout {MODEL_SLOT}"
        )
    if total >= LIMIT:
        print("error: over the device tool's 64 MiB working-tree limit", file=sys.stderr)
        if not args.scratch:
            print(
                "hint: from scratch (--scratch) the model stays here; or build a smaller pack",
                file=sys.stderr,
            )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
