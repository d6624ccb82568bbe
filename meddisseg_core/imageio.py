"""Reading images and masks safely, and writing masks.

Every reader looks at the file header first and refuses an image that is too large *before*
decoding it, so that a small file claiming 40000×40000 pixels (a decompression bomb, or just a
whole-slide scan dropped into a folder) costs nothing. The size limit on a side is Qt's 32767,
because the desktop app has to display whatever we accept.

Images come back as RGB (H×W×3, uint8 or uint16). Masks come back as H×W uint8 0/1.
Decoding goes through OpenCV from bytes (``cv2.imdecode``), which also works for non-ASCII
paths on Windows. EXIF orientation is applied, as ``cv2.imread`` does by default (the authors'
pipeline read images that way, and masks are read the same way so they stay aligned).
"""

from __future__ import annotations

import errno
import os
import stat
import struct
import zlib
from pathlib import Path
from typing import BinaryIO, NamedTuple

import cv2
import numpy as np

from meddisseg_core.atomic import atomic_write_bytes
from meddisseg_core.errors import ImageReadError, ImageTooLargeError, MaskError

SUPPORTED_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff"})
DEFAULT_MAX_PIXELS = 12000 * 12000
MAX_SIDE = 32767  # QImage cannot hold a wider or taller image.

# Formats we know how to read a header for; decided by the file's magic bytes, not its name.
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_LOSSLESS = frozenset({"png", "bmp", "tiff"})


# --------------------------------------------------------------------------- header parsing


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise ValueError("file ends inside its header")
    return data


def _png_size(stream: BinaryIO) -> tuple[int, int]:
    stream.seek(8)
    length, kind = struct.unpack(">I4s", _read_exact(stream, 8))
    if kind != b"IHDR" or length < 8:
        raise ValueError("PNG without an IHDR chunk")
    width, height = struct.unpack(">II", _read_exact(stream, 8))
    return width, height


def _jpeg_size(stream: BinaryIO) -> tuple[int, int]:
    stream.seek(2)
    # Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range.
    sof = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
    while True:
        byte = _read_exact(stream, 1)
        if byte != b"\xff":
            raise ValueError("JPEG marker expected")
        marker = _read_exact(stream, 1)[0]
        while marker == 0xFF:  # fill bytes before a marker are allowed
            marker = _read_exact(stream, 1)[0]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            continue  # markers without a length field
        if marker in (0xD9, 0xDA):
            raise ValueError("JPEG has no frame header before its image data")
        (length,) = struct.unpack(">H", _read_exact(stream, 2))
        if length < 2:
            raise ValueError("JPEG segment with an invalid length")
        if marker in sof:
            _precision, height, width = struct.unpack(">BHH", _read_exact(stream, 5))
            return width, height
        stream.seek(length - 2, 1)


def _bmp_size(stream: BinaryIO) -> tuple[int, int]:
    stream.seek(14)
    (header_size,) = struct.unpack("<I", _read_exact(stream, 4))
    if header_size == 12:  # OS/2 BITMAPCOREHEADER: 16-bit sides
        width, height = struct.unpack("<HH", _read_exact(stream, 4))
    else:
        width, height = struct.unpack("<ii", _read_exact(stream, 8))
    return abs(width), abs(height)  # a negative height means top-down rows


def _tiff_size(stream: BinaryIO) -> tuple[int, int]:
    stream.seek(0)
    order = _read_exact(stream, 2)
    endian = "<" if order == b"II" else ">"
    (version,) = struct.unpack(endian + "H", _read_exact(stream, 2))
    if version == 43:
        raise ValueError("BigTIFF is not supported")
    (offset,) = struct.unpack(endian + "I", _read_exact(stream, 4))
    stream.seek(offset)
    (count,) = struct.unpack(endian + "H", _read_exact(stream, 2))
    sides: dict[int, int] = {}
    for _ in range(count):
        tag, kind, _n, raw = struct.unpack(endian + "HHI4s", _read_exact(stream, 12))
        if tag in (256, 257):  # ImageWidth, ImageLength: SHORT (3) or LONG (4), stored inline
            value_fmt = endian + ("H" if kind == 3 else "I")
            sides[tag] = struct.unpack_from(value_fmt, raw)[0]
    if 256 not in sides or 257 not in sides:
        raise ValueError("TIFF without width/height tags")
    return sides[256], sides[257]


def sniff_format(head: bytes) -> str | None:
    """The image format named by the first bytes of a file, or None if it is not one we read."""
    if head.startswith(_PNG_MAGIC):
        return "png"
    if head.startswith(b"\xff\xd8"):
        return "jpeg"
    if head.startswith(b"BM"):
        return "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    return None


def read_header(path: Path | str) -> tuple[str, int, int]:
    """``(format, width, height)`` from the header alone; raises :class:`ImageReadError`."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
            if not head:
                raise ImageReadError(path, "the file is empty (0 bytes)")
            kind = sniff_format(head)
            if kind is None:
                raise ImageReadError(path, "not a supported image (expected JPEG, PNG, BMP or TIFF)")
            parser = {"png": _png_size, "jpeg": _jpeg_size, "bmp": _bmp_size, "tiff": _tiff_size}[kind]
            try:
                width, height = parser(stream)
            except (ValueError, struct.error) as exc:
                raise ImageReadError(path, f"corrupt {kind.upper()} header ({exc})") from exc
    except OSError as exc:
        raise ImageReadError(path, f"cannot open ({exc.strerror or exc})") from exc
    if width <= 0 or height <= 0:
        raise ImageReadError(path, f"header claims an empty image ({width}×{height})")
    return kind, width, height


def check_size(path: Path | str, width: int, height: int, max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
    """Raise :class:`ImageTooLargeError` when ``width``×``height`` exceeds the limits."""
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ImageTooLargeError(
            path, f"image is {width}×{height} pixels; a side may be at most {MAX_SIDE} pixels"
        )
    if width * height > max_pixels:
        raise ImageTooLargeError(
            path,
            f"image is {width}×{height} = {width * height:,} pixels, over the limit of {max_pixels:,}",
        )


# --------------------------------------------------------------------------- decoding


def _decode(path: Path, flags: int, max_pixels: int) -> tuple[np.ndarray, str]:
    kind, width, height = read_header(path)
    check_size(path, width, height, max_pixels)
    try:
        data = np.fromfile(path, dtype=np.uint8)
    except OSError as exc:
        raise ImageReadError(path, f"cannot read ({exc.strerror or exc})") from exc
    try:
        image = cv2.imdecode(data, flags)
    except cv2.error as exc:
        raise ImageReadError(path, f"OpenCV cannot decode it ({str(exc).strip()})") from exc
    if image is None or image.size == 0:
        raise ImageReadError(path, f"corrupt or truncated {kind.upper()} data (decoding failed)")
    if image.dtype not in (np.uint8, np.uint16):
        raise ImageReadError(path, f"unsupported sample type {image.dtype} (only 8- and 16-bit)")
    return image, kind


def to_uint8(image: np.ndarray) -> np.ndarray:
    """8-bit copy of a uint8/uint16 array: 16-bit values are divided by 257 and rounded."""
    if image.dtype == np.uint8:
        return image
    if image.dtype != np.uint16:
        raise TypeError(f"to_uint8 expects uint8 or uint16, got {image.dtype}")
    # 65535 / 257 == 255 exactly, so full scale maps to full scale.
    return np.rint(image.astype(np.float32) / 257.0).astype(np.uint8)


def to_model_uint8(image: np.ndarray) -> np.ndarray:
    """THE pixel rule for a model's input: any image we read, as contiguous RGB H×W×3 uint8.

    16-bit samples are divided by 257 and rounded (:func:`to_uint8`), so full scale stays full
    scale and no image-dependent stretch is applied: the same file gives the same input in the
    app, in ``meddisseg predict``/``evaluate`` and in training. Grey is replicated and alpha
    dropped. Display contrast is a separate, view-only matter (never fed to a model).
    Raises ValueError for other dtypes or channel counts.
    """
    if image.dtype not in (np.uint8, np.uint16):
        raise ValueError(f"expected uint8 or uint16 pixels, got {image.dtype}")
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    if image.ndim != 3 or image.shape[2] not in (3, 4):
        raise ValueError(f"expected an image H×W, H×W×3 or H×W×4, got shape {image.shape}")
    return np.ascontiguousarray(to_uint8(image[:, :, :3]))


def read_image(path: Path | str, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """RGB H×W×3 uint8 or uint16 of an image file; grey is replicated, alpha dropped.

    Raises :class:`ImageTooLargeError` before decoding when the header says the image is too
    large, and :class:`ImageReadError` (with the reason) for anything unreadable.
    """
    path = Path(path)
    # ANYCOLOR keeps grey as one channel and drops alpha; ANYDEPTH keeps 16-bit samples.
    image, _kind = _decode(path, cv2.IMREAD_ANYCOLOR | cv2.IMREAD_ANYDEPTH, max_pixels)
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    elif image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2RGB)
    elif image.shape[2] == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    else:
        raise ImageReadError(path, f"unsupported channel count {image.shape[2]}")
    return np.ascontiguousarray(image)


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def is_palette_png(path: Path) -> bool:
    """True for an indexed-colour PNG (IHDR colour type 3)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(26)
    except OSError:
        return False  # the decoder says why, in the same words as for any other file
    return len(head) == 26 and head[:8] == _PNG_SIGNATURE and head[12:16] == b"IHDR" and head[25] == 3


def _unfilter_row(kind: int, line: np.ndarray, prev: np.ndarray) -> np.ndarray:
    """Undo one PNG scanline filter, one byte per pixel (indexed colour)."""
    if kind == 0:
        return line
    if kind == 1:  # Sub: a running sum, modulo 256
        return (np.cumsum(line, dtype=np.uint64) & 0xFF).astype(np.uint8)
    if kind == 2:  # Up
        return line + prev
    out = [0] * len(line)
    left = 0
    up = prev.tolist()
    for i, value in enumerate(line.tolist()):
        if kind == 3:  # Average
            left = (value + ((left + up[i]) >> 1)) & 0xFF
        elif kind == 4:  # Paeth
            a, b, c = left, up[i], up[i - 1] if i else 0
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            left = (value + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        else:
            raise ValueError(f"unknown PNG filter type {kind}")
        out[i] = left
    return np.array(out, np.uint8)


def read_png_indices(
    path: Path | str, *, max_pixels: int = DEFAULT_MAX_PIXELS
) -> tuple[np.ndarray, np.ndarray]:
    """An indexed-colour PNG's palette indices (H×W uint8) and its palette (N×3 RGB uint8).

    OpenCV only returns the colours a palette maps indices to, so the few chunks are read here.
    Interlaced files are refused (rare for masks). Raises :class:`MaskError`.
    """
    path = Path(path)
    try:
        _kind, width, height = read_header(path)
        check_size(path, width, height, max_pixels)
        data = path.read_bytes()
    except ImageReadError as exc:
        raise MaskError(f"{path}: {exc.reason}") from exc
    except OSError as exc:
        raise MaskError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    palette, idat, at = None, [], 8
    try:
        bits, colour_type, interlace = data[24], data[25], data[28]
        while at + 8 <= len(data):
            length, chunk = struct.unpack_from(">I4s", data, at)
            body = data[at + 8 : at + 8 + length]
            if chunk == b"PLTE":
                palette = np.frombuffer(body[: length - length % 3], np.uint8).reshape(-1, 3)
            elif chunk == b"IDAT":
                idat.append(body)
            elif chunk == b"IEND":
                break
            at += 12 + length
        raw = zlib.decompress(b"".join(idat))
    except (IndexError, struct.error, zlib.error) as exc:
        raise MaskError(f"{path}: corrupt or truncated PNG data ({exc})") from exc
    if colour_type != 3 or bits not in (1, 2, 4, 8):
        raise MaskError(f"{path}: not an indexed-colour PNG (colour type {colour_type}, {bits} bits)")
    if palette is None or not len(palette):
        raise MaskError(f"{path}: an indexed-colour PNG without a palette (PLTE chunk)")
    if interlace:
        raise MaskError(f"{path}: an interlaced palette PNG; save the mask without interlacing")
    stride = (width * bits + 7) // 8
    if len(raw) < height * (stride + 1):
        raise MaskError(f"{path}: corrupt or truncated PNG data ({len(raw)} bytes of pixels)")
    rows = np.empty((height, stride), np.uint8)
    prev = np.zeros(stride, np.uint8)
    for y in range(height):
        offset = y * (stride + 1)
        line = np.frombuffer(raw, np.uint8, stride, offset + 1)
        try:
            prev = rows[y] = _unfilter_row(raw[offset], line, prev)
        except ValueError as exc:
            raise MaskError(f"{path}: corrupt PNG data ({exc})") from exc
    if bits == 8:
        return rows[:, :width], palette
    per_byte = 8 // bits
    shifts = np.array([8 - bits * (i + 1) for i in range(per_byte)], np.uint8)
    unpacked = (rows[:, :, None] >> shifts) & np.uint8((1 << bits) - 1)
    return unpacked.reshape(height, -1)[:, :width], palette


def _palette_foreground(path: Path, max_pixels: int) -> np.ndarray:
    """Index > 0 is foreground, whatever the entries' colours (VOC's index 1 is dark red; a 1-bit
    mask may map 0 to white). Where a used index > 0 has index 0's colour, the file shows no
    difference between what it says is foreground and background: refused rather than guessed."""
    indices, palette = read_png_indices(path, max_pixels=max_pixels)
    used = np.unique(indices)
    if used.max(initial=0) >= len(palette):
        raise MaskError(f"{path}: index {int(used.max())} is beyond its {len(palette)}-entry palette")
    twins = [int(i) for i in used if i > 0 and np.array_equal(palette[i], palette[0])]
    if twins:
        colour = tuple(int(v) for v in palette[0])
        raise MaskError(
            f"{path}: ambiguous palette: index {twins[0]} (foreground) has the colour of index 0 "
            f"(background), RGB {colour}; save the mask with distinct colours or as a grey 0/255 PNG"
        )
    return (indices > 0).astype(np.uint8)


def read_mask_grey(path: Path | str, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """A mask file as the authors read it: H×W uint8 grey (0..255), not yet thresholded.

    Colour masks are converted the way ``cv2.imread(path, IMREAD_GRAYSCALE)`` does (for JPEG the
    decoder's own luma), so resizing this gives the authors' soft targets bit for bit.
    16-bit masks are scaled to 8 bit with :func:`to_uint8`. Indexed-colour (palette) PNGs are read
    by index, not brightness: index 0 is 0, any other index 255 (:func:`_palette_foreground`).
    """
    path = Path(path)
    if is_palette_png(path):
        return _palette_foreground(path, max_pixels) * np.uint8(255)
    try:
        grey, kind = _decode(path, cv2.IMREAD_GRAYSCALE | cv2.IMREAD_ANYDEPTH, max_pixels)
    except ImageReadError as exc:
        raise MaskError(f"{path}: {exc.reason}") from exc
    grey = to_uint8(grey)
    if kind in _LOSSLESS and grey.max(initial=0) == 1:
        # A lossless mask holding only 0 and 1 is a label map, not a dark 0/255 image:
        # without this it would silently read as empty. (JPEG noise can reach 1, so not there.)
        grey = grey * np.uint8(255)
    return grey


def read_mask(
    path: Path | str,
    expected_shape: tuple[int, int] | None = None,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> np.ndarray:
    """H×W uint8 mask with values 0/1 (grey ≥ 128 is foreground; JPEG noise stays below it).

    Raises :class:`MaskError` if the file is unreadable or its size differs from
    ``expected_shape`` (H, W), naming both shapes.
    """
    grey = read_mask_grey(path, max_pixels=max_pixels)
    if expected_shape is not None and tuple(grey.shape) != tuple(expected_shape[:2]):
        raise MaskError(
            f"{path}: mask is {grey.shape[0]}×{grey.shape[1]} (H×W) but the image is "
            f"{expected_shape[0]}×{expected_shape[1]}"
        )
    return (grey >= 128).astype(np.uint8)


def encode_mask_png(mask: np.ndarray) -> bytes:
    """PNG bytes of a 0/255 single-channel image for a mask (any non-zero value is foreground)."""
    if mask.ndim != 2:
        raise ValueError(f"a mask must be H×W, got shape {mask.shape}")
    binary = np.where(mask > 0, np.uint8(255), np.uint8(0))
    ok, buffer = cv2.imencode(".png", binary)
    if not ok:
        raise ValueError(f"OpenCV could not encode a {mask.shape} mask as PNG")
    return buffer.tobytes()


def write_mask_png(path: Path | str, mask: np.ndarray) -> None:
    """Write ``mask`` (H×W, non-zero = foreground) as a 0/255 PNG, atomically."""
    atomic_write_bytes(path, encode_mask_png(mask))


class ImageScan(NamedTuple):
    """The image files of a folder: readable ``images`` and ``unreadable`` (path, reason) pairs."""

    images: list[Path]
    unreadable: list[tuple[Path, str]]


def unreadable_reason(error: OSError) -> str:
    """Why a folder entry that looks like an image cannot be opened, in words for the user."""
    if error.errno == errno.ELOOP:
        return "symbolic link loop: the link leads back to itself (too many levels of symbolic links)"
    if error.errno == errno.ENOENT:
        return "broken symbolic link: its target does not exist"
    return f"cannot open ({error.strerror or error})"


def is_image_name(name: str) -> bool:
    """A visible file name with a supported suffix (any case).

    Hidden files are skipped: macOS leaves ``._name.jpg`` resource forks beside real images.
    """
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in SUPPORTED_EXTENSIONS


def scan_images(folder: Path | str) -> ImageScan:
    """Image files directly in ``folder`` (sorted by name), and those that cannot be opened.

    A symbolic link loop or a broken link with an image name is reported with its reason
    instead of being skipped silently (or stopping the scan).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ImageReadError(folder, "not a folder")
    images: list[Path] = []
    unreadable: list[tuple[Path, str]] = []
    try:
        with os.scandir(folder) as entries:
            listed = [entry for entry in entries if is_image_name(entry.name)]
    except OSError as exc:
        raise ImageReadError(folder, f"cannot list the folder ({exc.strerror or exc})") from exc
    for entry in listed:
        path = Path(entry.path)
        try:
            if stat.S_ISREG(os.stat(path).st_mode):  # follows links, so a loop raises here
                images.append(path)
        except OSError as exc:
            unreadable.append((path, unreadable_reason(exc)))
    images.sort(key=lambda p: p.name)
    unreadable.sort(key=lambda item: item[0].name)
    return ImageScan(images, unreadable)


def list_images(folder: Path | str) -> list[Path]:
    """Image files directly in ``folder`` with a supported extension (any case), sorted by name.

    Entries that cannot be opened are left out; :func:`scan_images` also says which and why.
    """
    return scan_images(folder).images
