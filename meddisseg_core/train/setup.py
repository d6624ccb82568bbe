"""Building the pieces of a run: device, seeding, data loaders, network init, optimiser."""

from __future__ import annotations

import random
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader

from meddisseg_core.checkpoint import load_model
from meddisseg_core.data import DatasetSpec, SegmentationDataset, worker_init
from meddisseg_core.errors import CheckpointError, DeviceError
from meddisseg_core.nn import NetworkConfig, build_network
from meddisseg_core.train.backbone import (
    copy_backbone_from_stage1,
    download_resnet50,
    is_backbone_key,
    load_torchvision_backbone,
)
from meddisseg_core.train.budget import TimeSchedule
from meddisseg_core.train.config import TrainConfig
from meddisseg_core.train.distributed import DistContext, EpochSampler


def choose_train_device(requested: str, ctx: DistContext) -> torch.device:
    if requested == "auto":
        requested = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        device = torch.device(requested)
    except RuntimeError as exc:
        raise DeviceError(f"--device {requested!r} is not a device name ({exc})") from exc
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise DeviceError(f"--device {requested!r}: CUDA is not available on this machine")
        if device.index is None:
            device = torch.device("cuda", ctx.local_rank)
        torch.cuda.set_device(device)
    return device


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def network_config(config: TrainConfig) -> NetworkConfig:
    return (
        NetworkConfig.paper(config.stage) if config.network == "paper" else NetworkConfig.tiny(config.stage)
    )


@dataclass
class Loaders:
    """Training/validation batches; ``train_sampler.set_epoch`` and ``train_set.reseed`` per epoch.

    For a resident set (``data.resident``) the one loader object plays all three training roles.
    """

    train: Any
    val: Any
    train_sampler: Any
    train_set: Any


def make_loaders(spec: DatasetSpec, config: TrainConfig, ctx: DistContext, device: torch.device) -> Loaders:
    if config.data.resident:
        from meddisseg_core.train.resident import resident_loaders

        train_loader, val_loader = resident_loaders(
            spec,
            config.data,
            batch_size=config.batch_size,
            seed=config.seed,
            stage=config.stage,
            ctx=ctx,
            device=device,
        )
        return Loaders(train_loader, val_loader, train_loader, train_loader)
    train_set = SegmentationDataset(spec, spec.split.train, config.data, stage=config.stage, train=True)
    val_set = SegmentationDataset(spec, spec.split.val, config.data, stage=config.stage, train=False)
    train_sampler = EpochSampler(len(train_set), seed=config.seed, shuffle=True, ctx=ctx)
    # Each rank validates a disjoint slice (no padding, so no image counts twice); sums are all-reduced.
    val_indices = list(range(ctx.rank, len(val_set), ctx.world_size))
    workers = config.data.num_workers
    common = {
        "num_workers": workers,
        "worker_init_fn": worker_init if workers else None,
        "pin_memory": device.type == "cuda",
        "persistent_workers": False,
    }
    # drop_last=False as the authors (a final short batch is trained on).
    train = DataLoader(
        train_set, batch_size=config.batch_size, sampler=train_sampler, drop_last=False, **common
    )
    val = DataLoader(val_set, batch_size=config.batch_size, sampler=val_indices, drop_last=False, **common)
    return Loaders(train, val, train_sampler, train_set)


def read_state_dict(path: Path) -> tuple[dict[str, torch.Tensor], int | None]:
    """(state_dict, stage) of an --init checkpoint: ours (.safetensors) or the authors' .pth."""
    loaded = load_model(path, map_location="cpu")
    return loaded.network.state_dict(), loaded.network.config.stage


def initialise_network(
    config: TrainConfig,
    *,
    init_checkpoint: Path | None,
    backbone_weights: Path | None,
    download_backbone: bool,
) -> tuple[torch.nn.Module, dict[str, object], list[str]]:
    """Build the network and initialise it; returns (network, description, warnings)."""
    network = build_network(network_config(config))
    warnings: list[str] = []
    if init_checkpoint is not None:
        state, stage = read_state_dict(init_checkpoint)
        if stage == config.stage:
            missing, unexpected = network.load_state_dict(state, strict=False)
            if [k for k in missing if is_backbone_key(k)] or unexpected:
                raise CheckpointError(
                    f"{init_checkpoint}: does not fit the {config.network} stage-{config.stage} network"
                )
            return (
                network,
                {"backbone": "checkpoint", "source": str(init_checkpoint), "entries": len(state)},
                warnings,
            )
        if stage == 1 and config.stage == 2:
            count = copy_backbone_from_stage1(network, state, str(init_checkpoint))
            return network, {"backbone": "stage1", "source": str(init_checkpoint), "entries": count}, warnings
        raise CheckpointError(
            f"{init_checkpoint}: a stage-{stage} checkpoint cannot initialise stage {config.stage}"
        )
    if backbone_weights is not None:
        count = load_torchvision_backbone(network, backbone_weights)
        return network, {"backbone": "imagenet", "source": str(backbone_weights), "entries": count}, warnings
    if download_backbone:
        try:
            path = download_resnet50()
        except CheckpointError as exc:
            warnings.append(f"ImageNet backbone unavailable ({exc}); training from scratch")
        else:
            count = load_torchvision_backbone(network, path)
            return network, {"backbone": "imagenet", "source": str(path), "entries": count}, warnings
    else:
        warnings.append(
            "no backbone weights given (--backbone-weights, --download-backbone or --init): "
            "training from scratch, "
            "which is far from the paper's ImageNet-initialised recipe"
        )
    return network, {"backbone": "scratch", "source": None, "entries": 0}, warnings


def _keep_eval(module: torch.nn.Module, mode: bool = True) -> torch.nn.Module:
    return module  # a frozen BatchNorm stays in eval mode whatever model.train() says


def freeze_encoder(model: torch.nn.Module) -> int:
    """Freeze the encoder (train_scope "decoder"): no gradients, BatchNorm statistics fixed.

    Returns the number of frozen parameters. Called before the optimiser (and DDP) see the model.
    """
    backbone_ids = {
        id(value) for key, value in model.state_dict(keep_vars=True).items() if is_backbone_key(key)
    }
    frozen = 0
    for param in model.parameters():
        if id(param) in backbone_ids:
            param.requires_grad_(False)
            frozen += 1
    for module in model.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm) and id(module.weight) in backbone_ids:
            module.eval()
            module.train = types.MethodType(_keep_eval, module)  # type: ignore[method-assign]
    return frozen


def make_optimizer(model: torch.nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    if config.train_scope == "decoder":
        freeze_encoder(model)  # only trainable parameters reach the optimiser below
    # The backbone is found through the authors' state-dict names (layer0..layer3), which the
    # network's keymap produces, so this does not depend on internal module names.
    backbone_ids = {
        id(value) for key, value in model.state_dict(keep_vars=True).items() if is_backbone_key(key)
    }
    backbone, head = [], []
    for param in model.parameters():
        if param.requires_grad:
            (backbone if id(param) in backbone_ids else head).append(param)
    opt = config.optim
    groups = [
        {"params": backbone, "lr": opt.lr_backbone, "name": "backbone"},
        {"params": head, "lr": opt.lr_head, "name": "head"},
    ]
    optimizer = torch.optim.AdamW if opt.decoupled_weight_decay else torch.optim.Adam
    # One fused kernel for the whole update on CUDA (the same arithmetic as the loop version).
    fused = {"fused": True} if all(p.is_cuda for group in groups for p in group["params"]) else {}
    return optimizer(groups, betas=opt.betas, eps=opt.eps, weight_decay=opt.weight_decay, **fused)


def make_scheduler(optimizer: torch.optim.Optimizer, config: TrainConfig):
    if config.budgeted:
        # Warm-up then cosine decay over the time budget, updated before every batch.
        return TimeSchedule(optimizer, config.time_budget)
    # No ``verbose`` argument: recent PyTorch removed it (defect §10.7 of the authors' code).
    return torch.optim.lr_scheduler.ReduceLROnPlateau(
        optimizer, mode="min", patience=config.optim.plateau_patience, factor=config.optim.plateau_factor
    )
