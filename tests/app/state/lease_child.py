"""Child process of the lease tests: another copy of the studio opening a folder, driven by stdin.

Usage: ``python lease_child.py FOLDER STATE_DIR``. Prints ``{"ready": true, "pid": N}``, then
answers each command line with one JSON line:

* ``open``: ``Project.open`` for writing; ``{"opened": true}`` or ``{"refused": message,
  "stale": reason or null}`` (the refusal is kept for ``take``);
* ``take``: take over the lease the last refusal named (the user said "Take over");
* ``close``: close the project (lets go of the lease);
* ``exit``: end the process without closing anything (the lease goes at exit).
"""

from __future__ import annotations

import json
import os
import sys

from meddisseg_studio.state import Project
from meddisseg_studio.state.errors import StateLeasedError

folder, state_dir = sys.argv[1], sys.argv[2]
project: Project | None = None
refusal: StateLeasedError | None = None


def say(document: dict) -> None:
    print(json.dumps(document), flush=True)


say({"ready": True, "pid": os.getpid()})
for line in sys.stdin:
    command = line.strip()
    if command == "exit":
        sys.exit(0)
    if command == "close":
        assert project is not None
        project.close()
        project = None
        say({"closed": True})
        continue
    take_over = refusal.holder if command == "take" and refusal is not None else None
    try:
        project = Project.open(folder, state_dir=state_dir, take_over=take_over)
    except StateLeasedError as exc:
        refusal = exc
        say({"refused": str(exc), "stale": exc.stale_reason})
    else:
        say({"opened": True})
