"""The shipped default model does what its card says: ``meddisseg evaluate`` with no ``--weights``
on 12 Kvasir-SEG val images reproduces the card's per-image Dice within 0.5 points.

The card's numbers (resources/models/default.json) come from the GPU run (fp32, TF32 off); this
re-computes them on this machine from ../shared's original files, one image at a time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meddisseg_core.cli import evaluate as evaluate_cli
from meddisseg_core.cli.main import main
from meddisseg_core.inference.model_location import default_model_path

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "resources" / "models" / "default.safetensors"
CARD = ROOT / "resources" / "models" / "default.json"
IMAGES = 12
TOLERANCE = 0.5  # Dice points


@pytest.mark.slow
def test_evaluate_without_weights_reproduces_the_cards_per_image_dice(
    kvasir_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if not MODEL.is_file():
        pytest.skip(
            "no default model ships yet (resources/models/default.safetensors is absent): nothing to check"
        )
    monkeypatch.delenv("MEDDISSEG_MODEL", raising=False)
    assert default_model_path() is not None and default_model_path().resolve() == MODEL.resolve()
    card = json.loads(CARD.read_text(encoding="utf-8"))
    val = [line.strip() for line in (kvasir_dir / "val.txt").read_text().splitlines() if line.strip()]
    names = [name for name in val if name in card["per_image"]][:IMAGES]
    assert len(names) == IMAGES, "the card must list the val images' scores"
    # One model load for the 12 runs: the first goes through the real default-model lookup.
    built: dict[str, object] = {}
    real = evaluate_cli.build_predictor

    def once(args):
        if "predictor" not in built:
            built["predictor"] = real(args)
        return built["predictor"]

    monkeypatch.setattr(evaluate_cli, "build_predictor", once)
    differences = {}
    for name in names:
        split = tmp_path / f"{Path(name).stem}.txt"
        split.write_text(name + "\n", encoding="utf-8")
        capsys.readouterr()
        # fp32 like the card (auto may pick a bf16 precision on a bf16 CPU, whose masks differ a little).
        args = ["evaluate", "--data", str(kvasir_dir), "--split", str(split), "--json", "--precision", "fp32"]
        assert main(args) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["images"] == 1 and report["weights"] == "default"
        differences[name] = report["at_256"]["mdsc"] - card["per_image"][name]["dice_256"]
    worst = max(differences.items(), key=lambda item: abs(item[1]))
    print(f"\nlargest per-image Dice difference from the card: {worst[1]:+.3f} points ({worst[0]})")
    assert abs(worst[1]) <= TOLERANCE
