"""Reasons: sentences from the catalog, ordered and signed by SHAP contributions."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.amicable import (
    FEATURES,
    AmicableModel,
    feature_table,
    phrase,
    top_reasons,
    training_snapshots,
    wide_reasons,
)
from recovery_analytics.demo import generate_demo


def _template_regex(feature, lang):
    """All sentences a catalog feature can produce, as one regex."""
    tpl = feature.templates[lang]
    texts = list(tpl.get("levels", [])) + [v for k, v in tpl.items() if k != "levels"]
    labels = list(feature.labels.get(lang, {}).values())
    parts = []
    for t in texts:
        esc = re.escape(t).replace(r"\{n\}", r"-?[\d\u202f,]+").replace(r"\{v\}", r".+")
        parts.append(esc)
    return re.compile("^(" + "|".join(parts + [re.escape(x) for x in labels]) + ")$")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_catalog_feature_phrases_all_kinds_of_values(lang):
    for f in FEATURES:
        values = (
            pd.Series(["B2B", "G", None], dtype="str")
            if f.kind == "categorical"
            else pd.Series([np.nan, -3.0, 0.0, 1.0, 0.456, 2.0, 45.4, 12345.0])
        )
        out = phrase(f.name, values, lang)
        # a missing value has a sentence only where the feature says what it means
        assert out.isna().tolist() == (values.isna() & ("nan" not in f.templates[lang])).tolist()
        out = out.dropna()
        assert (out.str.len() > 0).all(), f.name
        assert not out.str.contains("{", regex=False).any(), f.name
        assert out.str.match(_template_regex(f, lang)).all(), (f.name, out.tolist())


def test_examples_a_collector_can_read_out():
    assert phrase("n_promises_broken", pd.Series([2.0])).iloc[0] == "2 promesses non tenues"
    assert phrase("debtor_hist_median_days_late", pd.Series([45.0])).iloc[0] == (
        "paie d'habitude à 45 jours"
    )
    assert phrase("dispute_age_days", pd.Series([40.0])).iloc[0] == "litige ouvert depuis 40 jours"
    assert phrase("days_since_last_contact", pd.Series([60.0])).iloc[0] == (
        "aucun contact depuis 60 jours"
    )
    assert phrase("debtor_hist_share_late", pd.Series([0.25]), "en").iloc[0] == (
        "25% of invoices paid late"
    )
    assert phrase("sector", pd.Series(["F"], dtype="str")).iloc[0] == "secteur : construction"


def test_feature_table_has_both_languages():
    t = feature_table()
    assert len(t) == len(FEATURES)
    assert t["name_fr"].str.len().gt(0).all() and t["name_en"].str.len().gt(0).all()


def test_top_reasons_order_sign_and_zero_contributions():
    frame = pd.DataFrame(
        {
            "n_promises_broken": [2.0, 0.0],
            "days_past_due": [45.0, 10.0],
            "open_dispute": [1.0, 0.0],
        }
    )
    contrib = np.array([[-0.8, 0.1, -0.3], [0.0, 0.2, 0.0]])
    out = top_reasons(contrib, frame, pd.Series(["C1", "C2"]), list(frame.columns), top=3)
    c1 = out[out["claim_id"] == "C1"]
    assert c1["reason"].tolist() == [
        "2 promesses non tenues",
        "litige ouvert",
        "en retard de 45 jours",
    ]
    assert c1["effect"].tolist() == ["−", "−", "+"]
    assert c1["rank"].tolist() == [1, 2, 3]
    # C2: only one feature contributes; zero contributions are never reasons
    assert out[out["claim_id"] == "C2"]["reason"].tolist() == ["en retard de 10 jours"]
    wide = wide_reasons(out)
    assert wide.loc["C1"].tolist() == [
        "− 2 promesses non tenues",
        "− litige ouvert",
        "+ en retard de 45 jours",
    ]
    assert wide.loc["C2", "reason_1"] == "+ en retard de 10 jours"
    assert pd.isna(wide.loc["C2", "reason_2"])


def test_explain_uses_contributions_that_add_up_to_the_raw_score():
    pf = generate_demo(200, seed=5)
    snaps = training_snapshots(pf)
    model = AmicableModel(n_estimators=30, learning_rate=0.1, num_threads=1).fit(snaps)
    rows = snaps.tail(8)
    x = model.transform_features(rows)
    contrib = model.classifier_.predict(x, pred_contrib=True)
    margin = model.classifier_.predict(x, raw_score=True)
    np.testing.assert_allclose(contrib.sum(axis=1), margin, rtol=1e-6, atol=1e-9)
    for lang in ("fr", "en"):
        out = model.explain(rows, top=3, lang=lang)
        assert set(out["claim_id"]) <= set(rows["claim_id"])
        assert out.groupby("claim_id").size().max() <= 3
        by_name = {f.name: f for f in FEATURES}
        for _, r in out.iterrows():
            assert _template_regex(by_name[r["feature"]], lang).match(r["reason"]), r["reason"]
        # rank 1 is the feature with the largest absolute contribution
        first = out[out["rank"] == 1].set_index("claim_id")["contribution"].abs()
        biggest = pd.Series(np.abs(contrib[:, :-1]).max(axis=1), index=rows["claim_id"].to_numpy())
        np.testing.assert_allclose(first.sort_index(), biggest.loc[first.index].sort_index())


def test_values_that_tell_a_collector_nothing_are_not_reasons():
    frame = pd.DataFrame(
        {
            "insolvency_status": pd.Series(["none", "liquidation"], dtype="str"),
            "department": pd.Series(["75", "75"], dtype="str"),
            "days_past_due": [30.0, 30.0],
        }
    )
    contrib = np.array([[0.9, 0.8, 0.1], [-0.9, 0.8, 0.1]])
    out = top_reasons(contrib, frame, pd.Series(["A", "B"]), list(frame.columns), top=3)
    # "no insolvency" says nothing; a département that weighs is said in words, never hidden
    assert out[out["claim_id"] == "A"]["feature"].tolist() == ["department", "days_past_due"]
    assert out[out["claim_id"] == "B"]["reason"].tolist() == [
        "procédure collective : liquidation judiciaire",
        "département 75",
        "en retard de 30 jours",
    ]


@pytest.mark.parametrize(
    ("name", "values", "lang", "expected"),
    [
        ("bureau_score", [3.0, 2.5, 1234.5, -0.001], "fr",
         ["bureau_score : 3", "bureau_score : 2,5", "bureau_score : 1\u202f234,5",
          "bureau_score : 0"]),
        ("bureau_score", [3.0, 1234.567], "en", ["bureau_score: 3", "bureau_score: 1,234.57"]),
        ("any name_42", [7.0], "fr", ["any name_42 : 7"]),
    ],
)  # fmt: skip
def test_extra_numeric_features_read_name_and_value(name, values, lang, expected):
    assert phrase(name, pd.Series(values), lang).tolist() == expected


def test_extra_categorical_features_and_missing_values():
    seg = pd.Series(["PME", "Grand compte", None], dtype="str")
    assert phrase("segment", seg).tolist()[:2] == ["segment : PME", "segment : Grand compte"]
    assert phrase("segment", seg, "en").tolist()[:2] == ["segment: PME", "segment: Grand compte"]
    assert phrase("segment", seg).isna().tolist() == [False, False, True]
    assert phrase("bureau_score", pd.Series([np.nan])).isna().all()
    # catalog features without a sentence for "unknown" stay quiet too
    assert phrase("debtor_type", pd.Series([None], dtype="str")).isna().all()
    assert phrase("amount", pd.Series([np.nan])).isna().all()
    assert phrase("stage_rank", pd.Series([np.nan])).isna().all()
    # ... while those that have one keep it
    assert phrase("days_since_last_action", pd.Series([np.nan])).tolist() == ["jamais relancé"]


def test_missing_extra_values_are_never_reasons():
    frame = pd.DataFrame(
        {
            "bureau_score": [np.nan, 3.0],
            "segment": pd.Series([None, "PME"], dtype="str"),
            "days_since_last_action": [np.nan, 10.0],
            "days_past_due": [30.0, 30.0],
        }
    )
    # the missing values carry the largest contributions of row A
    contrib = np.array([[2.0, -1.5, 0.2, 0.1], [0.5, -0.4, 0.2, 0.1]])
    out = top_reasons(contrib, frame, pd.Series(["A", "B"]), list(frame.columns), top=3)
    a = out[out["claim_id"] == "A"]
    assert a["reason"].tolist() == ["jamais relancé", "en retard de 30 jours"]
    assert a["rank"].tolist() == [1, 2]  # ranks stay 1..n after dropping
    b = out[out["claim_id"] == "B"]
    assert b["reason"].tolist() == [
        "bureau_score : 3",
        "segment : PME",
        "aucune relance depuis 10 jours",
    ]
    wide = wide_reasons(out)
    assert wide.loc["B", "reason_1"] == "+ bureau_score : 3"
    assert wide.loc["B", "reason_2"] == "− segment : PME"
    assert not wide.stack().str.contains(r"\?|inconnu|nan").any()
