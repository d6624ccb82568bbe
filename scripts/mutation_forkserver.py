"""A fork server that makes cosmic-ray's one-test-run-per-mutant affordable on a small machine.

cosmic-ray writes a mutant to disk and runs a test command. A fresh ``python -m pytest`` spends
most of its time importing torch, OpenCV, pytest and its plugins, none of which is mutated.
This server imports those once; for each request it forks, and the child runs ``pytest.main``,
which imports the project's (possibly mutated) modules from disk. The client is what cosmic-ray
runs; when cosmic-ray kills it on a timeout, the server kills the child too.

    python scripts/mutation_forkserver.py serve SOCKET      # in the folder holding the mutants
    python scripts/mutation_forkserver.py run SOCKET -- PYTEST_ARGS...
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import sys


def _preload() -> None:
    # Third-party only: nothing of meddisseg_core / meddisseg_studio may be imported here, or
    # the children would test the unmutated module.
    import cv2  # noqa: F401
    import numpy  # noqa: F401
    import pytest  # noqa: F401
    import safetensors.torch  # noqa: F401
    import torch  # noqa: F401

    for name in ("pycocotools.mask", "hypothesis", "pytestqt.plugin", "pytest_timeout", "PIL.Image"):
        with contextlib.suppress(ImportError):
            __import__(name)


def _child(args: list[str]) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.setsid()
    code = 3
    try:
        import pytest

        code = int(pytest.main(args))
    finally:
        os._exit(code)


def _serve_one(conn: socket.socket) -> None:
    request = json.loads(conn.makefile("rb").readline())
    pid = os.fork()
    if pid == 0:
        conn.close()
        _child(request["args"])
    code = None
    while code is None:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            break
        readable, _, _ = select.select([conn], [], [], 0.05)
        if readable and not conn.recv(1, socket.MSG_PEEK):
            # The client is gone (cosmic-ray's timeout): stop the test run with it.
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:  # before the child's setsid
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return
    conn.sendall(f"{code}\n".encode())


def serve(path: str) -> None:
    sys.dont_write_bytecode = True  # a mutant may have the same size and mtime second as the original
    _preload()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    while True:
        conn, _ = server.accept()
        with conn:
            _serve_one(conn)


def run(path: str, args: list[str]) -> int:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(path)
    client.sendall(json.dumps({"args": args}).encode() + b"\n")
    answer = client.makefile("rb").readline()
    return int(answer) if answer.strip() else 4


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "serve":
        serve(argv[1])
        return 0
    if len(argv) >= 3 and argv[0] == "run" and argv[2] == "--":
        return run(argv[1], argv[3:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
