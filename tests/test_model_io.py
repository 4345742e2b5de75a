"""Persistence without pickle: round trip, checksums, schema version, missing features."""

from __future__ import annotations

import json

import numpy as np
import pytest

from recovery_analytics.amicable import (
    MODEL_SCHEMA_VERSION,
    AmicableModel,
    check_compatible,
    load_model,
    save_model,
    training_snapshots,
)
from recovery_analytics.demo import generate_demo
from recovery_analytics.portfolio import InputError


@pytest.fixture(scope="module")
def fitted():
    pf = generate_demo(200, seed=2)
    snaps = training_snapshots(pf)
    model = AmicableModel(
        n_estimators=30,
        learning_rate=0.1,
        num_threads=1,
        extra_numeric=("bureau_score",),
        extra_categorical=("segment",),
        model_selection="full",  # every kind of feature on file
    ).fit(snaps)
    model.horizon_days_ = 90
    return model, snaps


def test_round_trip_gives_identical_predictions(fitted, tmp_path):
    model, snaps = fitted
    card = {"metrics": {"roc_auc": 0.8}, "strategies": [], "features": [], "versions": {}}
    save_model(model, tmp_path / "m", card=card)
    names = sorted(p.name for p in (tmp_path / "m").iterdir())
    assert names == sorted(
        ["classifier.txt", "regressor.txt", "model.json", "model_card.json", "model_card.md"]
    )
    loaded = load_model(tmp_path / "m")
    np.testing.assert_array_equal(loaded.predict_p(snaps), model.predict_p(snaps))
    np.testing.assert_array_equal(loaded.predict_fraction(snaps), model.predict_fraction(snaps))
    assert loaded.get_params() == model.get_params()
    assert loaded.categories_ == model.categories_ and loaded.horizon_days_ == 90
    assert loaded.history_days_ == model.history_days_ == 365
    assert loaded.feature_check_ == model.feature_check_ and model.feature_check_["features"]
    rows = snaps.tail(5)
    assert loaded.explain(rows).equals(model.explain(rows))
    meta = json.loads((tmp_path / "m" / "model.json").read_text("utf-8"))
    assert meta["schema_version"] == MODEL_SCHEMA_VERSION
    assert meta["dtypes"]["segment"] == "category" and meta["dtypes"]["bureau_score"] == "float64"
    assert set(meta["checksums"]) == {"classifier.txt", "regressor.txt"}
    assert meta["calibration"]["method"] in ("isotonic", "platt", "none")


def test_tampered_model_file_fails_the_checksum(fitted, tmp_path):
    model, _ = fitted
    save_model(model, tmp_path)
    path = tmp_path / "classifier.txt"
    path.write_text(path.read_text("utf-8").replace("learning_rate", "learning_rate ", 1), "utf-8")
    with pytest.raises(InputError, match=r"classifier\.txt: checksum mismatch"):
        load_model(tmp_path)


def test_other_schema_version_fails_clearly(fitted, tmp_path):
    model, _ = fitted
    save_model(model, tmp_path)
    meta_path = tmp_path / "model.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    meta["schema_version"] = MODEL_SCHEMA_VERSION + 1
    meta_path.write_text(json.dumps(meta), "utf-8")
    with pytest.raises(InputError, match=r"schema version .* retrain"):
        load_model(tmp_path)


def test_missing_directory_or_file(fitted, tmp_path):
    with pytest.raises(InputError, match=r"model\.json is missing"):
        load_model(tmp_path / "nowhere")
    model, _ = fitted
    save_model(model, tmp_path)
    (tmp_path / "regressor.txt").unlink()
    with pytest.raises(InputError, match=r"regressor\.txt is missing"):
        load_model(tmp_path)


def test_scoring_a_state_missing_a_feature_names_it(fitted, tmp_path):
    model, snaps = fitted
    save_model(model, tmp_path)
    loaded = load_model(tmp_path)
    check_compatible(loaded, snaps)
    with pytest.raises(InputError, match="'bureau_score'"):
        check_compatible(loaded, snaps.drop(columns=["bureau_score"]))
    # every missing column in one message, extra features told apart
    with pytest.raises(InputError) as err:
        check_compatible(loaded, snaps.drop(columns=["bureau_score", "segment", "naf_code"]))
    msg = str(err.value)
    assert "columns 'bureau_score', 'segment' (extra feature" in msg
    assert "lacks column(s) 'naf_code'" in msg
    with pytest.raises(InputError, match=r"feature 'sector' needs column.*'naf_code'"):
        loaded.predict_p(snaps.drop(columns=["naf_code"]))


def test_models_saved_before_the_look_back_score_with_all_the_history(fitted, tmp_path):
    model, _ = fitted
    save_model(model, tmp_path)
    meta_path = tmp_path / "model.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    assert meta["history_days"] == 365
    del meta["history_days"]  # as written by the first version
    meta_path.write_text(json.dumps(meta), "utf-8")
    assert load_model(tmp_path).history_days_ is None
