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
