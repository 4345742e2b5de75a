"""The amicable recovery model: calibrated ``p_amicable`` and expected euros.

:class:`AmicableModel` fits two LightGBM models on training snapshots
(:func:`recovery_analytics.snapshots.training_snapshots`):

* a binary classifier for ``recovered`` (fully paid within the horizon, no
  court filing), whose probability is then **calibrated on a later time
  slice** than the one the trees were grown on (isotonic or Platt, chosen on
  that slice; the parameters are plain arrays so they persist as JSON);
* a regressor with ``objective="cross_entropy"`` on ``recovered_fraction``
  (share of the outstanding paid in the horizon, in [0, 1]), giving
  ``expected_recovery_eur = outstanding_eur x fraction``.

Both use the same features (:mod:`recovery_analytics.feature_catalog`), are
grown with early stopping on the later time slice, and are deterministic for
a given ``random_state`` and independent of the input row order.
"""

from __future__ import annotations

from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.isotonic import IsotonicRegression
from sklearn.utils.validation import check_is_fitted

from recovery_analytics.feature_catalog import (
    FEATURES,
    available_features,
    feature_frame,
    source_columns,
)
from recovery_analytics.features import HISTORY_DAYS
from recovery_analytics.schema import InputError, Portfolio

__all__ = [
    "SCORE_COLUMNS",
    "AmicableModel",
    "apply_calibration",
    "fit_calibration",
    "score_portfolio",
    "train_model",
]

#: Columns of :func:`score_portfolio` (the amicable part of DESIGN.md's score table).
SCORE_COLUMNS: tuple[str, ...] = (
    "claim_id",
    "debtor_id",
    "as_of",
    "outstanding_eur",
    "days_past_due",
    "stage",
    "p_amicable",
    "expected_recovery_eur",
    "reason_1",
    "reason_2",
    "reason_3",
)

_LABELS = ("recovered", "recovered_fraction")
_EPS = 1e-6
#: Minimum rows and rows of each class in the calibration slice for isotonic.
_ISOTONIC_MIN_ROWS, _ISOTONIC_MIN_CLASS = 1000, 50


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


def _platt(raw: np.ndarray, y: np.ndarray, ridge: float = 1e-3) -> tuple[float, float]:
    """Fit ``p = sigmoid(a * logit(raw) + b)`` by Newton's method (log loss)."""
    x = _logit(raw)
    a, b = 1.0, 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(a * x + b)))
        w = p * (1 - p)
        grad = np.array([np.sum((p - y) * x) + ridge * (a - 1), np.sum(p - y) + ridge * b])
        hess = np.array(
            [[np.sum(w * x * x) + ridge, np.sum(w * x)], [np.sum(w * x), np.sum(w) + ridge]]
        )
        step = np.linalg.solve(hess, grad)
        a, b = a - step[0], b - step[1]
        if np.max(np.abs(step)) < 1e-9:
            break
    return float(a), float(b)


def apply_calibration(raw: np.ndarray, calibration: dict[str, Any]) -> np.ndarray:
    """Map raw classifier probabilities through stored calibration parameters.

    Parameters
    ----------
    raw : numpy.ndarray
        Uncalibrated probabilities.
    calibration : dict
        ``{"method": "isotonic", "x": [...], "y": [...]}`` (piecewise linear
        through the thresholds, clipped at the ends), ``{"method": "platt",
        "a": a, "b": b}`` or ``{"method": "none"}``.

    Examples
    --------
    >>> import numpy as np
    >>> apply_calibration(np.array([0.1, 0.5, 0.9]), {"method": "isotonic",
    ...                   "x": [0.0, 1.0], "y": [0.2, 0.6]}).round(2).tolist()
    [0.24, 0.4, 0.56]
    """
    raw = np.asarray(raw, dtype="float64")
    method = calibration["method"]
    if method == "isotonic":
        out = np.interp(raw, np.asarray(calibration["x"]), np.asarray(calibration["y"]))
    elif method == "platt":
        out = 1.0 / (1.0 + np.exp(-(calibration["a"] * _logit(raw) + calibration["b"])))
    else:
        out = raw
    return np.clip(out, 0.0, 1.0)


def _fit_one(method: str, raw: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    if method == "isotonic":
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw, y)
        return {
            "method": "isotonic",
            "x": iso.X_thresholds_.tolist(),
            "y": iso.y_thresholds_.tolist(),
        }
    a, b = _platt(raw, y)
    return {"method": "platt", "a": a, "b": b}


def _brier(p: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((p - y) ** 2))


def fit_calibration(
    raw: np.ndarray, y: np.ndarray, order: np.ndarray, method: str = "auto"
) -> dict[str, Any]:
    """Choose and fit the calibration of raw probabilities on a later time slice.

    ``method="auto"`` compares isotonic and Platt when the slice is large
    enough (>= 1000 rows, >= 50 of each class): both are fitted on the older
    half of the slice (by ``order``, e.g. the as_of date) and the one with the
    lower Brier score on the newer half wins; smaller slices use Platt. The
    winner is refitted on the whole slice. If it does not lower the Brier
    score of the raw probabilities on the slice, no calibration is applied
    (``method="none"``), so calibration never makes the slice's Brier worse.

    Returns
    -------
    dict
        Calibration parameters (see :func:`apply_calibration`) plus
        ``brier_raw`` and ``brier_calibrated`` on the slice.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> raw = rng.uniform(size=500)
    >>> y = (rng.uniform(size=500) < raw**2).astype(float)
    >>> cal = fit_calibration(raw, y, np.arange(500))
    >>> cal["method"], cal["brier_calibrated"] <= cal["brier_raw"]
    ('platt', True)
    """
    raw = np.asarray(raw, dtype="float64")
    y = np.asarray(y, dtype="float64")
    n_min = min(y.sum(), len(y) - y.sum())
    if n_min == 0:
        chosen = {"method": "none"}
    elif method == "auto":
        if len(y) >= _ISOTONIC_MIN_ROWS and n_min >= _ISOTONIC_MIN_CLASS:
            cut = np.quantile(order, 0.5, method="lower")
            old, new = order <= cut, order > cut
            if new.sum() == 0 or old.sum() == 0:
                old = new = np.ones(len(y), dtype=bool)
            scores = {
                m: _brier(apply_calibration(raw[new], _fit_one(m, raw[old], y[old])), y[new])
                for m in ("isotonic", "platt")
            }
            method = min(scores, key=lambda m: (scores[m], m))
        else:
            method = "platt"
        chosen = _fit_one(method, raw, y)
    elif method in ("isotonic", "platt"):
        chosen = _fit_one(method, raw, y)
    else:
        chosen = {"method": "none"}
    brier_raw = _brier(raw, y) if len(y) else float("nan")
    brier_cal = _brier(apply_calibration(raw, chosen), y) if len(y) else float("nan")
    if brier_cal > brier_raw:
        chosen, brier_cal = {"method": "none"}, brier_raw
    return {**chosen, "brier_raw": brier_raw, "brier_calibrated": brier_cal}


class AmicableModel(ClassifierMixin, BaseEstimator):
    """Calibrated probability of amicable recovery and expected recovered euros.

    Parameters
    ----------
    n_estimators : int, default 300
        Maximum trees per model (early stopping usually stops sooner).
    learning_rate : float, default 0.05
    num_leaves : int, default 31
    min_child_samples : int, default 50
        Capped at 5 % of the training rows (but at least 5) on small data.
    early_stopping_rounds : int, default 30
    validation_fraction : float, default 0.2
        Share of the most recent snapshot dates held out for early stopping
        and calibration (at least one date).
    recency_halflife_days : float or None, default 180
        Training rows are weighted ``2 ** (-age / half-life)`` (age of the
        snapshot relative to the newest training one), so that recent payment
        behaviour counts more; None weighs all snapshots equally.
    calibration : {"auto", "isotonic", "platt", "none"}, default "auto"
        See :func:`fit_calibration`.
    extra_numeric, extra_categorical : tuple of str
        Extra state columns used as features (``portfolio.extra_features``).
    num_threads : int or None, default None
        LightGBM threads (None: LightGBM's default, all cores).
    random_state : int, default 0

    Attributes
    ----------
    classifier_, regressor_ : lightgbm.Booster
    calibration_ : dict
        Calibration parameters and Brier scores on the calibration slice.
    numeric_features_, categorical_features_ : list of str
    categories_ : dict
        Training categories of each categorical feature.
    history_days_ : int or None
        Look-back of the debtor history features in the training snapshots
        (``snapshots.attrs["history_days"]``, default 365); scoring computes
        the state with the same.
    window_ : dict
        ``train_start, train_end, calibration_start, calibration_end`` (as_of
        dates, ISO strings), the row counts and base rates of both slices, and
        ``embargo`` (True when the trees were grown only on snapshots whose
        label window ended before the calibration slice starts).

    Examples
    --------
    >>> AmicableModel(n_estimators=50).get_params()["n_estimators"]
    50
    """

    def __init__(
        self,
        n_estimators: int = 300,
        learning_rate: float = 0.05,
        num_leaves: int = 31,
        min_child_samples: int = 50,
        early_stopping_rounds: int = 30,
        validation_fraction: float = 0.2,
        calibration: str = "auto",
        extra_numeric: tuple[str, ...] = (),
        extra_categorical: tuple[str, ...] = (),
        recency_halflife_days: float | None = 180.0,
        num_threads: int | None = None,
        random_state: int = 0,
    ) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.early_stopping_rounds = early_stopping_rounds
        self.validation_fraction = validation_fraction
        self.calibration = calibration
        self.extra_numeric = extra_numeric
        self.extra_categorical = extra_categorical
        self.recency_halflife_days = recency_halflife_days
        self.num_threads = num_threads
        self.random_state = random_state

    # ------------------------------------------------------------------ fit
    def _params(self, n_train: int, objective: str) -> dict[str, Any]:
        mcs = int(min(self.min_child_samples, max(5, n_train // 20)))
        params = {
            "objective": objective,
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_child_samples": mcs,
            "min_data_per_group": mcs,
            "cat_smooth": 10.0,
            "seed": self.random_state,
            "deterministic": True,
            "force_row_wise": True,
            "verbose": -1,
        }
        if self.num_threads is not None:
            params["num_threads"] = self.num_threads
        return params

    def _train(self, objective, x_tr, y_tr, x_va, y_va, weight=None) -> lgb.Booster:
        cat_idx = list(range(len(self.numeric_features_), x_tr.shape[1]))
        names = self.feature_names_
        train = lgb.Dataset(
            x_tr,
            y_tr,
            weight=weight,
            feature_name=names,
            categorical_feature=cat_idx,
            free_raw_data=False,
        )
        valid = lgb.Dataset(x_va, y_va, reference=train)
        callbacks = [lgb.early_stopping(self.early_stopping_rounds, verbose=False)]
        return lgb.train(
            self._params(len(y_tr), objective),
            train,
            num_boost_round=self.n_estimators,
            valid_sets=[valid],
            callbacks=callbacks,
        )

    def fit(self, snapshots: pd.DataFrame, y: Any = None) -> AmicableModel:
        """Fit both models on training snapshots.

        Parameters
        ----------
        snapshots : pandas.DataFrame
            Output of :func:`~recovery_analytics.snapshots.training_snapshots`:
            claim-state columns plus ``as_of``, ``recovered`` and
            ``recovered_fraction``.
        y : ignored
            The labels are columns of ``snapshots``.

        Returns
        -------
        self
        """
        missing = [c for c in ("claim_id", "as_of", *_LABELS) if c not in snapshots.columns]
        if missing:
            raise InputError(f"training snapshots lack column(s) {missing}")
        snaps = snapshots.sort_values(["as_of", "claim_id"], kind="stable")
        dates = np.sort(snaps["as_of"].unique())
        if len(dates) < 2:
            raise InputError(f"training needs snapshots at 2 or more as_of dates; got {len(dates)}")
        n_val = int(min(len(dates) - 1, max(1, round(self.validation_fraction * len(dates)))))
        cut = dates[len(dates) - n_val]
        is_val = (snaps["as_of"] >= cut).to_numpy()
        y_cls = snaps["recovered"].astype("float64").to_numpy()
        if len(np.unique(y_cls[~is_val])) < 2:
            raise InputError(
                "training needs both recovered and unrecovered claims in the older snapshots; "
                f"all {int((~is_val).sum())} rows have recovered={bool(y_cls[~is_val][0])}"
            )
        # embargo: the trees learn only from labels whose window ended before the later
        # slice starts, so that early stopping and calibration see outcomes the trees
        # have not seen (as in production, and as evaluate.time_split does); skipped when
        # the history is too short to leave both classes
        tr = ~is_val
        embargo = False
        if "label_end" in snaps.columns:
            kept = tr & (snaps["label_end"] <= cut).to_numpy()
            embargo = bool(len(np.unique(y_cls[kept])) == 2)
            tr = kept if embargo else tr
        catalog = {f.name: f.kind for f in FEATURES}
        avail = available_features(snaps)
        self.numeric_features_ = [
            *[n for n in avail if catalog[n] == "numeric"],
            *[c for c in self.extra_numeric if c not in catalog],
        ]
        self.categorical_features_ = [
            *[n for n in avail if catalog[n] == "categorical"],
            *[c for c in self.extra_categorical if c not in catalog],
        ]
        self.feature_names_ = [*self.numeric_features_, *self.categorical_features_]
        self.n_features_in_ = len(self.feature_names_)
        frame = feature_frame(snaps, self.numeric_features_, self.categorical_features_)
        self.categories_ = {
            c: sorted(frame[c].dropna().unique().tolist()) for c in self.categorical_features_
        }
        x = self._matrix(frame)
        y_frac = snaps["recovered_fraction"].astype("float64").clip(0, 1).to_numpy()
        weight = None
        if self.recency_halflife_days:
            age = (snaps["as_of"].max() - snaps["as_of"]).dt.days.to_numpy()[tr]
            weight = np.exp2(-(age - age.min()) / float(self.recency_halflife_days))
        va = is_val
        self.classifier_ = self._train("binary", x[tr], y_cls[tr], x[va], y_cls[va], weight)
        self.regressor_ = self._train("cross_entropy", x[tr], y_frac[tr], x[va], y_frac[va], weight)
        raw_val = self.classifier_.predict(x[is_val])
        order = snaps["as_of"].to_numpy()[is_val].astype("int64")
        self.calibration_ = fit_calibration(raw_val, y_cls[is_val], order, self.calibration)
        self.classes_ = np.array([0, 1])
        self.history_days_ = snapshots.attrs.get("history_days", HISTORY_DAYS)
        as_of = snaps["as_of"]
        self.window_ = {
            "train_start": str(as_of[tr].min().date()),
            "train_end": str(as_of[tr].max().date()),
            "calibration_start": str(as_of[is_val].min().date()),
            "calibration_end": str(as_of[is_val].max().date()),
            "train_rows": int(tr.sum()),
            "calibration_rows": int(is_val.sum()),
            "embargo": embargo,
            "train_base_rate": float(y_cls[tr].mean()),
            "calibration_base_rate": float(y_cls[is_val].mean()),
        }
        return self

    # -------------------------------------------------------------- predict
    def _matrix(self, frame: pd.DataFrame) -> np.ndarray:
        cols = [frame[c].to_numpy(dtype="float64", na_value=np.nan) for c in self.numeric_features_]
        for c in self.categorical_features_:
            codes = pd.Index(self.categories_[c], dtype="str").get_indexer(frame[c])
            cols.append(np.where(codes < 0, np.nan, codes).astype("float64"))
        return np.column_stack(cols) if cols else np.empty((len(frame), 0))

    def _features(self, state: pd.DataFrame) -> pd.DataFrame:
        check_is_fitted(self)
        return feature_frame(state, self.numeric_features_, self.categorical_features_)

    def required_columns(self) -> list[str]:
        """The claim-state columns the features of this model are computed from.

        Catalog features name their source columns (``sector`` needs
        ``naf_code``); extra features (``extra_numeric``/``extra_categorical``)
        are columns of ``debtors`` or ``claims``, which
        :func:`~recovery_analytics.snapshots.attach_attributes` adds to a state.
        """
        check_is_fitted(self)
        return source_columns(self.feature_names_)

    def transform_features(self, state: pd.DataFrame) -> np.ndarray:
        """The float matrix the boosters see (categories as training codes, unknown = NaN)."""
        return self._matrix(self._features(state))

    def predict_proba(self, state: pd.DataFrame) -> np.ndarray:
        """Calibrated probabilities, shape ``(n, 2)``: columns not recovered / recovered."""
        p = self.predict_p(state)
        return np.column_stack([1 - p, p])

    def predict_p(self, state: pd.DataFrame) -> np.ndarray:
        """Calibrated ``p_amicable`` of each row of a claim state, in [0, 1]."""
        check_is_fitted(self)
        raw = self.classifier_.predict(self.transform_features(state)) if len(state) else []
        return apply_calibration(np.asarray(raw), self.calibration_)

    def predict(self, state: pd.DataFrame) -> np.ndarray:
        """1 where ``p_amicable >= 0.5``, else 0."""
        return (self.predict_p(state) >= 0.5).astype(int)

    def predict_fraction(self, state: pd.DataFrame) -> np.ndarray:
        """Expected share of the outstanding recovered within the horizon, in [0, 1]."""
        check_is_fitted(self)
        if not len(state):
            return np.empty(0)
        return np.clip(self.regressor_.predict(self.transform_features(state)), 0.0, 1.0)

    def score_frame(self, state: pd.DataFrame) -> pd.DataFrame:
        """Score every row of a claim state (both models, one feature pass).

        Returns
        -------
        pandas.DataFrame
            Same index as ``state``: ``claim_id, p_amicable, p_raw,
            expected_fraction, expected_recovery_eur, n_unseen_categories``.
        """
        return self._score(state, self._features(state))

    def _score(self, state: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
        x = self._matrix(frame)
        raw = self.classifier_.predict(x) if len(x) else np.empty(0)
        frac = np.clip(self.regressor_.predict(x), 0, 1) if len(x) else np.empty(0)
        unseen = np.zeros(len(frame), dtype="int64")
        for c in self.categorical_features_:
            unseen += (frame[c].notna() & ~frame[c].isin(self.categories_[c])).to_numpy()
        return pd.DataFrame(
            {
                "claim_id": state["claim_id"].to_numpy(),
                "p_amicable": apply_calibration(raw, self.calibration_),
                "p_raw": raw,
                "expected_fraction": frac,
                "expected_recovery_eur": state["outstanding_eur"].to_numpy() * frac,
                "n_unseen_categories": unseen,
            },
            index=state.index,
        )

    def unseen_categories(self, state: pd.DataFrame) -> pd.DataFrame:
        """Categories in ``state`` that training never saw (scored as unknown).

        Returns
        -------
        pandas.DataFrame
            ``feature, value, rows``, sorted; empty when every category is known.
        """
        return self._unseen(self._features(state))

    def _unseen(self, frame: pd.DataFrame) -> pd.DataFrame:
        parts = []
        for c in self.categorical_features_:
            vals = frame[c][frame[c].notna() & ~frame[c].isin(self.categories_[c])]
            counts = vals.value_counts().rename_axis("value").reset_index(name="rows")
            parts.append(counts.assign(feature=c))
        cols = ["feature", "value", "rows"]
        if not parts:
            return pd.DataFrame({"feature": [], "value": [], "rows": []}).astype(
                {"feature": "str", "value": "str", "rows": "int64"}
            )
        out = pd.concat(parts, ignore_index=True)[cols]
        return out.sort_values(["feature", "value"], ignore_index=True)

    def explain(self, state_rows: pd.DataFrame, top: int = 3, lang: str = "fr") -> pd.DataFrame:
        """Top reasons for the given rows, from the classifier's SHAP contributions.

        Costs about 60x a prediction: call it for the rows people will see.
        See :func:`recovery_analytics.reasons.top_reasons` for the columns.
        """
        from recovery_analytics.reasons import top_reasons

        frame = self._features(state_rows)
        contrib = self.classifier_.predict(self._matrix(frame), pred_contrib=True)
        return top_reasons(
            contrib[:, :-1], frame, state_rows["claim_id"], self.feature_names_, top, lang
        )


def train_model(
    portfolio: Portfolio,
    *,
    horizon_days: int = 90,
    every_days: int = 14,
    test_fraction: float = 0.25,
    capacity: float = 0.10,
    refit: bool = True,
    progress: bool = False,
    history_days: int | None = HISTORY_DAYS,
    **params: Any,
) -> tuple[AmicableModel, dict]:
    """Build snapshots, evaluate on a later period, fit the final model.

    Steps: :func:`~recovery_analytics.snapshots.training_snapshots`;
    :func:`~recovery_analytics.evaluate.time_split` (the newest
    ``test_fraction`` of the dates held out, with an embargo of one horizon);
    fit on the older part and :func:`~recovery_analytics.evaluate.evaluate`
    on the holdout; then (``refit=True``) refit the same settings on all
    snapshots, which is the model returned. The card's metrics are those of
    the holdout evaluation.

    Parameters
    ----------
    portfolio : Portfolio
    horizon_days, every_days : int
        Label horizon and snapshot spacing.
    test_fraction : float, default 0.25
    capacity : float, default 0.10
        Share of open claims worked per date, for the captured-euros figures.
    refit : bool, default True
    progress : bool, default False
        Show a progress bar on stderr.
    history_days : int or None, default 365
        Look-back of the debtor history features (claims settled in the
        ``history_days`` days before each as_of; None = all the history). The
        model remembers it (``history_days_``) and scores with the same.
    **params
        :class:`AmicableModel` parameters (``num_threads``, ``n_estimators``...).
        ``portfolio.extra_features`` are added as ``extra_numeric`` /
        ``extra_categorical``.

    Returns
    -------
    (AmicableModel, dict)
        The fitted model (``horizon_days_`` set) and its model card, whose
        ``summary`` key holds a printable evaluation summary.

    Raises
    ------
    InputError
        Too little data to train (see ``training_snapshots``).
    """
    from tqdm.auto import tqdm

    from recovery_analytics.evaluate import evaluate, model_card, summary_text, time_split
    from recovery_analytics.snapshots import training_snapshots

    extra = portfolio.extra_features or {}
    params.setdefault("extra_numeric", tuple(extra.get("numeric", ())))
    params.setdefault("extra_categorical", tuple(extra.get("categorical", ())))
    steps = ["snapshots", "evaluation model", "evaluation", "final model"]
    with tqdm(total=len(steps), disable=not progress, desc="train", unit="step") as bar:
        bar.set_postfix_str(steps[0])
        snaps = training_snapshots(
            portfolio, horizon_days=horizon_days, every_days=every_days, history_days=history_days
        )
        bar.update()
        train, test = time_split(snaps, test_fraction)
        bar.set_postfix_str(steps[1])
        model = AmicableModel(**params).fit(train)
        bar.update()
        evaluation = evaluate(model, test, capacity)
        bar.update()
        final = AmicableModel(**params).fit(snaps) if refit else model
        bar.update()
    final.horizon_days_ = horizon_days
    card = model_card(
        model,
        train,
        test,
        evaluation,
        horizon_days=horizon_days,
        every_days=every_days,
        final_window=final.window_,
    )
    card["summary"] = summary_text(evaluation)
    return final, card


def score_portfolio(
    portfolio: Portfolio,
    model: AmicableModel,
    as_of: Any,
    *,
    with_reasons: bool | int = 0,
    lang: str = "fr",
    progress: bool = False,
    state: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Score every open claim of a portfolio at ``as_of``.

    Parameters
    ----------
    portfolio : Portfolio
    model : AmicableModel
        A fitted (or loaded) model.
    as_of : date-like
    with_reasons : bool or int, default 0
        Reasons cost ~60x a prediction: ``0``/``False`` none, an int ``n`` for
        the ``n`` claims with the highest expected euros, ``True`` for all.
    lang : {"fr", "en"}, default "fr"
    progress : bool, default False
    state : pandas.DataFrame, optional
        The portfolio's state at ``as_of``
        (:func:`~recovery_analytics.features.portfolio_state`, all claims or
        only the open ones), when the caller has computed it already: it is
        then not computed again. It must be at ``as_of``. A state that
        records another history look-back (``attrs["history_days"]``) than
        the model's ``history_days_`` is not used: the state is recomputed
        with the model's (compute it with
        ``portfolio_state(portfolio, as_of, history_days=model.history_days_)``
        to avoid that). Without it, only the open claims' state is computed.

    Returns
    -------
    pandas.DataFrame
        :data:`SCORE_COLUMNS`, one row per open claim, sorted by ``claim_id``;
        ``reason_*`` are NA where not computed. Categories unseen in training
        are scored as unknown and listed in ``attrs["unseen_categories"]``
        (list of ``{"feature", "value", "rows"}``).

    Raises
    ------
    InputError
        A column the model needs is missing (e.g. an extra feature such as
        ``bureau_score`` absent from ``debtors`` and ``claims``).
    ValueError
        ``state`` is not the state at ``as_of``.
    """
    from tqdm.auto import tqdm

    from recovery_analytics.features import portfolio_state
    from recovery_analytics.model_io import check_compatible
    from recovery_analytics.reasons import REASON_COLUMNS, wide_reasons
    from recovery_analytics.snapshots import attach_attributes

    check_is_fitted(model)
    history_days = getattr(model, "history_days_", HISTORY_DAYS)
    with tqdm(total=3, disable=not progress, desc="score", unit="step") as bar:
        if state is not None and not _usable_state(state, as_of, history_days):
            state = None  # computed with another history look-back than the model's
        if state is None:
            state = portfolio_state(portfolio, as_of, history_days=history_days, only_open=True)
        else:
            state = state[state["is_open"].to_numpy(dtype=bool)].reset_index(drop=True)
        state = attach_attributes(state, portfolio, columns=model.required_columns())
        check_compatible(model, state)
        bar.update()
        frame = model._features(state)
        scored = model._score(state, frame)
        out = state[["claim_id", "debtor_id", "as_of", "outstanding_eur", "days_past_due"]].copy()
        out["stage"] = state["stage"]
        out["p_amicable"] = scored["p_amicable"]
        out["expected_recovery_eur"] = scored["expected_recovery_eur"]
        for col in REASON_COLUMNS:
            out[col] = pd.Series(pd.NA, index=out.index, dtype="str")
        bar.update()
        n = len(out) if with_reasons is True else int(with_reasons)
        if n > 0 and len(out):
            pick = out.sort_values(
                ["expected_recovery_eur", "claim_id"], ascending=[False, True], kind="stable"
            ).index[:n]
            wide = wide_reasons(model.explain(state.loc[pick], top=3, lang=lang))
            rows = out.loc[pick, "claim_id"]
            for col in REASON_COLUMNS:
                out.loc[pick, col] = wide[col].reindex(rows).to_numpy()
        bar.update()
    out = out.sort_values("claim_id", kind="stable", ignore_index=True)
    out.attrs = {"unseen_categories": model._unseen(frame).to_dict(orient="records")}
    return out[list(SCORE_COLUMNS)]


def _usable_state(state: pd.DataFrame, as_of: Any, history_days: int | None) -> bool:
    """Whether a state given to :func:`score_portfolio` can be used as is.

    Raises ValueError when it is not a state at ``as_of``; returns False when
    it records another history look-back than the model's (it is then
    recomputed).
    """
    day = pd.Timestamp(as_of).normalize()
    dates = pd.DatetimeIndex(state["as_of"].unique()) if "as_of" in state.columns else None
    if dates is None or (len(dates) and (len(dates) > 1 or dates[0] != day)):
        found = "no as_of column" if dates is None else f"as_of {sorted(map(str, dates.date))}"
        raise ValueError(f"state must be the portfolio state at {day.date()}; it has {found}")
    return state.attrs.get("history_days", history_days) == history_days
