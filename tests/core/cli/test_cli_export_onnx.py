"""The bar: ``meddisseg export-onnx`` of an authors'-format checkpoint, run in ONNX Runtime,
gives the probabilities of our PyTorch path (max |Δ| ≤ 1e-4) and the masks of ``meddisseg predict``
on real Kvasir images. Also checks the metadata and the X-AnyLabeling config written beside it.
"""

import json
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_core.cli import main as cli_main

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

N_IMAGES = 4


def _authors_checkpoint(path: Path, stage: int, sample_rgb: np.ndarray) -> Path:
    """A tiny network with non-default weights, saved as the authors save theirs (plain state_dict).

    Random tiny networks answer about 0.5 everywhere (stage 1) or below it everywhere (stage 2);
    stage 2's last layer has a bias, so it is rescaled around the sample's median logit to give
    masks with lesions and background.
    """
    import torch

    from meddisseg_core.checkpoint import load_model
    from meddisseg_core.inference import Predictor
    from meddisseg_core.nn import NetworkConfig, build_network

    torch.manual_seed(stage)  # the initialisation too: the test must not depend on earlier tests
    network = build_network(NetworkConfig.tiny(stage))
    generator = torch.Generator().manual_seed(stage)
    with torch.no_grad():
        for value in network.state_dict().values():
            if value.is_floating_point():
                value.add_(0.05 * torch.randn(value.shape, generator=generator))
    torch.save(network.state_dict(), path)
    last = network.head.fuse if stage == 1 else network.output.c3
    if last.bias is None:
        return path
    probability = Predictor(load_model(path), device="cpu").predict(sample_rgb).network_probability
    spread = float(np.quantile(probability, 0.9) - np.quantile(probability, 0.1))
    centre = float(np.log(np.median(probability) / (1.0 - np.median(probability))))
    scale = 0.75 / max(spread, 1e-6)  # 10% / 90% quantiles at about 0.2 / 0.8 on this image
    with torch.no_grad():
        last.weight.mul_(scale)
        last.bias.copy_(scale * (last.bias - centre))
    torch.save(network.state_dict(), path)
    return path


@pytest.mark.slow  # exporting takes tens of seconds on the 2-core CI machine
@pytest.mark.parametrize("stage", [1, 2])
def test_onnx_runtime_matches_torch_and_predict(
    stage: int, kvasir_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from meddisseg_core.checkpoint import load_model
    from meddisseg_core.imageio import read_image
    from meddisseg_core.inference import Predictor
    from meddisseg_core.inference.preprocessing import resize_map
    from meddisseg_core.onnx_export import INPUT_NAME, OUTPUT_NAME, onnx_input

    monkeypatch.setattr(cli_main, "SUBCOMMANDS", ("predict", "export-onnx"))
    images = tmp_path / "images"
    images.mkdir()
    for name in (kvasir_dir / "val.txt").read_text().split()[:N_IMAGES]:
        shutil.copyfile(kvasir_dir / "images" / name, images / name)
    first = sorted(images.iterdir())[0]
    weights = _authors_checkpoint(tmp_path / f"checkpoint{stage}.pth", stage, read_image(first))
    model = tmp_path / "export" / "model.onnx"
    model.parent.mkdir()

    assert cli_main.main(["export-onnx", "--weights", str(weights), "--out", str(model)]) == 0
    assert "verified with onnxruntime" in capsys.readouterr().out
    masks = tmp_path / "masks"
    predict = ["predict", "--weights", str(weights), "--input", str(images), "--output", str(masks)]
    assert cli_main.main(predict) == 0

    meta = {p.key: p.value for p in onnx.load(str(model)).metadata_props}
    assert meta["input_colour_order"] == "RGB" and meta["input_scale"] == "1/255"
    assert json.loads(meta["input_shape"]) == [1, 3, 256, 256]
    assert json.loads(meta["classes"]) == ["_background_", "lesion"]
    config = (model.parent / "model.yaml").read_text()
    for line in ('type: "unet"', 'model_path: "model.onnx"', '  - "_background_"', '  - "lesion"'):
        assert line in config.splitlines()

    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    assert [i.shape for i in session.get_inputs()] == [[1, 3, 256, 256]]
    predictor = Predictor(load_model(weights), device="cpu")
    worst, foreground = 0.0, []
    for path in sorted(images.iterdir()):
        rgb = read_image(path)
        out = session.run([OUTPUT_NAME], {INPUT_NAME: onnx_input(rgb, (256, 256))})[0]
        assert out.shape == (1, 2, 256, 256)
        assert np.allclose(out[0, 0] + out[0, 1], 1.0, atol=1e-6)
        ours = predictor.predict(rgb)
        worst = max(worst, float(np.abs(out[0, 1] - ours.network_probability).max()))
        full = resize_map(out[0, 1], rgb.shape[:2])
        written = cv2.imread(str(masks / f"{path.stem}.png"), cv2.IMREAD_GRAYSCALE) > 0
        # A pixel within the allowed difference of the threshold may fall either way.
        decisive = np.abs(full - 0.5) > 1e-4
        assert np.array_equal((full > 0.5)[decisive], written[decisive]), path.name
        assert decisive.mean() > 0.9, path.name
        foreground.append(float(written.mean()))
    assert worst <= 1e-4
    if stage == 2:  # calibrated above: the masks compared have lesions and background
        assert any(0.01 < f < 0.99 for f in foreground), foreground
