"""Ending a fine-tuning job: compare the new model with its base and register it.

The new model is registered whether or not it is better (a worse one is kept, never made
current by default); ``result.json`` in the job folder says what happened, for the app and for
whoever ran the job elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from safetensors.torch import load_file

from meddisseg_core.atomic import atomic_write_text
from meddisseg_core.checkpoint import InputConvention, ModelMetadata, load_model, save_model
from meddisseg_core.errors import TrainingError
from meddisseg_core.models.compare import PROTOCOL, Comparison, HeldOutImage, compare_models
from meddisseg_core.models.jobspec import CANDIDATE_NAME, DATA_DIR, RESULT_NAME, RUN_DIR, read_spec
from meddisseg_core.models.prepare import dataset_name
from meddisseg_core.models.record import HeldOutMetrics, ModelRecord, TrainedOn
from meddisseg_core.models.registry import ModelRegistry
from meddisseg_core.train.final import FINAL_NAME
from meddisseg_core.train.state import has_latest, latest_weights_path


class JobResult(NamedTuple):
    record: ModelRecord
    comparison: Comparison
    result_path: Path


def held_out_items(job_dir: Path, keys: tuple[str, ...]) -> list[HeldOutImage]:
    data = Path(job_dir) / DATA_DIR
    return [
        HeldOutImage(key, data / "images" / dataset_name(key), data / "masks" / dataset_name(key))
        for key in keys
    ]


def write_candidate(run_dir: Path, dest: Path) -> Path:
    """The last epoch's weights as a regular model file, with the finished run's metadata.

    The resumable checkpoint holds bare weights; ``model.safetensors`` (written when the run
    finishes) carries the network config and run metadata but the best epoch's weights.
    """
    final = run_dir / FINAL_NAME
    if not final.is_file() or not has_latest(run_dir):
        raise TrainingError(f"{run_dir}: the job left no model (did training finish?)")
    loaded = load_model(final)
    loaded.network.load_state_dict(load_file(str(latest_weights_path(run_dir))), strict=True)
    save_model(dest, loaded.network, loaded.metadata)
    return dest


def finish_job(spec_path: Path, registry: ModelRegistry | None = None, *, device: str = "auto") -> JobResult:
    spec, job_dir = read_spec(spec_path)
    registry = registry or ModelRegistry()
    candidate = write_candidate(job_dir / RUN_DIR, job_dir / CANDIDATE_NAME)
    base = job_dir / spec.base_model if spec.base_model else None
    comparison = compare_models(
        base,
        candidate,
        held_out_items(job_dir, spec.held_out_images),
        device=device,
        threshold=spec.threshold,
        corrected=spec.corrected_images,
    )
    trained = load_model(candidate)
    if base is not None:
        base_meta = load_model(base).metadata
        name = f"{base_meta.name or spec.base_id} fine-tuned"
    else:
        base_meta = ModelMetadata(trained.metadata.network, InputConvention(size=(spec.image_size,) * 2))
        name = f"stage-{spec.stage} network trained on {len(spec.train_images)} approved images"
    scope = "decoder only" if spec.train_scope == "decoder" else "all weights"
    notes = (
        f"fine-tuned from {spec.base_id or 'scratch'} on {len(spec.train_images)} approved image(s) of "
        f"{spec.source_folder}; {spec.epochs} epoch(s), {scope}; job {spec.job_id}"
    )
    model_path = job_dir / "model-finetuned.safetensors"
    save_model(
        model_path,
        trained.network,
        ModelMetadata(
            network=trained.metadata.network,
            input=base_meta.input,  # the base's convention (colour order, size) carries over
            name=name,
            training_data=spec.source_folder,
            split=json.dumps({"train": len(spec.train_images), "held_out": len(spec.held_out_images)}),
            metrics={"dice": comparison.after.dice, "iou": comparison.after.iou},
            notes=notes,
        ),
    )
    metrics = HeldOutMetrics(
        values={
            "dice": comparison.after.dice,
            "iou": comparison.after.iou,
            "dice_before": comparison.before.dice,
            "iou_before": comparison.before.iou,
            **_group_values(comparison),
        },
        folder=spec.source_folder,
        images=spec.held_out_images,
        protocol=PROTOCOL.format(threshold=spec.threshold) + f"; before = {spec.base_id or 'no model'}",
    )
    record = registry.add_file(
        model_path,
        source="fine-tuned",
        name=name,
        id_hint=f"ft-{spec.job_id}",
        parent=spec.base_id,
        trained_on=TrainedOn(spec.source_folder, spec.train_images),
        metrics=metrics,
        notes=notes,
    )
    result = {"job_id": spec.job_id, "base_id": spec.base_id, "new_id": record.id, **comparison.as_dict()}
    result_path = job_dir / RESULT_NAME
    atomic_write_text(result_path, json.dumps(result, indent=1) + "\n")
    model_path.unlink()  # the registry holds its own copy
    return JobResult(record, comparison, result_path)


def _group_values(comparison: Comparison) -> dict[str, float]:
    """The corrected group's scores for the record (numbers only: an empty group is left out)."""
    group = comparison.group(comparison.corrected)
    values = {"dice_corrected": group["after"]["dice"], "dice_corrected_before": group["before"]["dice"]}  # type: ignore[index]
    return {k: float(v) for k, v in values.items() if v is not None}


def read_result(job_dir: Path) -> dict[str, object]:
    return json.loads((Path(job_dir) / RESULT_NAME).read_text(encoding="utf-8"))
