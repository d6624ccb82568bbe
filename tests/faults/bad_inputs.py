"""The bad-input zoo of test_cli_bad_inputs: files made to be refused, and the table of cases.

Each case is ``(id, argv template, expected exit code, fragments expected in the output)``.
Templates name files of the zoo as ``{name}``; ``{zoo}`` is its folder.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import cv2
import numpy as np
import torch
from safetensors.torch import save_file

N_GOOD = 3
SIZE = (40, 48)  # H, W of the zoo's images


class Payload:
    """Unpickling this would create the ``pwned`` marker: it must never run."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (os.system, (f"touch '{self.marker}'",))


def _png(array: np.ndarray) -> bytes:
    ok, buffer = cv2.imencode(".png", array)
    assert ok
    return buffer.tobytes()


def _jpeg(array: np.ndarray) -> bytes:
    ok, buffer = cv2.imencode(".jpg", array)
    assert ok
    return buffer.tobytes()


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">II5B", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0\0\0\0"


def _jpeg_claiming(width: int, height: int) -> bytes:
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + sof + b"\xff\xd9"


def build_zoo(root: Path, weights: Path) -> Path:
    """Write every bad (and the few good) inputs under ``root``; returns ``root``."""
    rng = np.random.default_rng(0)
    good = [rng.integers(0, 255, (*SIZE, 3), dtype=np.uint8) for _ in range(N_GOOD)]
    mask = np.zeros(SIZE, np.uint8)
    mask[8:30, 10:40] = 255

    def put(relative: str, data: bytes) -> Path:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    # A good dataset in the authors' layout.
    for i, image in enumerate(good):
        put(f"data/images/g{i}.png", _png(image))
        put(f"data/masks/g{i}.png", _png(mask))
    put("data/val.txt", b"".join(f"g{i}.png\n".encode() for i in range(N_GOOD)))

    # Folders for predict: one good image beside one bad file each.
    bad_images = {
        "truncated.jpg": _jpeg(good[0])[:300],
        "text.png": b"this is a text file, not an image\n" * 4,
        "empty.jpg": b"",
        "bomb.png": _png_header(40000, 40000),
        "many_pixels.png": _png_header(20000, 20000),
        "huge_jpeg.jpg": _jpeg_claiming(65000, 65000),
        "short_bmp.bmp": b"BM\x00\x00",
        "tags.tif": b"II*\x00\x08\x00\x00\x00\x00\x00",
        "big.tif": b"II+\x00\x08\x00\x00\x00" + bytes(16),
        "cut.png": _png(good[1])[:60],
        "zero_side.png": _png_header(0, 10),
    }
    for name, data in bad_images.items():
        put(f"predict/{name}/good.png", _png(good[0]))
        put(f"predict/{name}/{name}", data)
    put("predict/loop/good.png", _png(good[0]))
    os.symlink("loop.jpg", root / "predict/loop/loop.jpg")
    (root / "empty_folder").mkdir()
    put("a_file.txt", b"not a folder\n")

    # Weights files.
    put("w/empty.pth", b"")
    put("w/empty.safetensors", b"")
    put("w/garbage.pth", b"PK\x03\x04 not really a zip" * 10)
    put("w/garbage.safetensors", b"\x08\x00\x00\x00\x00\x00\x00\x00{}garbage")
    good_bytes = weights.read_bytes()
    put("w/truncated.safetensors", good_bytes[: len(good_bytes) // 2])
    tampered = bytearray(good_bytes)
    tampered[-8:] = bytes(b ^ 0xFF for b in tampered[-8:])
    put("w/tampered.safetensors", bytes(tampered))
    torch.save({"layer0.0.weight": torch.zeros(1), "payload": Payload(root / "pwned")}, root / "w/evil.pth")
    torch.save({"fc.weight": torch.zeros(2, 2)}, root / "w/other.pth")
    from meddisseg_core.checkpoint import load_model

    state = load_model(weights).network.state_dict()
    state["head.fuse.weight" if "head.fuse.weight" in state else next(iter(state))] = torch.zeros(3, 3)
    torch.save(state, root / "w/wrong_shape.pth")
    save_file({"x": torch.zeros(2)}, str(root / "w/not_ours.safetensors"))
    (root / "w/folder.pth").mkdir()

    # Datasets with bad split files and masks, for evaluate and train.
    def dataset(name: str, split: bytes | None = None, masks: dict[str, bytes] | None = None) -> None:
        for i, image in enumerate(good):
            put(f"{name}/images/g{i}.png", _png(image))
            data = (masks or {}).get(f"g{i}.png", _png(mask))
            if data:
                put(f"{name}/masks/g{i}.png", data)
        if split is not None:
            put(f"{name}/val.txt", split)
            put(f"{name}/train.txt", split)

    secret = put("secret/leak.png", _png(good[2]))
    put("secret_masks/leak.png", _png(mask))
    dataset("nosplit")
    dataset("split_traversal", b"g0.png\n../../secret/leak.png\n")
    dataset("split_absolute", f"g0.png\n{secret}\n".encode())
    dataset("split_duplicate", b"g0.png\ng1.png\ng0.png\n")
    dataset("split_blank", b"\n  \n")
    dataset("split_latin1", "g0.png\nbl\xe9.png\n".encode("latin-1"))
    dataset("mask_wrong_size", None, {"g1.png": _png(np.zeros((10, 10), np.uint8))})
    dataset("mask_missing", None, {"g1.png": b""})
    dataset("mask_corrupt", None, {"g1.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 20})
    dataset("all_masks_wrong", None, {f"g{i}.png": _png(np.zeros((5, 5), np.uint8)) for i in range(N_GOOD)})
    put("only_images/images/g0.png", _png(good[0]))
    put("config_unknown.json", b'{"stage": 1, "learning_rate_typo": 0.1}')
    put("config_broken.json", b'{"stage": 1,')
    return root


W = "{weights}"
PREDICT = ["predict", "--weights", W, "--device", "cpu"]
EVALUATE = ["evaluate", "--weights", W, "--device", "cpu"]
TRAIN = ["train", "--stage", "1", "--network", "tiny", "--device", "cpu", "--epochs", "1", "--out", "{out}"]


def _predict_folder(name: str) -> list[str]:
    return [*PREDICT, "--input", f"{{zoo}}/predict/{name}", "--output", "{out}"]


def _predict_weights(name: str) -> list[str]:
    return [*PREDICT[:2], f"{{zoo}}/w/{name}", "--input", "{zoo}/data/images", "--output", "{out}"]


def _evaluate(data: str, *extra: str) -> list[str]:
    return [*EVALUATE, "--data", f"{{zoo}}/{data}", *extra]


# (id, argv, exit code, fragments of the output that must appear)
CASES: list[tuple[str, list[str], int, tuple[str, ...]]] = [
    # --- predict: one bad file among good ones is reported, the rest is written (exit 1, as import/export)
    (
        "predict-truncated-jpeg",
        _predict_folder("truncated.jpg"),
        1,
        ("truncated.jpg", "corrupt or truncated JPEG", "1 failed"),
    ),
    ("predict-text-as-png", _predict_folder("text.png"), 1, ("text.png", "not a supported image")),
    ("predict-empty-image", _predict_folder("empty.jpg"), 1, ("empty.jpg", "the file is empty (0 bytes)")),
    ("predict-bomb-side", _predict_folder("bomb.png"), 1, ("bomb.png", "at most 32767")),
    ("predict-bomb-pixels", _predict_folder("many_pixels.png"), 1, ("many_pixels.png", "over the limit")),
    ("predict-bomb-jpeg", _predict_folder("huge_jpeg.jpg"), 1, ("huge_jpeg.jpg", "at most 32767")),
    ("predict-short-bmp", _predict_folder("short_bmp.bmp"), 1, ("short_bmp.bmp", "corrupt BMP header")),
    ("predict-tiff-no-size", _predict_folder("tags.tif"), 1, ("tags.tif", "TIFF")),
    ("predict-bigtiff", _predict_folder("big.tif"), 1, ("big.tif", "BigTIFF")),
    ("predict-cut-png", _predict_folder("cut.png"), 1, ("cut.png", "corrupt or truncated PNG")),
    ("predict-zero-side", _predict_folder("zero_side.png"), 1, ("zero_side.png", "empty image")),
    ("predict-symlink-loop", _predict_folder("loop"), 1, ("loop.jpg", "symbolic link loop", "1 failed")),
    # --- predict: paths and options (exit 2 before any work; 1 when nothing could be done)
    (
        "predict-input-missing",
        [*PREDICT, "--input", "{zoo}/nowhere", "--output", "{out}"],
        2,
        ("not a folder",),
    ),
    (
        "predict-input-is-file",
        [*PREDICT, "--input", "{zoo}/a_file.txt", "--output", "{out}"],
        2,
        ("not a folder",),
    ),
    (
        "predict-output-is-file",
        [*PREDICT, "--input", "{zoo}/data/images", "--output", "{zoo}/a_file.txt"],
        2,
        ("a_file.txt", "not a folder"),
    ),
    (
        "predict-output-is-input",
        [*PREDICT, "--input", "{zoo}/data/images", "--output", "{zoo}/data/images"],
        2,
        ("input folder",),
    ),
    (
        "predict-no-images",
        [*PREDICT, "--input", "{zoo}/empty_folder", "--output", "{out}"],
        1,
        ("no readable images",),
    ),
    ("predict-max-pixels", [*_predict_folder("truncated.jpg"), "--max-pixels", "10"], 1, ("over the limit",)),
    ("predict-batch-size-zero", [*_predict_folder("text.png"), "--batch-size", "0"], 2, ("at least 1",)),
    ("predict-threshold-text", [*_predict_folder("text.png"), "--threshold", "half"], 2, ("invalid float",)),
    # --- weights files (exit 2, the file named and what is wrong with it)
    ("weights-missing", _predict_weights("nothing.pth"), 2, ("nothing.pth", "not found")),
    ("weights-folder", _predict_weights("folder.pth"), 2, ("folder.pth", "not a file")),
    ("weights-empty-pth", _predict_weights("empty.pth"), 2, ("empty.pth", "is empty (0 bytes)")),
    ("weights-empty-safetensors", _predict_weights("empty.safetensors"), 2, ("is empty (0 bytes)",)),
    ("weights-garbage-pth", _predict_weights("garbage.pth"), 2, ("garbage.pth", "not a readable PyTorch")),
    (
        "weights-garbage-safetensors",
        _predict_weights("garbage.safetensors"),
        2,
        ("not a readable safetensors",),
    ),
    (
        "weights-truncated",
        _predict_weights("truncated.safetensors"),
        2,
        ("truncated.safetensors", "not a readable"),
    ),
    ("weights-tampered", _predict_weights("tampered.safetensors"), 2, ("checksum mismatch",)),
    ("weights-malicious", _predict_weights("evil.pth"), 2, ("executable code", "does not load such files")),
    ("weights-foreign-pth", _predict_weights("other.pth"), 2, ("not a Med-DisSeg checkpoint",)),
    (
        "weights-foreign-safetensors",
        _predict_weights("not_ours.safetensors"),
        2,
        ("not a Med-DisSeg checkpoint",),
    ),
    ("weights-wrong-shape", _predict_weights("wrong_shape.pth"), 2, ("does not fit the network",)),
    # --- evaluate: split files (exit 2, file:line) and masks (reported per file, the rest scored)
    (
        "evaluate-split-traversal",
        _evaluate("split_traversal", "--split", "val.txt"),
        2,
        ("val.txt:2", "plain file name inside images/"),
    ),
    (
        "evaluate-split-absolute",
        _evaluate("split_absolute", "--split", "val.txt"),
        2,
        ("val.txt:2", "plain file name inside images/"),
    ),
    (
        "evaluate-split-duplicate",
        _evaluate("split_duplicate", "--split", "val.txt"),
        2,
        ("val.txt:3", "duplicate"),
    ),
    ("evaluate-split-blank", _evaluate("split_blank", "--split", "val.txt"), 2, ("lists no names",)),
    ("evaluate-split-not-utf8", _evaluate("split_latin1", "--split", "val.txt"), 2, ("not UTF-8",)),
    ("evaluate-split-missing", _evaluate("data", "--split", "nope.txt"), 2, ("nope.txt", "cannot read")),
    ("evaluate-mask-wrong-size", _evaluate("mask_wrong_size"), 0, ("g1.png", "10×10")),
    ("evaluate-mask-missing", _evaluate("mask_missing"), 0, ("g1.png", "no mask")),
    ("evaluate-mask-corrupt", _evaluate("mask_corrupt"), 0, ("g1.png", "failed: 1")),
    ("evaluate-no-masks-folder", _evaluate("only_images"), 2, ("masks", "must hold images/ and masks/")),
    ("evaluate-nothing-scored", _evaluate("all_masks_wrong"), 1, ("no image could be scored",)),
    (
        "evaluate-weights-malicious",
        [*EVALUATE[:2], "{zoo}/w/evil.pth", "--data", "{zoo}/data"],
        2,
        ("executable code",),
    ),
    # --- train: refused before any training (exit 2)
    ("train-data-missing", [*TRAIN, "--data", "{zoo}/nowhere"], 2, ("nowhere",)),
    (
        "train-split-traversal",
        [*TRAIN, "--data", "{zoo}/split_traversal"],
        2,
        ("plain file name inside images/",),
    ),
    ("train-split-duplicate", [*TRAIN, "--data", "{zoo}/split_duplicate"], 2, ("duplicate",)),
    ("train-mask-wrong-size", [*TRAIN, "--data", "{zoo}/mask_wrong_size"], 2, ("g1.png",)),
    (
        "train-config-unknown-key",
        [*TRAIN, "--data", "{zoo}/data", "--config", "{zoo}/config_unknown.json"],
        2,
        ("learning_rate_typo",),
    ),
    (
        "train-config-broken",
        [*TRAIN, "--data", "{zoo}/data", "--config", "{zoo}/config_broken.json"],
        2,
        ("config_broken.json",),
    ),
    (
        "train-init-empty",
        [*TRAIN, "--data", "{zoo}/nosplit", "--init", "{zoo}/w/empty.pth"],
        2,
        ("is empty (0 bytes)",),
    ),
    (
        "train-init-malicious",
        [*TRAIN, "--data", "{zoo}/nosplit", "--init", "{zoo}/w/evil.pth"],
        2,
        ("executable code",),
    ),
    (
        "train-stage-3",
        ["train", "--stage", "3", "--data", "{zoo}/data", "--out", "{out}"],
        2,
        ("invalid choice",),
    ),
    # --- selftest: a FAIL line that says why (exit 1)
    (
        "selftest-weights-empty",
        ["selftest", "--device", "cpu", "--weights", "{zoo}/w/empty.pth"],
        1,
        ("FAIL", "is empty (0 bytes)"),
    ),
    (
        "selftest-weights-malicious",
        ["selftest", "--device", "cpu", "--weights", "{zoo}/w/evil.pth"],
        1,
        ("FAIL", "executable code"),
    ),
    (
        "selftest-weights-missing",
        ["selftest", "--device", "cpu", "--weights", "{zoo}/w/nothing.pth"],
        1,
        ("FAIL", "not found"),
    ),
]
