"""Training configuration: frozen dataclasses, presets, and the merge of preset, file and flags.

Precedence (later wins): built-in defaults < ``--preset`` < ``--config FILE`` (repeatable, in
order) < command-line flags.
Defaults are the paper's best setting; the preset ``authors-public-code`` reproduces what the
authors' public scripts actually run (dispersive weight 0.2 in both stages, T = 0.5, and the
un-augmented stage-2 background target).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from meddisseg_core.config import from_dict
from meddisseg_core.data import DataConfig
from meddisseg_core.errors import ConfigError
from meddisseg_core.losses import DispersiveConfig
from meddisseg_core.train.budget import BudgetConfig

# Per-stage recipe of the authors (ARCHITECTURE.md §8): (max epochs, early-stopping patience).
_STAGE_EPOCHS = {1: (600, 200), 2: (300, 100)}

PRESETS: dict[str, dict[str, Any]] = {
    "paper": {},
    "authors-public-code": {
        "dispersive": {"temperature": 0.5, "stage1_weight": 0.2, "stage2_weight": 0.2},
        "data": {"background_from_augmented_mask": False},
    },
    "pooled-dispersive": {"dispersive": {"variant": "infonce_l2_pooled"}},
}


@dataclass(frozen=True)
class OptimConfig:
    """Adam with separate backbone (layer0..layer3) and head learning rates, plateau scheduler."""

    lr_backbone: float = 1e-4
    lr_head: float = 1e-4
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    weight_decay: float = 0.0
    plateau_patience: int = 30
    plateau_factor: float = 0.1
    decoupled_weight_decay: bool = False  # True: AdamW (weight decay not scaled by Adam's moments)
    clip_grad_norm: float | None = None  # clip the global gradient norm to this value

    def __post_init__(self) -> None:
        if self.lr_backbone <= 0 or self.lr_head <= 0:
            raise ConfigError(f"optim learning rates must be > 0, got {self.lr_backbone}, {self.lr_head}")
        if self.clip_grad_norm is not None and not self.clip_grad_norm > 0:
            raise ConfigError(f"optim.clip_grad_norm must be > 0, got {self.clip_grad_norm!r}")
        if not 0.0 < self.plateau_factor < 1.0:
            raise ConfigError(f"optim.plateau_factor must be in (0, 1), got {self.plateau_factor}")


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run (the command line adds paths only)."""

    stage: int = 2
    network: Literal["paper", "tiny"] = "paper"
    epochs: int | None = None  # None: the authors' 600 (stage 1) / 300 (stage 2)
    early_stop_patience: int | None = None  # None: the authors' 200 / 100 epochs
    batch_size: int = 8
    seed: int = 0
    max_steps: int | None = None  # stop after this many optimiser steps (smoke tests)
    # auto: bf16 autocast on CUDA, and on AVX512-BF16/AMX CPUs for the paper networks (train/numerics.py)
    precision: Literal["auto", "fp32", "bf16"] = "auto"
    channels_last: bool = True  # applied on CUDA only
    # Fused BatchNorm+TeLU and CDFA kernels in training (meddisseg_core/nn/regions.py), compiled by
    # torch.compile: "inductor" (GPU runs: Triton), "aot_eager" (traced, no kernels: tests, dry
    # runs) or "off". A run whose regions fail to compile trains eagerly, with a warning.
    compile_regions: Literal["off", "inductor", "aot_eager"] = "off"
    nonfinite_patience: int = 5  # consecutive skipped steps before recovering
    nonfinite_lr_factor: float = 0.1  # lr multiplier applied when restoring after non-finite steps
    max_recoveries: int = 2
    progress: bool = True  # tqdm bar when stderr is a terminal
    # "decoder": the encoder (layer0..layer3) is frozen, weights and BatchNorm statistics alike,
    # so backward stops at the decoder. Fewer weights fit a few images; it saves little time,
    # as the decoder does most of the work (benchmarks/bench_finetune.py).
    train_scope: Literal["all", "decoder"] = "all"
    data: DataConfig = field(default_factory=DataConfig)
    dispersive: DispersiveConfig = field(default_factory=DispersiveConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    # Time-budget runs and the shipped-model recipe (configs/README.md explains the choices).
    time_budget: BudgetConfig = field(default_factory=BudgetConfig)
    select_metric: Literal["auto", "miou", "mdsc"] = "auto"  # auto: mdsc with a time budget, else miou
    logit_losses: bool = False  # losses on the pre-sigmoid maps (fp32, BCE-with-logits)
    val_every_epochs: int = 1

    def __post_init__(self) -> None:
        if self.stage not in (1, 2):
            raise ConfigError(f"stage must be 1 or 2, got {self.stage!r}")
        for name in ("epochs", "early_stop_patience", "max_steps"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ConfigError(f"{name} must be >= 1, got {value!r}")
        if self.batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1, got {self.batch_size!r}")
        if self.nonfinite_patience < 1 or self.max_recoveries < 0:
            raise ConfigError("nonfinite_patience must be >= 1 and max_recoveries >= 0")
        if self.val_every_epochs < 1:
            raise ConfigError(f"val_every_epochs must be >= 1, got {self.val_every_epochs!r}")

    @property
    def budgeted(self) -> bool:
        return self.time_budget.seconds is not None

    @property
    def max_epochs(self) -> int:
        if self.epochs is not None:
            return self.epochs
        # A time-budget run ends on time; epochs only bound it when given explicitly.
        return 10**9 if self.budgeted else _STAGE_EPOCHS[self.stage][0]

    @property
    def patience(self) -> int:
        if self.early_stop_patience is not None:
            return self.early_stop_patience
        return 10**9 if self.budgeted else _STAGE_EPOCHS[self.stage][1]

    @property
    def selection_metric(self) -> str:
        """The validation metric that picks the best checkpoint ("miou" or "mdsc")."""
        if self.select_metric != "auto":
            return self.select_metric
        return "mdsc" if self.budgeted else "miou"

    @property
    def dispersive_weight(self) -> float:
        return self.dispersive.weight_for(self.stage)


def _merge(base: dict[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def read_config_mapping(path: Path) -> dict[str, Any]:
    """The raw table of a JSON or TOML config file (validated later, once merged)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.strerror})") from exc
    try:
        if path.suffix.lower() == ".toml":
            import tomllib

            data = tomllib.loads(text)
        else:
            data = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{path}: invalid {path.suffix.lstrip('.').upper() or 'JSON'} ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be an object/table")
    data.pop("$comment", None)
    return data


def resolve_config(
    preset: str | None = None,
    config_file: Path | Sequence[Path] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> TrainConfig:
    """Build the TrainConfig of a run; unknown keys anywhere raise ConfigError naming them."""
    merged: dict[str, Any] = {}
    if preset is not None:
        if preset not in PRESETS:
            raise ConfigError(f"unknown preset {preset!r}; known: {sorted(PRESETS)}")
        merged = _merge(merged, PRESETS[preset])
    where = "config"
    files = [config_file] if isinstance(config_file, (str, Path)) else list(config_file or [])
    for path in files:  # later files win, key by key
        merged = _merge(merged, read_config_mapping(Path(path)))
        where = " + ".join(str(f) for f in files)
    if files:
        # The files are checked as written, before the command line's options: `network = 7` in a
        # file is an error even when --network also names one (it used to hide the bad value).
        from_dict(TrainConfig, merged, where=where)
    if overrides:
        merged = _merge(merged, {k: v for k, v in overrides.items() if v is not None})
    return from_dict(TrainConfig, merged, where=where)
