"""PNG as a medical-image container: one grayscale slice, 8-bit or 16-bit with a HU
offset.

"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from medtutor.data.errors import DataError, Limits, check_file_size
from medtutor.data.preprocess import apply_window

__all__ = ["HU_OFFSET", "encode_pixels", "read_png"]

#: 16-bit PNGs store ``HU + HU_OFFSET`` (as many DICOM files store CT): -1024 HU is 0.
HU_OFFSET = 1024
_GRAY_MODES = {"L", "I;16", "I;16B", "I;16L", "I"}


def _as_grayscale(im, path: Path, rgb: str):
    """Grayscale in all but name becomes grayscale: 1-bit, a palette of greys, grey
    with an opaque alpha channel. True colour is refused unless ``rgb="convert"``."""
    mode = im.mode
    if mode in _GRAY_MODES:
        return im
    if mode == "1":
        return im.convert("L")  # black and white: 0 and 255
    if mode in ("LA", "La", "PA"):
        alpha = np.asarray(im.getchannel("A"))
        if alpha.min() < 255:
            raise DataError(
                f"{path}: {int((alpha < 255).sum())} transparent pixels (mode {mode}); "
                "save the image without transparency"
            )
        im = im.convert("L") if mode != "PA" else im.convert("RGB")
        if im.mode == "L":
            return im
        mode = "P"
    if mode == "P" or im.mode == "RGB":
        rgb_image = im.convert("RGB")
        pixels = np.asarray(rgb_image)
        if (pixels[..., 0] == pixels[..., 1]).all() and (
            pixels[..., 1] == pixels[..., 2]
        ).all():
            return rgb_image.convert("L")  # a palette (or RGB) of greys only
    if rgb != "convert":
        raise DataError(
            f"{path}: colour image (mode {im.mode}) where grayscale is expected; "
            "pass rgb='convert' (--rgb convert on the command line) to convert it"
        )
    return im.convert("L")


def read_png(path: str | os.PathLike, *, rgb: str = "error") -> np.ndarray:
    """Read one grayscale PNG (8- or 16-bit) into a 2D array, with a clear error if it
    is bad.

    Parameters
    ----------
    path : path-like
        The PNG file.
    rgb : {"error", "convert"}
        What to do with a colour image: refuse it (default), or convert it to grayscale
        with the ITU-R 601-2 luma transform (Pillow's ``convert("L")``).

    Returns
    -------
    numpy.ndarray
        ``(H, W)`` uint8 or uint16 (int32 for 32-bit grayscale).

    Raises
    ------
    DataError
        The message names the file: not an image, truncated or corrupt, or colour when
        ``rgb="error"``.

    Notes
    -----
    Taught in: :doc:`own_data`.
    """
    path = Path(path)
    limits = Limits.from_environment()
    try:
        check_file_size(path, limits)
        # One read: faster than Pillow's small reads.
        with Image.open(io.BytesIO(path.read_bytes())) as im:
            width, height = im.size  # from the header, before any pixel is decoded
            if width * height > limits.max_pixels:
                raise DataError(
                    f"{path}: its header claims {width} x {height} pixels, more than "
                    f"the {limits.max_pixels:,} allowed; set MEDTUTOR_MAX_PIXELS to "
                    "read it anyway"
                )
            im.load()
            if im.format != "PNG" and path.suffix.lower() == ".png":
                raise DataError(
                    f"{path}: a {im.format} file named .png; convert it to a real PNG "
                    "(lossy formats such as JPEG alter pixel values)"
                )
            im = _as_grayscale(im, path, rgb)
            arr = np.array(im)
    except DataError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise DataError(f"{path}: not a readable image ({exc})") from None
    if arr.ndim != 2:
        raise DataError(f"{path}: expected a 2D grayscale image, got shape {arr.shape}")
    return arr


def encode_pixels(image: np.ndarray, units: str, bit_depth: int, window) -> np.ndarray:
    """Turn one slice into the integers a PNG (or a MedMNIST ``.npz``) stores.

    Parameters
    ----------
    image : numpy.ndarray
        The slice, in ``units``.
    units : str
        ``"HU"`` for CT in Hounsfield units; anything else is taken as 0-255
        intensities.
    bit_depth : {8, 16}
        16 stores ``HU + HU_OFFSET`` losslessly (CT only); 8 stores the display
        ``window`` of CT, or the clipped intensities of other data.
    window : str or (float, float)
        CT window for 8-bit output (see :func:`medtutor.data.apply_window`).

    Returns
    -------
    numpy.ndarray
        ``uint16`` or ``uint8``.

    Raises
    ------
    DataError
        16-bit output requested for data that is not in HU.

    Notes
    -----
    Taught in: :doc:`own_data`.
    """
    if bit_depth == 16:
        if units != "HU":
            raise DataError(
                "16-bit PNGs store Hounsfield units; this data set is not in HU"
            )
        return np.clip(np.round(image + HU_OFFSET), 0, 65535).astype(np.uint16)
    if units == "HU":
        return np.round(apply_window(image, window, out_range=(0, 255))).astype(
            np.uint8
        )
    return np.clip(np.round(image), 0, 255).astype(np.uint8)
