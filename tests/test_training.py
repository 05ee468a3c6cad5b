"""medtutor.training: training with early stopping."""

from __future__ import annotations

from medtutor import import_tensorflow, seed_everything
from medtutor.data import make_liver_dataset, make_tf_dataset, patient_split
from medtutor.models import article_cnn
from medtutor.training import fit_with_early_stopping

import_tensorflow()
import keras


def test_fit_with_early_stopping_restores_best_and_checkpoints(tmp_path, capsys):
    seed_everything(0)
    data = make_liver_dataset(n_patients=12, slices_per_patient=4, size=32, seed=0)
    data = data.with_split(patient_split(data, seed=0))
    model = article_cnn((32, 32, 1), dense_units=16)
    model.compile(
        optimizer="adam",
        loss="binary_crossentropy",
        metrics=[keras.metrics.AUC(name="auc")],
    )
    train = make_tf_dataset(data, split="train", shuffle=True)
    val = make_tf_dataset(data, split="val")
    history = fit_with_early_stopping(
        model,
        train,
        val,
        epochs=4,
        patience=1,
        checkpoint=tmp_path / "m.keras",
        log_every=1,
    )
    printed = capsys.readouterr().out
    assert "epoch   1:" in printed and "val_auc" in printed
    n = len(history.history["loss"])
    assert 1 <= n <= 4 and 1 <= history.best_epoch <= n
    assert (tmp_path / "m.keras").is_file()
    best = max(history.history["val_auc"])
    assert history.history["val_auc"][history.best_epoch - 1] == best


def small_split_data():
    data = make_liver_dataset(n_patients=16, slices_per_patient=4, size=32, seed=1)
    return data.with_split(patient_split(data, seed=1))


def test_case_study_recipe_trains_and_predicts_in_split_order():
    from medtutor.training import CaseStudyTrainer

    seed_everything(0)
    data = small_split_data()
    trainer = CaseStudyTrainer((32, 32, 1), epochs=2, patience=2, dense_units=16)
    assert trainer.model.loss == "binary_crossentropy"
    assert trainer.model.get_layer("dense").units == 16
    history = trainer.fit(data)
    assert trainer.history is history and 1 <= history.best_epoch <= 2
    scores = trainer.predict(data, "test")
    assert scores.shape == (len(data.split_part("test")),)
    assert ((scores >= 0) & (scores <= 1)).all()
    # The recipe's test batches are the chapter's: same window, same order.
    same = trainer.model.predict(
        make_tf_dataset(data, split="test", window="liver"), verbose=0
    ).ravel()
    assert (scores == same).all()


def test_case_study_recipe_repeats_with_the_same_seed():
    from medtutor.training import CaseStudyTrainer

    data = small_split_data()
    runs = []
    for _ in range(2):
        seed_everything(3)
        trainer = CaseStudyTrainer((32, 32, 1), epochs=1, seed=3, dense_units=8)
        trainer.fit(data)
        runs.append(trainer.predict(data, "val"))
    assert (runs[0] == runs[1]).all()


def test_case_study_recipe_refuses_bad_settings():
    import pytest

    from medtutor.training import CaseStudyTrainer

    for bad in ({"epochs": 0}, {"patience": 0}, {"batch_size": 0}):
        with pytest.raises(ValueError, match="positive"):
            CaseStudyTrainer((32, 32, 1), **bad)
