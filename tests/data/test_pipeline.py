"""The tf.data builder: the same call for arrays and folders, seeded shuffling and
augmentation."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from medtutor.data import (
    DataError,
    make_liver_dataset,
    make_segmentation_dataset,
    make_tf_dataset,
    patient_split,
    write_folder,
)


@pytest.fixture(scope="module")
def data():
    d = make_liver_dataset(n_patients=8, slices_per_patient=4, size=32, seed=0)
    return d.with_split(patient_split(d, seed=0))


def batches(ds):
    return [(x.numpy(), y.numpy()) for x, y in ds]


def test_arrays_and_folders_give_the_same_batches(data, tmp_path):
    root = write_folder(data, tmp_path / "d")
    a = batches(make_tf_dataset(data, split="val", batch_size=4))
    b = batches(make_tf_dataset(root, split="val", batch_size=4))
    assert len(a) == len(b)
    for (xa, ya), (xb, yb) in zip(a, b, strict=True):
        # 16-bit PNGs round HU to integers.
        np.testing.assert_allclose(xa, xb, atol=2e-3)
        np.testing.assert_array_equal(ya, yb)


def test_shapes_ranges_and_labels(data):
    x, y = next(iter(make_tf_dataset(data, split="train", batch_size=8)))
    assert x.shape == (8, 32, 32, 1) and x.dtype.name == "float32" and y.shape == (8,)
    assert float(x.numpy().min()) >= 0.0 and float(x.numpy().max()) <= 1.0
    _, y1 = next(
        iter(make_tf_dataset(data, split="train", batch_size=8, one_hot_labels=True))
    )
    assert y1.shape == (8, 2)
    x2, _ = next(
        iter(make_tf_dataset(data, split="train", batch_size=8, out_range=(-1, 1)))
    )
    assert float(x2.numpy().min()) >= -1.0 and float(x2.numpy().min()) < 0


def test_seeded_shuffle_and_augmentation_are_repeatable(data):
    kw = dict(split="train", batch_size=8, shuffle=True, augment=True, seed=5)
    a, b = batches(make_tf_dataset(data, **kw)), batches(make_tf_dataset(data, **kw))
    assert len(a) == len(b)
    for (xa, ya), (xb, yb) in zip(a, b, strict=True):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)
    plain = np.concatenate(
        [x for x, _ in batches(make_tf_dataset(data, split="train", batch_size=8))]
    )
    shuffled = np.concatenate([x for x, _ in a])
    assert not np.array_equal(plain, shuffled)
    c = batches(make_tf_dataset(data, **dict(kw, seed=6)))
    assert not np.array_equal(a[0][0], c[0][0])


def test_augmentation_keeps_labels_and_mostly_content(data):
    plain = make_tf_dataset(data, split="test", batch_size=64)
    aug = make_tf_dataset(data, split="test", batch_size=64, augment=True, seed=1)
    (x0, y0), (x1, y1) = next(iter(plain)), next(iter(aug))
    np.testing.assert_array_equal(y0, y1)
    assert not np.allclose(x0, x1)
    assert abs(float(x0.numpy().mean()) - float(x1.numpy().mean())) < 0.05


def test_rotation_by_zero_and_flip_are_exact(rng):
    from medtutor import import_tensorflow
    from medtutor.data.pipeline import _augment

    tf = import_tensorflow()
    img = tf.constant(rng.random((9, 9, 1)), tf.float32)
    seed = tf.constant([1, 2], tf.int64)
    out = _augment(
        tf, img, seed, flip=False, max_rotation_deg=0.0, intensity_jitter=0.0
    )
    np.testing.assert_array_equal(out.numpy(), img.numpy())
    flips = {
        bool(
            np.array_equal(
                _augment(
                    tf,
                    img,
                    tf.constant([k, 0], tf.int64),
                    flip=True,
                    max_rotation_deg=0.0,
                    intensity_jitter=0.0,
                ).numpy(),
                img.numpy()[:, ::-1],
            )
        )
        for k in range(8)
    }
    assert flips == {True, False}, "a flip is either exact or absent"


def test_empty_split_and_bad_batch(data):
    with pytest.raises(DataError, match="no examples in split 'test'"):
        make_tf_dataset(data.subset(data.split == "train"), split="test")
    with pytest.raises(DataError, match="batch_size"):
        make_tf_dataset(data, batch_size=0)


def test_segmentation_batches(data):
    x, y = next(iter(make_segmentation_dataset(data, split="train", batch_size=4)))
    assert x.shape == (4, 32, 32, 1) and y.shape == (4, 32, 32, 2)
    masks = np.stack([data.liver_masks, data.lesion_masks], axis=-1)
    np.testing.assert_array_equal(y.numpy(), masks[data.split == "train"][:4])
    with pytest.raises(DataError, match="liver_masks"):
        make_segmentation_dataset(replace(data, liver_masks=None))


def test_segmentation_flips_image_and_masks_together(data):
    plain = make_segmentation_dataset(data, split="train", batch_size=64)
    aug = make_segmentation_dataset(
        data, split="train", batch_size=64, augment=True, seed=3
    )
    (x0, y0), (x1, y1) = (
        tuple(t.numpy() for t in next(iter(ds))) for ds in (plain, aug)
    )
    flipped = [not np.array_equal(a, b) for a, b in zip(x0, x1, strict=True)]
    assert any(flipped) and not all(flipped)
    for i, f in enumerate(flipped):
        np.testing.assert_array_equal(x1[i], x0[i][:, ::-1] if f else x0[i])
        np.testing.assert_array_equal(y1[i], y0[i][:, ::-1] if f else y0[i])
    again = next(iter(aug))
    np.testing.assert_array_equal(again[0].numpy(), x1)
