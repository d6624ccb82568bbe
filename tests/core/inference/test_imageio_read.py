"""read_image: formats, bit depths, channel layouts, all returned as RGB."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_core.imageio import list_images, read_header, read_image, to_uint8


def _bgr(h: int = 6, w: int = 9) -> np.ndarray:
    img = np.zeros((h, w, 3), np.uint8)
    img[..., 0], img[..., 1], img[..., 2] = 10, 120, 240  # B, G, R
    return img


@pytest.mark.parametrize("ext", [".png", ".bmp", ".tif", ".jpg"])
def test_colour_file_comes_back_rgb(tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"img{ext}"
    assert cv2.imwrite(str(path), _bgr())
    image = read_image(path)
    assert image.shape == (6, 9, 3) and image.dtype == np.uint8
    # JPEG is lossy, hence the tolerance; the order must be R, G, B.
    np.testing.assert_allclose(image[2, 3].astype(int), [240, 120, 10], atol=3)


def test_grey_is_replicated(tmp_path: Path) -> None:
    grey = np.arange(20, dtype=np.uint8).reshape(4, 5) * 10
    cv2.imwrite(str(tmp_path / "g.png"), grey)
    image = read_image(tmp_path / "g.png")
    assert image.shape == (4, 5, 3)
    for c in range(3):
        np.testing.assert_array_equal(image[..., c], grey)


def test_rgba_alpha_is_dropped(tmp_path: Path) -> None:
    bgra = np.dstack([_bgr(), np.full((6, 9), 7, np.uint8)])
    cv2.imwrite(str(tmp_path / "a.png"), bgra)
    image = read_image(tmp_path / "a.png")
    assert image.shape == (6, 9, 3)
    np.testing.assert_array_equal(image[0, 0], [240, 120, 10])


@pytest.mark.parametrize("ext", [".png", ".tif"])
def test_sixteen_bit_is_kept_and_converts(tmp_path: Path, ext: str) -> None:
    grey = np.array([[0, 257, 65535], [32768, 1000, 128]], np.uint16)
    cv2.imwrite(str(tmp_path / f"d{ext}"), grey)
    image = read_image(tmp_path / f"d{ext}")
    assert image.dtype == np.uint16 and image.shape == (2, 3, 3)
    np.testing.assert_array_equal(image[..., 1], grey)
    np.testing.assert_array_equal(to_uint8(image)[..., 0], [[0, 1, 255], [128, 4, 0]])


def test_format_is_sniffed_not_taken_from_the_name(tmp_path: Path) -> None:
    path = tmp_path / "really_a_png.jpg"
    path.write_bytes(cv2.imencode(".png", _bgr())[1].tobytes())
    assert read_header(path) == ("png", 9, 6)
    assert read_image(path).shape == (6, 9, 3)


def test_real_kvasir_image_header_matches_decode(kvasir_dir: Path) -> None:
    path = sorted((kvasir_dir / "images").glob("*.jpg"))[0]
    kind, width, height = read_header(path)
    image = read_image(path)
    assert kind == "jpeg" and image.shape == (height, width, 3)
    # Same pixels as the authors' cv2.imread, just in RGB order.
    np.testing.assert_array_equal(image[..., ::-1], cv2.imread(str(path)))


def test_list_images_sorted_case_insensitive(tmp_path: Path) -> None:
    for name in ["b.PNG", "a.jpg", "c.tiff", "d.txt", ".hidden.png", "e.JPEG"]:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub.png").mkdir()
    assert [p.name for p in list_images(tmp_path)] == ["a.jpg", "b.PNG", "c.tiff", "e.JPEG"]
