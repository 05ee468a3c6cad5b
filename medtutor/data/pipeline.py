"""The ``tf.data`` input pipeline every chapter trains with: shuffle, batch, cache,
prefetch and seeded augmentation."""

from __future__ import annotations

import math

import numpy as np

from medtutor.data.containers import SliceSet
from medtutor.data.errors import DataError
from medtutor.data.io.load import load_slices
from medtutor.data.preprocess import model_inputs, one_hot
from medtutor.runtime.quiet import import_tensorflow

__all__ = ["make_segmentation_dataset", "make_tf_dataset"]


def _augment(
    tf, image, seed, *, flip: bool, max_rotation_deg: float, intensity_jitter: float
):
    """Random flip, small rotation and brightness/contrast jitter, from a per-example
    seed."""
    seeds = tf.random.experimental.stateless_split(seed, 4)
    if flip:
        image = tf.image.stateless_random_flip_left_right(image, seeds[0])
    if max_rotation_deg > 0:
        angle = tf.random.stateless_uniform([], seeds[1], -1.0, 1.0) * (
            max_rotation_deg * math.pi / 180.0
        )
        h = tf.cast(tf.shape(image)[0], tf.float32)
        w = tf.cast(tf.shape(image)[1], tf.float32)
        c, s = tf.cos(angle), tf.sin(angle)
        cx, cy = (w - 1) / 2, (h - 1) / 2
        # Output pixel (x, y) samples input (c*x - s*y + tx, s*x + c*y + ty): rotation
        # about the centre.
        transform = tf.stack(
            [c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy, 0.0, 0.0]
        )
        image = tf.raw_ops.ImageProjectiveTransformV3(
            images=image[None],
            transforms=transform[None],
            output_shape=tf.shape(image)[:2],
            fill_value=0.0,
            interpolation="BILINEAR",
            fill_mode="NEAREST",
        )[0]
    if intensity_jitter > 0:
        gain = 1.0 + tf.random.stateless_uniform(
            [], seeds[2], -intensity_jitter, intensity_jitter
        )
        bias = (
            tf.random.stateless_uniform(
                [], seeds[3], -intensity_jitter, intensity_jitter
            )
            * 0.5
        )
        image = image * gain + bias
    return image


def make_tf_dataset(
    source,
    *,
    split: str | None = None,
    batch_size: int = 32,
    shuffle: bool = False,
    augment: bool = False,
    seed: int = 0,
    window="abdomen",
    out_range=(0.0, 1.0),
    one_hot_labels: bool = False,
    cache: bool = True,
    max_rotation_deg: float = 10.0,
    intensity_jitter: float = 0.05,
):
    """Build a ``tf.data.Dataset`` of ``(image, label)`` batches from arrays or files.

    The same call works for synthetic data and for data on disk::

        train = make_tf_dataset(data, split="train", shuffle=True, augment=True)
        train = make_tf_dataset("my_data/", split="train", shuffle=True, augment=True)

    Parameters
    ----------
    source : SliceSet or path-like
        Anything :func:`load_slices` accepts.
    split : {"train", "val", "test"}, optional
        Use only this split (the source must have one).
    batch_size : int
        Examples per batch.
    shuffle : bool
        Reshuffle every epoch with a seeded order (use for training only).
    augment : bool
        Random left-right flips, rotations up to ``max_rotation_deg`` and
        brightness/contrast jitter of ``intensity_jitter`` (training only). Seeded and
        repeatable.
    seed : int
        Seed for shuffling and augmentation.
    window, out_range
        Passed to :func:`model_inputs`.
    one_hot_labels : bool
        Labels as one-hot vectors (for a softmax head) instead of ``(N,)`` floats (for
        one sigmoid unit).
    cache : bool
        Keep the preprocessed examples in memory after the first epoch.
    max_rotation_deg, intensity_jitter : float
        Strength of the augmentation.

    Returns
    -------
    tf.data.Dataset
        Batches of ``(images (B, H, W, 1) float32, labels)``, prefetched.

    Notes
    -----
    Taught in: :doc:`ch3_workflow`.
    """
    tf = import_tensorflow()
    data = load_slices(source)
    if split is not None:
        data = data.split_part(split)
    if len(data) == 0:
        raise DataError(f"no examples{f' in split {split!r}' if split else ''}")
    if batch_size < 1:
        raise DataError(f"batch_size must be positive, got {batch_size}")
    x = model_inputs(data, window=window, out_range=out_range)
    y = (
        one_hot(data.labels, len(data.class_names))
        if one_hot_labels
        else data.labels.astype(np.float32)
    )
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    if cache:
        ds = ds.cache()
    if shuffle:
        ds = ds.shuffle(len(data), seed=seed, reshuffle_each_iteration=True)
    if augment:
        seeds = tf.data.Dataset.random(seed=seed).batch(2)
        ds = tf.data.Dataset.zip((ds, seeds)).map(
            lambda xy, s: (
                _augment(
                    tf,
                    xy[0],
                    tf.cast(s, tf.int64),
                    flip=True,
                    max_rotation_deg=max_rotation_deg,
                    intensity_jitter=intensity_jitter,
                ),
                xy[1],
            ),
            num_parallel_calls=tf.data.AUTOTUNE,
            deterministic=True,
        )
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def make_segmentation_dataset(
    data: SliceSet,
    *,
    split: str | None = None,
    batch_size: int = 16,
    shuffle: bool = False,
    augment: bool = False,
    seed: int = 0,
    window="liver",
):
    """``tf.data`` batches of ``(image, masks)`` for segmentation: masks are liver and
    lesion.

    Parameters
    ----------
    data : SliceSet
        Slices with ``liver_masks`` and ``lesion_masks``.
    split : {"train", "val", "test"}, optional
        Use only this split.
    batch_size : int
    shuffle : bool
        Reshuffle every epoch (training only).
    augment : bool
        Random left-right flips applied to the image and its masks together.
    seed : int
    window : str or (float, float)
        CT window, as in :func:`model_inputs`.

    Returns
    -------
    tf.data.Dataset
        ``(B, H, W, 1)`` images and ``(B, H, W, 2)`` float masks (channel 0 liver,
        including its lesions; channel 1 lesions).

    Notes
    -----
    Taught in: :doc:`ch4_2a_segmentation`.
    """
    tf = import_tensorflow()
    if data.liver_masks is None or data.lesion_masks is None:
        raise DataError("segmentation needs liver_masks and lesion_masks")
    if split is not None:
        data = data.split_part(split)
    if len(data) == 0:
        raise DataError("no examples")
    x = model_inputs(data, window=window)
    y = np.stack([data.liver_masks, data.lesion_masks], axis=-1).astype(np.float32)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).cache()
    if shuffle:
        ds = ds.shuffle(len(data), seed=seed, reshuffle_each_iteration=True)
    if augment:
        seeds = tf.data.Dataset.random(seed=seed).batch(2)

        def flip(xy, s):
            both = tf.concat([xy[0], xy[1]], axis=-1)
            both = tf.image.stateless_random_flip_left_right(both, tf.cast(s, tf.int64))
            return both[..., :1], both[..., 1:]

        ds = tf.data.Dataset.zip((ds, seeds)).map(
            flip, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True
        )
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
