"""The tf.data builder: the same call for arrays and folders, seeded shuffling and
augmentation."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor.data import (
    DataError,
    make_liver_dataset,
    make_tf_dataset,
    model_inputs,
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
    for (xa, ya), (xb, yb) in zip(a, b):
        np.testing.assert_allclose(
            xa, xb, atol=2e-3
        )  # 16-bit PNGs round HU to integers
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
    for (xa, ya), (xb, yb) in zip(a, b):
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


def test_rotation_by_zero_and_flip_are_exact():
    from medtutor import import_tensorflow
    from medtutor.data.pipeline import _augment

    tf = import_tensorflow()
    img = tf.constant(np.random.default_rng(0).random((9, 9, 1)), tf.float32)
    out = _augment(
        tf,
        img,
        tf.constant([1, 2], tf.int64),
        flip=False,
        max_rotation_deg=0.0,
        intensity_jitter=0.0,
    )
    np.testing.assert_array_equal(out.numpy(), img.numpy())


def test_model_inputs_for_8bit_data(data):
    from dataclasses import replace

    eight = replace(
        data, images=np.full(data.images.shape, 255.0, np.float32), units="intensity"
    )
    assert model_inputs(eight).max() == pytest.approx(1.0)


def test_empty_split_and_bad_batch(data):
    with pytest.raises(DataError):
        make_tf_dataset(data.subset(data.split == "train"), split="test")
    with pytest.raises(DataError, match="batch_size"):
        make_tf_dataset(data, batch_size=0)
