"""End to end: the fine-tune verdict rests on the held-out images a person corrected.

A folder's proposals come from a deliberately weak model (a tiny network, briefly trained on other
images). A simulated person accepts the proposals that are already close to the truth unedited,
and corrects the rest to the Kvasir-SEG ground truth. Fine-tuning the weak model on those
approvals must be reported as better on the corrected held-out images. (The old comparison scored
both models against every held-out mask, including the weak model's own accepted proposals, on
which it scores 1.0 by construction.)
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
ACCEPT_DICE = 0.6  # the simulated person accepts a proposal this close to the truth unedited


def _small(kvasir_dir: Path, names: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(BGR image, 0/1 mask) of each name at 96x80."""
    out = {}
    for name in names:
        image = cv2.imread(str(kvasir_dir / "images" / name))
        mask = read_mask(kvasir_dir / "masks" / name)
        out[name] = (
            cv2.resize(image, (96, 80), interpolation=cv2.INTER_AREA),
            cv2.resize(mask, (96, 80), interpolation=cv2.INTER_NEAREST),
        )
    return out


def _names(kvasir_dir: Path) -> list[str]:
    return [n for n in (kvasir_dir / "train.txt").read_text().split() if n]


def _folder(kvasir_dir: Path, folder: Path) -> dict[str, np.ndarray]:
    folder.mkdir()
    truth = {}
    for name, (image, mask) in _small(kvasir_dir, _names(kvasir_dir)[:N_IMAGES]).items():
        cv2.imwrite(str(folder / name), image)
        truth[name] = mask
    return truth


def _weak_model(path: Path, kvasir_dir: Path) -> Path:
    """Deliberately weak: a tiny network given a short start (150 steps) on 24 other Kvasir-SEG
    images. It is nearly right about a few of the folder's images and wrong about most."""
    from meddisseg_core.losses.objectives import DispersiveConfig
    from meddisseg_core.train.steps import stage2_step

    pairs = list(_small(kvasir_dir, _names(kvasir_dir)[N_IMAGES : N_IMAGES + 24]).values())
    images = np.stack([cv2.resize(i, (64, 64)) for i, _ in pairs]).transpose(0, 3, 1, 2)
    masks = np.stack([cv2.resize(m, (64, 64), interpolation=cv2.INTER_NEAREST) for _, m in pairs])
    x = torch.from_numpy(images / 255.0).float()
    y = torch.from_numpy(masks > 0).float()[:, None]
    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(2))
    optimizer = torch.optim.Adam(network.parameters(), lr=3e-3)
    network.train()
    for step in range(150):
        batch = slice((step * 4) % len(pairs), (step * 4) % len(pairs) + 4)
        out = stage2_step(network, x[batch], y[batch], 1.0 - y[batch], DispersiveConfig(), 0.0, bf16=False)
        optimizer.zero_grad()
        out.loss.total.backward()
        optimizer.step()
    network.eval()
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
    accepted = sorted(k for k in truth if looks[k] >= ACCEPT_DICE)
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
        epochs=8,
        device="cpu",
        train_scope="decoder",
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
