"""Synthetic endoscopy-like sample images (pink textured mucosa with a reddish polyp-like blob).

The project ships only pictures it makes itself: these stand in for real data in the
screenshot and in demos. Usage: ``python resources/samples/make_samples.py OUT_DIR [-n 4]``
writes ``OUT_DIR/sample_XX.png`` and, with ``--truth DIR``, the true blob masks to ``DIR`` (kept out of
the image folder so the app does not list them as images).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], scale: float) -> np.ndarray:
    """Low-frequency noise in [0, 1]: random values blurred at ``scale`` pixels."""
    noise = rng.random(shape).astype(np.float32)
    noise = cv2.GaussianBlur(noise, (0, 0), scale)
    noise -= noise.min()
    return noise / max(float(noise.max()), 1e-6)


def make_sample(seed: int, size: tuple[int, int] = (420, 500)) -> tuple[np.ndarray, np.ndarray]:
    """One RGB uint8 image and its H×W uint8 0/1 blob mask."""
    rng = np.random.default_rng(seed)
    h, w = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # Mucosa: pink, with folds (coarse noise) and fine texture, darker towards the edges (vignette).
    folds = _smooth_noise(rng, size, 18)
    texture = _smooth_noise(rng, size, 2)
    radius = np.hypot((yy - h / 2) / (h / 2), (xx - w / 2) / (w / 2))
    light = np.clip(1.15 - 0.55 * radius**2, 0.25, 1.0)
    base = np.array([232, 150, 150], np.float32)
    image = base * (0.75 + 0.25 * folds[..., None]) * (0.9 + 0.1 * texture[..., None]) * light[..., None]
    # The blob: a wobbly ellipse, redder and with its own texture.
    cy, cx = h * rng.uniform(0.35, 0.65), w * rng.uniform(0.35, 0.65)
    ry, rx = h * rng.uniform(0.12, 0.2), w * rng.uniform(0.12, 0.2)
    angle = np.arctan2(yy - cy, xx - cx)
    wobble = 1.0 + 0.12 * np.sin(3 * angle + rng.uniform(0, 6.3)) + 0.06 * np.sin(5 * angle)
    inside = np.hypot((yy - cy) / ry, (xx - cx) / rx) / wobble
    mask = (inside < 1.0).astype(np.uint8)
    weight = np.clip((1.15 - inside) / 0.3, 0.0, 1.0)[..., None]
    blob = np.array([196, 70, 72], np.float32) * (0.8 + 0.3 * _smooth_noise(rng, size, 4)[..., None])
    image = image * (1 - weight) + blob * light[..., None] * weight
    # Specular highlights, as on wet tissue.
    for _ in range(int(rng.integers(6, 14))):
        y, x = int(rng.integers(0, h)), int(rng.integers(0, w))
        cv2.ellipse(
            image, (x, y), (int(rng.integers(2, 7)), int(rng.integers(1, 4))), 0, 0, 360, (255, 250, 245), -1
        )
    image = cv2.GaussianBlur(image, (3, 3), 0)
    return np.clip(image, 0, 255).astype(np.uint8), mask


def write_samples(out_dir: Path, count: int = 4, truth_dir: Path | None = None) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    if truth_dir is not None:
        truth_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        rgb, mask = make_sample(seed=i)
        path = out_dir / f"sample_{i:02d}.png"
        cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
        if truth_dir is not None:
            cv2.imwrite(str(truth_dir / path.name), mask * 255)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("-n", "--count", type=int, default=4)
    parser.add_argument("--truth", type=Path, default=None, help="also write the true masks here")
    args = parser.parse_args()
    for path in write_samples(args.out_dir, args.count, args.truth):
        print(path)


if __name__ == "__main__":
    main()
