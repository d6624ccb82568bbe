"""End to end: the fine-tune verdict rests on the held-out images a person corrected.

A folder's proposals come from a deliberately weak model (a tiny network, untrained). A simulated
person accepts the half of the proposals that look best unedited, and corrects the rest to the
Kvasir-SEG ground truth. Fine-tuning the weak model on those approvals must be reported as better
on the corrected held-out images. (The old comparison scored both models against every held-out
mask, including the weak model's own accepted proposals, on which it scores 1.0 by construction.)
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
from meddisseg_core.imageio import read_mask
from meddisseg_core.inference import Predictor
from meddisseg_core.metrics import segmentation_metrics
from meddisseg_core.models.finish import finish_job
from meddisseg_core.models.heldout import MIN_CORRECTED, choose_held_out, is_corrected, partition
from meddisseg_core.models.jobrun import FineTuneRun
from meddisseg_core.models.jobspec import FineTuneSpec
from meddisseg_core.models.prepare import ApprovedImage, create_job, new_job_id
from meddisseg_core.nn import NetworkConfig, build_network

N_IMAGES = 14


def _small(kvasir_dir: Path, names: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(BGR image, mask) of each name at 96x80."""
    out = {}
    for name in names:
        image = cv2.resize(cv2.imread(str(kvasir_dir / "images" / name)), (96, 80), interpolation=cv2.INTER_AREA)
        mask = cv2.resize(read_mask(kvasir_dir / "masks" / name), (96, 80), interpolation=cv2.INTER_NEAREST)
        out[name] = (image, mask)
    return out


def _folder(kvasir_dir: Path, folder: Path) -> dict[str, np.ndarray]:
    folder.mkdir()
    names = [n for n in (kvasir_dir / "train.txt").read_text().split() if n][:N_IMAGES]
    truth = {}
    for name in names:
        image = cv2.imread(str(kvasir_dir / "images" / name))
        cv2.imwrite(str(folder / name), cv2.resize(image, (96, 80), interpolation=cv2.INTER_AREA))
        mask = read_mask(kvasir_dir / "masks" / name)
        truth[name] = cv2.resize(mask, (96, 80), interpolation=cv2.INTER_NEAREST)
    return truth


def _weak_model(path: Path, kvasir_dir: Path) -> Path:
    """A tiny network given a short start on other Kvasir-SEG images: right about some images,
    wrong about many (what a person then corrects)."""
    from meddisseg_core.losses.objectives import DispersiveConfig
    from meddisseg_core.train.steps import stage2_step

    names = [n for n in (kvasir_dir / "train.txt").read_text().split() if n][N_IMAGES : N_IMAGES + 24]
    pairs = list(_small(kvasir_dir, names).values())
    x = torch.from_numpy(np.stack([cv2.resize(i, (64, 64)) for i, _ in pairs]).transpose(0, 3, 1, 2) / 255.0)
    y = torch.from_numpy(np.stack([cv2.resize(m, (64, 64), interpolation=cv2.INTER_NEAREST) for _, m in pairs]))
    x, y = x.float(), (y > 0).float()[:, None]
    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(2))
    optimizer = torch.optim.Adam(network.parameters(), lr=float(os.environ.get("LR", "3e-3")))
    network.train()
    for step in range(int(os.environ.get("ST", "150"))):
        batch = slice((step * 4) % len(pairs), (step * 4) % len(pairs) + 4)
        out = stage2_step(network, x[batch], y[batch], 1.0 - y[batch], DispersiveConfig(), 0.0, bf16=False)
        optimizer.zero_grad()
        out.loss.total.backward()
        optimizer.step()
    network.eval()
    # Weakened: every convolution's weights get noise at a fraction of their own spread.
    generator = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for name, param in network.named_parameters():
            if param.ndim == 4:
                scale = float(os.environ.get("NOISE", "0.3")) * param.std()
                param.add_(torch.randn(param.shape, generator=generator) * scale)
    save_model(path, network, ModelMetadata(network.config, InputConvention(size=(64, 64)), name="weak"))
    return path


def _wait(run: FineTuneRun) -> None:
    while run.outcome is None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            run.process.wait(timeout=0.5)  # blocks on the process, not a sleep
        run.poll()


@pytest.mark.slow
def test_finetune_on_corrections_is_better_on_the_corrected_held_out_images(
    registry, kvasir_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "colon"
    truth = _folder(kvasir_dir, folder)
    weak = registry.add_file(_weak_model(tmp_path / "weak.safetensors", kvasir_dir), source="imported")
    predictor = Predictor.from_path(registry.path_of(weak), device="cpu")

    # The weak model proposes; the person accepts the better-looking half unedited and corrects
    # the rest to the ground truth.
    proposals = {}
    for key in truth:
        rgb = cv2.cvtColor(cv2.imread(str(folder / key)), cv2.COLOR_BGR2RGB)
        proposals[key] = (predictor.predict(rgb).probability > 0.5).astype(np.uint8)
    looks = {k: segmentation_metrics(proposals[k], truth[k])["mdsc"] for k in truth}
    print({k[:6]: round(v, 2) for k, v in looks.items()})
    accepted = sorted(k for k in truth if looks[k] >= float(os.environ.get("ACC", "0.6")))
    final = {k: proposals[k] if k in accepted else truth[k] for k in truth}
    edited = {k: float((final[k] != proposals[k]).mean()) for k in truth}
    corrected = sorted(k for k in truth if is_corrected(edited[k]))
    assert set(corrected) == set(truth) - set(accepted)
    assert accepted and len(corrected) >= 2 * MIN_CORRECTED

    approved = sorted(truth)
    held = choose_held_out(tmp_path / "state" / "held_out.json", approved, corrected=corrected)
    train, held_out = partition(held, approved)
    assert len(set(held_out) & set(corrected)) >= MIN_CORRECTED  # stratified: corrected ones are in
    spec = FineTuneSpec(
        job_id=new_job_id(),
        base_model="",
        base_id=weak.id,
        base_sha256=weak.sha256,
        source_folder=str(folder),
        train_images=train,
        held_out_images=held_out,
        stage=2,
        network="tiny",
        image_size=64,
        batch_size=2,
        epochs=int(os.environ.get("EP", "6")),
        device="cpu",
        train_scope=os.environ.get("SC", "decoder"),
        corrected_images=tuple(corrected),
    )
    images = {k: ApprovedImage(folder / k, final[k]) for k in approved}
    spec, job_dir = create_job(tmp_path / "jobs", spec, registry.path_of(weak), images)
    run = FineTuneRun(spec, job_dir, env={**os.environ, "OMP_NUM_THREADS": "1"})
    run.start()
    _wait(run)
    assert run.outcome.state == "finished", run.outcome

    finish_job(job_dir / "job.json", registry, device="cpu")
    result = json.loads((job_dir / "result.json").read_text())
    print(json.dumps({k: result[k] for k in ("before", "after", "corrected", "accepted", "verdict")}))
    assert result["corrected"]["images"] == sorted(set(held_out) & set(corrected))
    assert result["accepted"]["images"] == sorted(set(held_out) - set(corrected))
    assert result["corrected"]["difference"]["dice"] > 0
    assert result["verdict"] == "better" and result["after_is_better"] is True
    assert "better on the held-out images you corrected" in result["verdict_text"]
