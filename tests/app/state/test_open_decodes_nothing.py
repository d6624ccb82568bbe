from pathlib import Path

import cv2
import pytest

from meddisseg_studio.state import Project, codec


def test_opening_2000_images_decodes_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "many"
    (folder / "images").mkdir(parents=True)
    (folder / "masks").mkdir()
    payload = b"not decoded at open"  # a decoder would choke on this, which is the point
    for i in range(2000):
        (folder / "images" / f"img{i:05d}.jpg").write_bytes(payload)
        if i % 2:
            (folder / "masks" / f"img{i:05d}.png").write_bytes(payload)
    calls: list[str] = []

    def counting(name: str):
        def fail(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} called while opening")

        return fail

    for name in ("imread", "imdecode", "imreadmulti"):
        monkeypatch.setattr(cv2, name, counting(f"cv2.{name}"))
    for name in ("read_image", "read_label", "decode_mask_png"):
        monkeypatch.setattr(codec, name, counting(f"codec.{name}"))

    project = Project.open(folder, state_dir=tmp_path / "state")
    assert len(project.entries) == 2000
    assert sum(e.has_label for e in project.entries) == 1000
    assert calls == []
