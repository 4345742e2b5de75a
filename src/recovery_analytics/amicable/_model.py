"""The amicable recovery model: calibrated ``p_amicable`` and expected euros.

:class:`AmicableModel` fits two LightGBM models on training snapshots
(:func:`recovery_analytics.amicable.training_snapshots`):

* a binary classifier for ``recovered`` (fully paid within the horizon, no
  court filing), whose probability is then **calibrated on a later time
  slice** than the one the trees were grown on (isotonic or Platt, chosen on
  that slice; the parameters are plain arrays so they persist as JSON);
* a regressor with ``objective="cross_entropy"`` on ``recovered_fraction``
  (share of the outstanding paid in the horizon, in [0, 1]), giving
  ``expected_recovery_eur = outstanding_eur x fraction``.

Both use the same features (``_feature_table``), are
grown with early stopping on the later time slice, and are deterministic for
a given ``random_state`` and independent of the input row order.

Calibration is in ``_calibration``; :func:`~recovery_analytics.amicable.train_model`
and :func:`~recovery_analytics.amicable.score_portfolio` (a whole portfolio) in
``_portfolio``.
"""

from __future__ import annotations

from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from recovery_analytics.amicable._calibration import apply_calibration, fit_calibration
from recovery_analytics.amicable._catalog import available_features, feature_frame, source_columns
from recovery_analytics.amicable._feature_check import drop_wide_categoricals, permutation_check
from recovery_analytics.amicable._feature_table import FEATURES
from recovery_analytics.amicable._selection import restrict, select_candidate
from recovery_analytics.portfolio import InputError
from recovery_analytics.state import HISTORY_DAYS

__all__ = [
    "AmicableModel",
]

_LABELS = ("recovered", "recovered_fraction")


def _not_yet_due(state: pd.DataFrame) -> np.ndarray | None:
    if "days_past_due" not in state.columns:
        return None
    return (state["days_past_due"].to_numpy(dtype="float64") <= 0).astype(bool)


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
    check_categoricals : bool, default True
        Held-out check of every categorical feature with more than
        :data:`HIGH_CARDINALITY` levels (a département, a NAF code, an extra
        column): the classifier is grown with and without it, and a feature
        whose removal lowers the log loss of the later slice is dropped
        (``dropped_features_``): with dozens of levels, LightGBM's categorical
        splits find noise (the demo's département took 7 % of the gain and
        cost 0.02 of AUC).
    check_features : bool, default True
        Permutation check of the kept classifier's features on the later
        slice (``feature_check_``; about one prediction of the slice per
        feature and shuffle). Off for models that only replay scores (the
        backtest's) or whose check nobody reads (``train_model``'s
        evaluation model).
    model_selection : {"auto", "full"}, default "auto"
        ``"auto"`` keeps the full model only where it beats a regularised small
        model and an aging curve on the later slice (see ``_selection``);
        ``"full"`` always keeps the full model.
    extra_numeric, extra_categorical : tuple of str
        Extra state columns used as features (``portfolio.extra_features``).
    refit_regressor : bool, default True
        Regrow the euros regressor (not calibrated) on the whole window, later slice included.
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
    selection_ : dict
        The candidate kept (``chosen``: ``full``, ``small`` or ``aging``) and
        the log loss of each on the later slice.
    dropped_features_ : dict
        Features left out by the held-out check, with the later slice's log
        loss with and without them.
    feature_check_ : dict
        Permutation check of the kept classifier's features on the later
        slice (``_feature_check.permutation_check``): the rise of the log
        loss when each feature is shuffled; ``harmful_features`` lists those
        whose shuffling lowers it (empty with ``check_features=False``).
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
        check_categoricals: bool = True,
        check_features: bool = True,
        model_selection: str = "auto",
        extra_numeric: tuple[str, ...] = (),
        extra_categorical: tuple[str, ...] = (),
        refit_regressor: bool = True,
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
        self.check_categoricals = check_categoricals
        self.check_features = check_features
        self.model_selection = model_selection
        self.extra_numeric = extra_numeric
        self.extra_categorical = extra_categorical
        self.refit_regressor = refit_regressor
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

    def _train(
        self, objective, x_tr, y_tr, x_va, y_va, weight=None, names=None, extra=None, refit=None
    ) -> lgb.Booster:
        names = self.feature_names_ if names is None else names
        cat_idx = [i for i, n in enumerate(names) if n in self.categorical_features_]
        train = lgb.Dataset(
            x_tr,
            y_tr,
            weight=weight,
            feature_name=names,
            categorical_feature=cat_idx,
            free_raw_data=False,
        )
        valid = lgb.Dataset(x_va, y_va, reference=train)
        stop = [lgb.early_stopping(self.early_stopping_rounds, verbose=False)]
        params = {**self._params(len(y_tr), objective), **(extra or {})}
        booster = lgb.train(params, train, self.n_estimators, valid_sets=[valid], callbacks=stop)
        if refit is None:
            return booster
        x, y, w = refit  # the number of trees early stopping chose, on the whole window
        whole = lgb.Dataset(x, y, weight=w, feature_name=names, categorical_feature=cat_idx)
        params = {**self._params(len(y), objective), **(extra or {})}
        return lgb.train(params, whole, booster.best_iteration or booster.current_iteration())

    def fit(self, snapshots: pd.DataFrame, y: Any = None) -> AmicableModel:
        """Fit both models on training snapshots.

        Parameters
        ----------
        snapshots : pandas.DataFrame
            Output of :func:`~recovery_analytics.amicable.training_snapshots`:
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
        weight = w_all = None
        if self.recency_halflife_days:
            age = (snaps["as_of"].max() - snaps["as_of"]).dt.days.to_numpy()
            w_all = np.exp2(-age / float(self.recency_halflife_days))
            weight = np.exp2(-(age[tr] - age[tr].min()) / float(self.recency_halflife_days))
        va = is_val
        self.dropped_features_ = {}
        if self.check_categoricals:
            x = drop_wide_categoricals(self, x, y_cls, tr, va, weight)
        self.selection_, extra, classifier = {"chosen": "full"}, {}, None
        if self.model_selection == "auto":
            kind, keep, extra, self.selection_, classifier = select_candidate(
                self, x, y_cls, tr, va, weight
            )
            if kind != "full":
                x = restrict(self, x, keep)
        if classifier is None:  # the selection's winner is not grown again
            classifier = self._train(
                "binary", x[tr], y_cls[tr], x[va], y_cls[va], weight, extra=extra
            )
        self.classifier_ = classifier
        self.feature_check_ = (
            permutation_check(
                classifier,
                x[va],
                y_cls[va],
                self.feature_names_,
                self.random_state,
                groups=snaps["claim_id"].to_numpy()[va],
            )
            if self.check_features
            else {}
        )
        refit = (x, y_frac, w_all) if self.refit_regressor else None
        self.regressor_ = self._train(
            "cross_entropy", x[tr], y_frac[tr], x[va], y_frac[va], weight, extra=extra, refit=refit
        )
        raw_val = self.classifier_.predict(x[is_val])
        order = snaps["as_of"].to_numpy()[is_val].astype("int64")
        not_due = snaps["days_past_due"].to_numpy()[is_val] <= 0
        self.calibration_ = fit_calibration(
            raw_val, y_cls[is_val], order, self.calibration, segment=not_due
        )
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
        :func:`~recovery_analytics.amicable.attach_attributes` adds to a state.
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
        return apply_calibration(np.asarray(raw), self.calibration_, _not_yet_due(state))

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
                "p_amicable": apply_calibration(raw, self.calibration_, _not_yet_due(state)),
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
        See :func:`recovery_analytics.amicable.top_reasons` for the columns.
        """
        from recovery_analytics.amicable._reasons import top_reasons

        frame = self._features(state_rows)
        contrib = self.classifier_.predict(self._matrix(frame), pred_contrib=True)
        return top_reasons(
            contrib[:, :-1], frame, state_rows["claim_id"], self.feature_names_, top, lang
        )
