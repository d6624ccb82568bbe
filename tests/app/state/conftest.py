"""Small synthetic project folders for the state tests."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest


def write_image(path: Path, array: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    ok, buffer = cv2.imencode(path.suffix, array)
    assert ok
    path.write_bytes(buffer.tobytes())
    return path


@pytest.fixture
def flat_folder(tmp_path: Path) -> Path:
    """Three small images of different kinds in a plain folder."""
    folder = tmp_path / "images"
    rng = np.random.default_rng(0)
    write_image(folder / "a.png", rng.integers(0, 255, (24, 32, 3), dtype=np.uint8))
    write_image(folder / "b.JPG", rng.integers(0, 255, (20, 28, 3), dtype=np.uint8))
    write_image(folder / "c.png", rng.integers(0, 255, (16, 16), dtype=np.uint8))
    return folder


@pytest.fixture
def authors_folder(tmp_path: Path) -> Path:
    """The authors' layout: images/ and masks/ with the same file names."""
    root = tmp_path / "dataset"
    rng = np.random.default_rng(1)
    for name in ("x1.png", "x2.png", "x3.png"):
        write_image(root / "images" / name, rng.integers(0, 255, (20, 24, 3), dtype=np.uint8))
    label = np.zeros((20, 24), np.uint8)
    label[5:10, 6:12] = 255
    write_image(root / "masks" / "x1.png", label)
    return root


@pytest.fixture
def image_writer():
    """The helper that writes an array as an image file (by suffix)."""
    return write_image


class LeaseChild:
    """Another copy of the studio in a real process (``lease_child.py``), driven line by line."""

    def __init__(self, folder: Path, state: Path) -> None:
        import subprocess
        import sys

        script = Path(__file__).with_name("lease_child.py")
        self.process = subprocess.Popen(
            [sys.executable, str(script), str(folder), str(state)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = self.read()
        assert ready["ready"]
        self.pid: int = ready["pid"]

    def read(self) -> dict:
        import json

        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the lease child died"
        return json.loads(line)

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def ask(self, command: str) -> dict:
        self.send(command)
        return self.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=60)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def lease_child():
    """``start(folder, state) -> LeaseChild``; every child still running is killed at the end."""
    children: list[LeaseChild] = []

    def start(folder: Path, state: Path) -> LeaseChild:
        child = LeaseChild(folder, state)
        children.append(child)
        return child

    yield start
    for child in children:
        child.stop()
