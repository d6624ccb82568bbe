"""Screenshots of an X display (``xwd``), and whether a window has painted on it.

Used by packaging/verify.sh (the real window of the installed app under Xvfb must not be blank)
and packaging/bench_launch.py (launch to painted window). Runs with any Python that has numpy and
OpenCV (the build environment), never inside the app's own environment.

Usage: ``python packaging/screen.py wait-painted --display :99 [--timeout 180] [--out shot.png]``
prints the seconds until the screen showed a painted window and the picture's statistics.
"""

from __future__ import annotations

import argparse
import os
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np

MIN_COLOURS = 200  # a painted main window: icons, text, a sample image; a bare X root has 1 or 2
MIN_COVERED = 0.25  # part of the screen that is not the root's colour


def parse_xwd(data: bytes) -> np.ndarray:
    """An XWD file (TrueColor, 24 or 32 bits per pixel, as Xvfb serves) as H×W×3 RGB uint8."""
    fields = struct.unpack(">25I", data[:100])  # the header is big-endian whatever the pixels are
    header_size, width, height = fields[0], fields[4], fields[5]
    byte_order, bits_per_pixel, bytes_per_line = fields[7], fields[11], fields[12]
    masks, ncolours = fields[14:17], fields[19]
    if bits_per_pixel not in (24, 32):
        raise ValueError(f"unsupported XWD: {bits_per_pixel} bits per pixel")
    start = header_size + 12 * ncolours
    rows = np.frombuffer(data, np.uint8, count=bytes_per_line * height, offset=start).reshape(height, -1)
    step = bits_per_pixel // 8
    pixels = rows[:, : width * step].reshape(height, width, step).astype(np.uint32)
    order = range(step) if byte_order == 0 else reversed(range(step))  # 0: least significant byte first
    value = sum(pixels[..., i] << (8 * k) for k, i in enumerate(order))
    channels = []
    for mask in masks:
        shift = (mask & -mask).bit_length() - 1
        channels.append(((value & mask) >> shift).astype(np.uint8))
    return np.stack(channels, axis=2)


def grab(display: str) -> np.ndarray:
    result = subprocess.run(["xwd", "-root", "-silent", "-display", display], capture_output=True, check=True)
    return parse_xwd(result.stdout)


class Picture(NamedTuple):
    colours: int
    covered: float

    @property
    def painted(self) -> bool:
        return self.colours >= MIN_COLOURS and self.covered >= MIN_COVERED


def describe(rgb: np.ndarray) -> Picture:
    packed = (rgb[..., 0].astype(np.uint32) << 16) | (rgb[..., 1].astype(np.uint32) << 8) | rgb[..., 2]
    background = packed[-1, -1]  # the X root: windows open at the top left of a larger screen
    return Picture(len(np.unique(packed)), float(np.mean(packed != background)))


def wait_painted(
    display: str, timeout: float, interval: float = 0.1, pid: int | None = None
) -> tuple[float, np.ndarray, Picture]:
    """Seconds until the screen shows a painted window, its picture and statistics.

    Raises TimeoutError after ``timeout`` seconds, or as soon as process ``pid`` (the app) has ended.
    """
    start = time.perf_counter()
    while True:
        if pid is not None and not _running(pid):
            raise TimeoutError(f"process {pid} ended before a window was painted on {display}")
        rgb = grab(display)
        picture = describe(rgb)
        elapsed = time.perf_counter() - start
        if picture.painted:
            return elapsed, rgb, picture
        if elapsed > timeout:
            raise TimeoutError(f"no painted window on {display} after {timeout:.0f} s (last: {picture})")
        time.sleep(interval)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[-1].startswith("Z"))  # not a zombie


def wait_blank(display: str, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while describe(grab(display)).painted:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the screen of {display} did not clear")
        time.sleep(0.1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["wait-painted"])
    parser.add_argument("--display", required=True)
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--out", type=Path, help="save the screenshot here (PNG)")
    parser.add_argument("--pid", type=int, help="give up when this process (the app) has ended")
    args = parser.parse_args(argv)
    try:
        elapsed, rgb, picture = wait_painted(args.display, args.timeout, pid=args.pid)
    except TimeoutError as exc:
        print(f"FAIL: {exc}")
        return 1
    if args.out:
        cv2.imwrite(str(args.out), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    print(f"painted after {elapsed:.1f} s: {picture.colours} colours, {picture.covered:.0%} of the screen")
    return 0


if __name__ == "__main__":
    sys.exit(main())
