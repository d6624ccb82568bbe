"""The shipped-model recipe (configs/gpu-default.toml) and its CPU dry-run layer.

The dry run must exercise the GPU run's code paths: layered over the recipe, it may change only
the size of the work (network, batch, image size, checkpoint interval, low-res size).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from meddisseg_core.train.config import resolve_config

CONFIGS = Path(__file__).resolve().parents[2] / "configs"
SIZE_ONLY = {
    ("network",),
    ("batch_size",),
    ("data", "image_size"),
    ("time_budget", "checkpoint_interval_s"),
    ("time_budget", "low_res_size"),
}


def _flat(value: object, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], object]:
    if isinstance(value, dict):
        out: dict[tuple[str, ...], object] = {}
        for key, inner in value.items():
            out.update(_flat(inner, (*prefix, key)))
        return out
    return {prefix: value}


def test_recipe_is_a_time_budget_run_on_logits_with_resident_data() -> None:
    recipe = resolve_config(None, CONFIGS / "gpu-default.toml", {"time_budget": {"seconds": 380}})
    assert recipe.stage == 2 and recipe.network == "paper" and recipe.logit_losses
    assert recipe.data.resident and recipe.data.image_size == 256
    assert recipe.selection_metric == "mdsc" and recipe.budgeted
    assert recipe.optim.decoupled_weight_decay and recipe.optim.clip_grad_norm == 1.0
    assert recipe.dispersive_weight == 0.0  # saturated at 256² (ARCHITECTURE.md §6): no gradient


def test_dry_run_layer_changes_only_the_size_of_the_work() -> None:
    recipe = resolve_config(None, CONFIGS / "gpu-default.toml")
    dry = resolve_config(None, [CONFIGS / "gpu-default.toml", CONFIGS / "gpu-dry-run.toml"])
    a, b = _flat(asdict(recipe)), _flat(asdict(dry))
    changed = {key for key in a if a[key] != b[key]}
    assert changed == SIZE_ONLY
    assert dry.network == "tiny" and dry.data.resident and dry.logit_losses
