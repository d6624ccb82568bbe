"""What a training job is given (TrainRequest) and how it ended (TrainOutcome, exit codes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from meddisseg_core.train.config import TrainConfig

EXIT_OK, EXIT_ERROR, EXIT_FAILED, EXIT_CANCELLED = 0, 2, 3, 4
OOM_ADVICE = (
    "the device ran out of memory: lower --batch-size, or data.image_size in --config (a multiple of 16), "
    "or use --network tiny to check the setup; on CUDA keep precision 'auto' (bf16)"
)


@dataclass(frozen=True)
class TrainRequest:
    data_dir: Path
    out_dir: Path
    config: TrainConfig
    init_checkpoint: Path | None = None
    backbone_weights: Path | None = None
    download_backbone: bool = False
    resume: bool = False
    device: str = "auto"
    events: str | Path | None = None
    cancel_file: Path | None = None
    job_id: str | None = None


@dataclass
class TrainOutcome:
    status: str  # finished | cancelled | failed
    exit_code: int
    message: str = ""
    best_metric: float | None = None
    paths: dict[str, str] = field(default_factory=dict)
