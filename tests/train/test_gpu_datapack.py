"""The GPU data pack and the preflight that adds up what the device call sends."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_pack_keeps_val_originals_and_resizes_train(kvasir_dir: Path, tmp_path: Path) -> None:
    datapack = _load("gpu_datapack")
    out = tmp_path / "pack"
    datapack.build(kvasir_dir, out, size=256, quality=80, limit=3, val_limit=2)
    train = (out / "train.txt").read_text().split()
    val = (out / "val.txt").read_text().split()
    assert len(train) == 3 and len(val) == 2 and not set(train) & set(val)
    for name in val:  # byte for byte: scores "at original size" are the real ones
        assert (out / "images" / name).read_bytes() == (kvasir_dir / "images" / name).read_bytes()
        assert (out / "masks" / name).read_bytes() == (kvasir_dir / "masks" / name).read_bytes()
    for name in train:
        image = cv2.imread(str(out / "images" / name))
        mask = cv2.imread(str(out / "masks" / (Path(name).stem + ".png")), cv2.IMREAD_GRAYSCALE)
        assert image.shape == (256, 256, 3) and mask.shape == (256, 256)
        assert set(np.unique(mask).tolist()) <= {0, 255}
    assert json.loads((out / "PACK.json").read_text())["train"]["count"] == 3
    assert datapack.verify(out) == []
    victim = out / "images" / val[0]
    victim.write_bytes(victim.read_bytes()[:-10])
    assert datapack.verify(out) == [f"images/{val[0]}"]


def test_preflight_counts_the_tree_the_carried_pack_and_the_model_slot(tmp_path: Path, capsys) -> None:
    preflight = _load("gpu_preflight")
    carried = ROOT / ".gpu-preflight-test"
    carried.mkdir(exist_ok=True)
    try:
        (carried / "blob").write_bytes(b"x" * 1000)
        rows = dict(preflight.rows(ROOT, [Path(".gpu-preflight-test")]))
        assert rows["carried .gpu-preflight-test/ (1 files)"] == 1000
        slot = next(v for k, v in rows.items() if k.startswith("model slot"))
        model = ROOT / preflight.MODEL_SLOT
        assert slot == (model.stat().st_size if model.is_file() else preflight.MODEL_BUDGET)
        scratch = dict(preflight.rows(ROOT, [Path(".gpu-preflight-test")], scratch=True))
        assert next(v for k, v in scratch.items() if k.startswith("model slot")) == 0
        assert preflight.main(["--root", str(ROOT), "--carry", ".gpu-preflight-test"]) == 0
        printed = capsys.readouterr().out
        assert "total" in printed and "margin" in printed
    finally:
        (carried / "blob").unlink()
        carried.rmdir()


def test_clinicdb_frames_go_to_train_only(kvasir_dir: Path, tmp_path: Path) -> None:
    """Issue 20: ClinicDB's sequences are never split; every frame trains, val stays Kvasir-SEG's."""
    datapack = _load("gpu_datapack")
    clinicdb = kvasir_dir.parent / "CVC-ClinicDB"
    out = tmp_path / "pack"
    info = datapack.build(kvasir_dir, out, size=64, quality=80, limit=6, val_limit=2, clinicdb=clinicdb)
    train = (out / "train.txt").read_text().split()
    val = (out / "val.txt").read_text().split()
    extra = [n for n in train if n.startswith(datapack.CLINICDB_PREFIX)]
    assert len(extra) == 2 and len(train) == 8
    assert not any(n.startswith(datapack.CLINICDB_PREFIX) for n in val)
    assert val == (kvasir_dir / "val.txt").read_text().split()[:2]
    assert info["train"]["clinicdb"] == 2 and "CVC-ClinicDB" in info["sources"]
    assert "Bernal" in info["sources"]["CVC-ClinicDB"]["citation"]
    for name in extra:
        assert (out / "masks" / (Path(name).stem + ".png")).is_file()
