"""Helpers of the model tests (imported by name: the tests folder is not a package)."""

from __future__ import annotations

import io

import torch

from meddisseg_core.models.jobspec import FineTuneSpec
from meddisseg_core.nn import NetworkConfig, build_network


def tiny_network(stage: int = 2, seed: int = 0) -> torch.nn.Module:
    """A tiny network whose weights depend on ``seed`` (so two seeds give two different files)."""
    torch.manual_seed(seed)
    return build_network(NetworkConfig.tiny(stage)).eval()


def authors_pth_bytes(stage: int = 2, seed: int = 0) -> bytes:
    """An authors'-format checkpoint (a plain torch.save'd state dict) of the tiny network."""
    buffer = io.BytesIO()
    torch.save(tiny_network(stage, seed).state_dict(), buffer)
    return buffer.getvalue()


# A job spec for tests that only look at the spec (no files behind it).
SPEC = FineTuneSpec(
    job_id="j1",
    base_model="base.pth",
    base_id="authors-stage2-0123abcd",
    base_sha256="0" * 64,
    source_folder="/data/colon",
    train_images=("a.jpg", "b.jpg"),
    held_out_images=("c.jpg",),
    stage=2,
    network="paper",
    train_scope="decoder",
    device="cuda",
)
