"""Child of test_kill_export: exports a reviewed project again and again until it is killed.

Usage: ``python export_child.py FOLDER STATE_DIR OUT_DIR FIRST_INDEX``. Alternates the authors'
layout (a folder) and COCO JSON (one file), each to a new destination ``OUT_DIR/<kind>-<n>``.
Prints ``ready``, then ``progress <n> <done>`` per image and ``exported <path>`` per finished export.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from meddisseg_studio.export import export_authors, export_coco
from meddisseg_studio.state import Project

folder, state_dir, out_dir, first = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


project = Project.open(folder, state_dir=state_dir, take_over="stale")  # the previous child was killed
say("ready")
for n in itertools.count(first):
    if n % 2:
        dest = export_coco(
            project, out_dir / f"coco-{n}.json", progress=lambda done, _t, n=n: say(f"progress {n} {done}")
        )
    else:
        dest = export_authors(
            project, out_dir / f"authors-{n}", progress=lambda done, _t, n=n: say(f"progress {n} {done}")
        )
    say(f"exported {dest}")
