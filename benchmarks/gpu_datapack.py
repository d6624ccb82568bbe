"""Build the data pack that travels to the GPU machine (``carry=[".gpu-pack"]``).

Usage: ``python benchmarks/gpu_datapack.py [--source ../shared/data/Kvasir-SEG]
[--clinicdb ../shared/data/CVC-ClinicDB | --no-clinicdb] [--out .gpu-pack]``

The pack is an ordinary dataset folder in the authors' layout (``images/``, ``masks/``,
``train.txt``, ``val.txt``), so ``meddisseg train`` and ``meddisseg evaluate`` read it as they
read the original, plus ``SHA256SUMS`` and ``PACK.json`` (what is in it and how it was made):

* **train (880)**: resized to the training size (256×256, bilinear, as the trainer resizes),
  JPEG quality 80 with optimised Huffman tables; masks thresholded at 128 after the resize,
  as 1-bit PNG (the loader binarises masks at 128 anyway). Quality 80 keeps the pack under
  20 MB; its mean error (≈2.7 grey levels) is far below the colour augmentation's ±25 %.
* **CVC-ClinicDB (612, issue 20)**: every frame goes to *train*, never to val: its 31 sequences
  hold several frames of each polyp, so a random split would put one polyp on both sides. Frames
  are named ``clinicdb-<name>.jpg`` (no clash with Kvasir's names) and encoded like the Kvasir
  train images. Validation and checkpoint choice stay on Kvasir-SEG's ``val.txt``.
* **val (120)**: the original files, byte for byte (≈9 MB). The network sees an image only
  through its 256×256 resize, but scoring "at original size" needs the original masks, and the
  card's per-image Dice must be reproducible by ``meddisseg evaluate`` on ../shared: re-encoded
  val images would give other numbers.

The folder is git-ignored and never committed (Kvasir-SEG is for research and education only).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

import cv2
import numpy as np

DEFAULT_SOURCE = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "Kvasir-SEG"
DEFAULT_CLINICDB = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "CVC-ClinicDB"
# Kvasir train (~10.4 MB) + ClinicDB (~4.8 MB) + Kvasir val originals (~9 MB). The pack, the tree
# and (for a continuation run) the shipped model must stay under 64 MiB: gpu_preflight.py checks.
MAX_BYTES = 27_000_000
CLINICDB_PREFIX = "clinicdb-"
SOURCES = {
    "Kvasir-SEG": {
        "licence": "research and education only (Simula); cite Jha et al., MMM 2020",
        "citation": "D. Jha et al. Kvasir-SEG: A Segmented Polyp Dataset. MultiMedia Modeling (MMM) 2020.",
    },
    "CVC-ClinicDB": {
        "licence": "research use with citation (see ../shared/data/CVC-ClinicDB/SOURCE.md)",
        "citation": "J. Bernal et al. WM-DOVA maps for accurate polyp highlighting in colonoscopy: "
        "Validation vs. saliency maps from physicians. Computerized Medical Imaging and Graphics 43 "
        "(2015) 99-111. doi:10.1016/j.compmedimag.2015.02.007",
    },
}


def _names(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _train_pair(source: Path, name: str, size: int, quality: int) -> tuple[bytes, bytes]:
    image = cv2.imread(str(source / "images" / name), cv2.IMREAD_COLOR)
    mask = cv2.imread(str(source / "masks" / name), cv2.IMREAD_GRAYSCALE)
    if image is None or mask is None:
        raise SystemExit(f"{source}: cannot read {name} (image or mask)")
    binary = np.where(mask >= 128, np.uint8(255), np.uint8(0))
    image = cv2.resize(image, (size, size), interpolation=cv2.INTER_LINEAR)
    soft = cv2.resize(binary, (size, size), interpolation=cv2.INTER_LINEAR)
    mask_256 = np.where(soft >= 128, np.uint8(255), np.uint8(0))
    ok_image, jpeg = cv2.imencode(
        ".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_OPTIMIZE, 1]
    )
    ok_mask, png = cv2.imencode(
        ".png", mask_256, [cv2.IMWRITE_PNG_BILEVEL, 1, cv2.IMWRITE_PNG_COMPRESSION, 9]
    )
    if not (ok_image and ok_mask):
        raise SystemExit(f"cannot encode {name}")
    return jpeg.tobytes(), png.tobytes()


def build(
    source: Path,
    out: Path,
    *,
    size: int,
    quality: int,
    limit: int | None,
    val_limit: int | None,
    clinicdb: Path | None = None,
) -> dict:
    train, val = _names(source / "train.txt"), _names(source / "val.txt")
    if limit is not None:
        train = train[:limit]
    if val_limit is not None:
        val = val[:val_limit]
    extra: list[str] = []
    if clinicdb is not None:
        extra = _names(clinicdb / "all.txt")
        if limit is not None:
            # A third of the limit: 6 Kvasir + 2 ClinicDB keep the dry run at whole batches of 4
            # (a last batch of one image breaks BatchNorm at the tiny network's 1x1 bottleneck).
            extra = extra[: max(1, limit // 3)]
    if out.exists():
        shutil.rmtree(out)
    (out / "images").mkdir(parents=True)
    (out / "masks").mkdir()
    for name in train:
        jpeg, png = _train_pair(source, name, size, quality)
        _write(out / "images" / name, jpeg)
        # Our masks are PNG: <stem>.png (meddisseg_core.data.io.mask_path_for finds them).
        _write(out / "masks" / (Path(name).stem + ".png"), png)
    extra_names = []
    for name in extra:
        jpeg, png = _train_pair(clinicdb, name, size, quality)  # type: ignore[arg-type]
        packed = CLINICDB_PREFIX + Path(name).stem + ".jpg"
        _write(out / "images" / packed, jpeg)
        _write(out / "masks" / (Path(packed).stem + ".png"), png)
        extra_names.append(packed)
    for name in val:
        shutil.copyfile(source / "images" / name, out / "images" / name)
        shutil.copyfile(source / "masks" / name, out / "masks" / name)
    (out / "train.txt").write_text("".join(f"{n}\n" for n in train + extra_names), encoding="utf-8")
    (out / "val.txt").write_text("".join(f"{n}\n" for n in val), encoding="utf-8")
    info = {
        "source": "Kvasir-SEG (official train/val split)"
        + (" + all of CVC-ClinicDB in train" if extra_names else "")
        + "; research and education only",
        "sources": {k: v for k, v in SOURCES.items() if k == "Kvasir-SEG" or extra_names},
        "train": {
            "count": len(train) + len(extra_names),
            "kvasir": len(train),
            "clinicdb": len(extra_names),
            "size": size,
            "image": f"JPEG q{quality}",
            "mask": "1-bit PNG",
        },
        "val": {
            "count": len(val),
            "source": "Kvasir-SEG val.txt",
            "image": "original file",
            "mask": "original file",
        },
    }
    (out / "PACK.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    files = sorted(p for p in out.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    sums = "".join(
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(out).as_posix()}\n" for p in files
    )
    (out / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return info


def pack_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def verify(folder: Path) -> list[str]:
    """Files whose SHA-256 differs from SHA256SUMS (empty when the pack is intact)."""
    bad = []
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        path = folder / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            bad.append(name)
    return bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument(
        "--clinicdb", type=Path, default=DEFAULT_CLINICDB, help="CVC-ClinicDB folder (all to train)"
    )
    parser.add_argument("--no-clinicdb", action="store_true", help="Kvasir-SEG alone (the issue-7 pack)")
    parser.add_argument("--out", type=Path, default=Path(".gpu-pack"))
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--quality", type=int, default=80)
    parser.add_argument("--limit", type=int, help="first N training images only (dry runs)")
    parser.add_argument("--val-limit", type=int, help="first N validation images only (dry runs)")
    parser.add_argument("--verify", action="store_true", help="check an existing pack against SHA256SUMS")
    args = parser.parse_args(argv)
    if args.verify:
        bad = verify(args.out)
        print(f"{args.out}: {'intact' if not bad else f'{len(bad)} damaged: {bad[:5]}'}")
        return 1 if bad else 0
    build(
        args.source,
        args.out,
        size=args.size,
        quality=args.quality,
        limit=args.limit,
        val_limit=args.val_limit,
        clinicdb=None if args.no_clinicdb else args.clinicdb,
    )
    total = pack_bytes(args.out)
    print(f"{args.out}: {total:,} bytes ({total / 2**20:.1f} MiB)")
    if total >= MAX_BYTES:
        print(f"error: the pack must stay under {MAX_BYTES:,} bytes", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
