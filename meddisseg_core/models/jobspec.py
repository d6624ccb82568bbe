"""The fine-tuning job specification: one JSON file that says everything a job needs.

A job folder is self-contained, with relative paths only, so it can be copied to another machine
and run there (docs/FINETUNE.md)::

    job.json             this spec
    base.safetensors     the model to start from (or base.pth); sha256 in the spec
    data/                images/ + masks/ (authors' layout) + train.txt / val.txt (val = held out)
    train_config.json    the TrainConfig of the run (written from the spec)
    run/                 the trainer's folder: events.jsonl, train.log, checkpoints/, model.safetensors
    candidate.safetensors  the last epoch's weights, with the run's metadata (finish-job)
    result.json          written by `meddisseg models finish-job`: before/after and the new id
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from meddisseg_core.atomic import atomic_write_text
from meddisseg_core.config import from_dict, to_dict
from meddisseg_core.errors import ConfigError
from meddisseg_core.nn import NetworkConfig

SPEC_NAME = "job.json"
SPEC_VERSION = 1
DATA_DIR, RUN_DIR, CONFIG_NAME, RESULT_NAME = "data", "run", "train_config.json", "result.json"
# The candidate is the last epoch's weights (the run's current resumable checkpoint), not the
# epoch that scored best on the held-out images: choosing on them would make the before/after
# comparison flatter the new model. finish-job writes it, with the run's metadata, under this name.
CANDIDATE_NAME = "candidate.safetensors"


@dataclass(frozen=True)
class FineTuneSpec:
    """Settings of one fine-tuning job; paths are relative to the job folder."""

    job_id: str
    base_model: str  # "" = a new network trained from scratch
    base_id: str
    base_sha256: str
    source_folder: str
    train_images: tuple[str, ...]
    held_out_images: tuple[str, ...]
    stage: int
    network: Literal["paper", "tiny"]
    image_size: int = 256
    batch_size: int = 4
    epochs: int = 10
    time_budget_s: float | None = None  # what the user asked for; ``epochs`` was derived from it
    train_scope: Literal["all", "decoder"] = "all"
    device: str = "auto"
    nproc_per_node: int = 1
    threshold: float = 0.5
    seed: int = 0
    # auto: bf16 autocast where the GPU or CPU runs it natively (train/numerics.py); "fp32" forces it.
    precision: Literal["auto", "fp32", "bf16"] = "auto"
    # Train on batches resized to this side (on the device); the model and held-out scoring keep
    # image_size. None: train at image_size.
    train_size: int | None = None
    created: str = ""
    # The keys (train and held out) whose approved mask a person corrected; the before/after
    # verdict rests on the held-out ones (docs/FINETUNE.md). Empty in specs older than this field.
    corrected_images: tuple[str, ...] = ()
    version: int = SPEC_VERSION

    def __post_init__(self) -> None:
        if self.version != SPEC_VERSION:
            raise ConfigError(f"job spec version {self.version} is not supported (this reads {SPEC_VERSION})")
        if not self.train_images:
            raise ConfigError("a fine-tuning job needs at least one training image")
        if not self.held_out_images:
            raise ConfigError("a fine-tuning job needs at least one held-out image (before/after)")
        if set(self.train_images) & set(self.held_out_images):
            raise ConfigError("held-out images must not be trained on")
        if set(self.corrected_images) - set(self.train_images) - set(self.held_out_images):
            raise ConfigError("corrected_images must be among the train and held-out images")
        if self.epochs < 1 or self.batch_size < 1 or self.nproc_per_node < 1:
            raise ConfigError("epochs, batch_size and nproc_per_node must be >= 1")
        if self.nproc_per_node > 1 and self.device not in ("cuda", "auto"):
            raise ConfigError(
                f"{self.nproc_per_node} processes need device 'cuda' (each rank takes its own GPU), "
                f"not {self.device!r}"
            )
        if self.image_size < 16 or self.image_size % 16:
            raise ConfigError(f"image_size must be a multiple of 16, got {self.image_size}")
        if self.train_size is not None and (self.train_size < 16 or self.train_size % 16):
            raise ConfigError(f"train_size must be a multiple of 16, got {self.train_size}")

    def train_config(self) -> dict[str, Any]:
        """The TrainConfig table of the run (see meddisseg_core.train.config).

        With a time budget the trainer stops on time by itself (``epochs`` only bounds it), so a
        job never waits for a speed measurement to know how many epochs fit. With ``train_size``
        every batch is resized to it: low_res_fraction 1 keeps the whole run in the "low-resolution
        phase" (an epoch-based run is always in its first fraction)."""
        budget: dict[str, Any] = {"seconds": self.time_budget_s} if self.time_budget_s else {}
        if self.train_size:
            budget.update(low_res_size=self.train_size, low_res_fraction=1.0)
        return {
            "precision": self.precision,
            **({"time_budget": budget} if budget else {}),
            "stage": self.stage,
            "network": self.network,
            "epochs": self.epochs,
            "early_stop_patience": self.epochs,  # a fine-tune runs the epochs it was given
            "batch_size": self.batch_size,
            "seed": self.seed,
            "progress": False,
            "train_scope": self.train_scope,
            "data": {"image_size": self.image_size},
        }

    def train_args(self, job_dir: Path) -> list[str]:
        """Arguments of ``meddisseg train`` for this job, without --out/--events/--cancel-file."""
        job_dir = Path(job_dir)
        # No base model: a new network from scratch (the trainer warns about that in its events).
        init = ["--init", str(job_dir / self.base_model)] if self.base_model else []
        return [
            "--data",
            str(job_dir / DATA_DIR),
            "--stage",
            str(self.stage),
            *init,
            "--config",
            str(job_dir / CONFIG_NAME),
            "--device",
            self.device,
            "--job-id",
            self.job_id,
        ]

    def command(self, job_dir: Path, python: str = sys.executable) -> list[str]:
        """The full command line: ``python -m meddisseg_core train ...``, or torchrun for N > 1."""
        job_dir = Path(job_dir)
        run = job_dir / RUN_DIR
        tail = [
            *self.train_args(job_dir),
            "--out",
            str(run),
            "--events",
            str(run / "events.jsonl"),
            "--cancel-file",
            str(run / "CANCEL"),
        ]
        return [python, *launcher(self.nproc_per_node), "train", *tail]


def launcher(nproc: int) -> list[str]:
    """How to start ``meddisseg_core`` with ``nproc`` processes on this node (after the python)."""
    if nproc <= 1:
        return ["-m", "meddisseg_core"]
    return [
        "-m",
        "torch.distributed.run",
        "--standalone",
        f"--nproc_per_node={nproc}",
        "-m",
        "meddisseg_core",
    ]


def network_kind(config: NetworkConfig) -> Literal["paper", "tiny"]:
    """Which trainer network a model is; fine-tuning needs one the trainer can build."""
    for kind in ("paper", "tiny"):
        reference = getattr(NetworkConfig, kind)(config.stage)
        same = (config.encoder_blocks, config.encoder_width, config.decoder_channels) == (
            reference.encoder_blocks,
            reference.encoder_width,
            reference.decoder_channels,
        )
        # Stage 1 has no attention: a checkpoint cannot tell its head count.
        if same and (config.stage == 1 or config.attention_heads == reference.attention_heads):
            return kind  # type: ignore[return-value]
    raise ConfigError(f"fine-tuning supports the paper and tiny networks, not {config}")


def write_spec(job_dir: Path, spec: FineTuneSpec) -> Path:
    job_dir = Path(job_dir)
    path = job_dir / SPEC_NAME
    atomic_write_text(path, json.dumps(to_dict(spec), indent=1) + "\n")
    atomic_write_text(job_dir / CONFIG_NAME, json.dumps(spec.train_config(), indent=1) + "\n")
    return path


def read_spec(path: Path | str) -> tuple[FineTuneSpec, Path]:
    """(spec, job folder) of a job.json (or of the folder holding it)."""
    path = Path(path)
    if path.is_dir():
        path = path / SPEC_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the job spec ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: invalid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the job spec must be a JSON object")
    return from_dict(FineTuneSpec, data, where=str(path)), path.parent
