"""Helpers of the model tests (imported by name: the tests folder is not a package)."""

from __future__ import annotations

import io

import torch

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
