"""Strong simple baselines the model must beat, fitted on the same training slice.

A credit manager without a model would still rank claims sensibly; the model is
worth its complexity only if it beats what a spreadsheet does. Two baselines
are *fitted* on the training snapshots the model was trained on:

``aging_curve``
    the recovery rate of the claim's age bucket in the training slice (days
    past due: not yet due, 1–15, 16–30, 31–60, 61–90, 91–180, 181–365, over a
    year), shrunk towards the overall rate when a bucket holds few rows. Its
    probability is the bucket's rate of ``recovered``; its euros the bucket's
    mean recovered fraction × outstanding.
``logistic``
    a logistic regression on the age (``log1p`` of days past due, and whether
    the claim is due yet), the amount (``log1p`` of the outstanding) and the
    debtor type (B2C or not); euros = p × outstanding.

The rank baselines (oldest first, youngest first, largest first, the
customer's usual delay) need no fitting: they are computed in
:func:`~recovery_analytics.amicable.strategy_scores`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

__all__ = ["AGE_EDGES", "Baselines"]

#: Upper edges (days past due, inclusive) of the aging curve's buckets; the first
#: bucket is "not yet due" (<= 0), the last one open-ended.
AGE_EDGES: tuple[float, ...] = (0, 15, 30, 60, 90, 180, 365, np.inf)


def _bucket(days_past_due: pd.Series) -> np.ndarray:
    days = days_past_due.to_numpy(dtype="float64")
    return np.searchsorted(np.asarray(AGE_EDGES[:-1]), days, side="left")


def _design(snapshots: pd.DataFrame) -> np.ndarray:
    days = snapshots["days_past_due"].to_numpy(dtype="float64")
    amount = snapshots["outstanding_eur"].to_numpy(dtype="float64")
    if "debtor_type" in snapshots.columns:
        b2c = (snapshots["debtor_type"].astype("string") == "B2C").fillna(False)
        b2c = b2c.to_numpy(dtype="float64")
    else:
        b2c = np.zeros(len(snapshots))
    return np.column_stack(
        [np.log1p(np.clip(days, 0, None)), (days <= 0).astype("float64"), np.log1p(amount), b2c]
    )


class Baselines:
    """The aging curve and the logistic regression, fitted on training snapshots.

    Parameters
    ----------
    prior_rows : float, default 20
        Shrinkage of each age bucket towards the overall rate, in rows (a
        bucket of ``n`` rows weighs ``n / (n + prior_rows)``).
    C : float, default 1.0
        Inverse regularisation of the logistic regression (standardised inputs).

    Examples
    --------
    >>> import pandas as pd
    >>> train = pd.DataFrame({"days_past_due": [5, 10, 200, 300],
    ...     "outstanding_eur": [100.0, 200.0, 300.0, 400.0],
    ...     "recovered": [True, True, False, False],
    ...     "recovered_fraction": [1.0, 1.0, 0.0, 0.5]})
    >>> b = Baselines(prior_rows=0).fit(train)
    >>> b.scores(train)["aging_curve_p"].tolist()
    [1.0, 1.0, 0.0, 0.0]
    >>> b.scores(train)["aging_curve_x_outstanding"].tolist()
    [100.0, 200.0, 75.0, 100.0]
    """

    def __init__(self, prior_rows: float = 20.0, C: float = 1.0) -> None:
        self.prior_rows = prior_rows
        self.C = C

    def fit(self, train: pd.DataFrame) -> Baselines:
        y = train["recovered"].to_numpy(dtype="float64")
        frac = train["recovered_fraction"].to_numpy(dtype="float64")
        b = _bucket(train["days_past_due"])
        k = len(AGE_EDGES)
        n = np.bincount(b, minlength=k).astype("float64")
        w = n / (n + self.prior_rows) if self.prior_rows > 0 else (n > 0).astype("float64")
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.bincount(b, weights=y, minlength=k) / n
            mean_frac = np.bincount(b, weights=frac, minlength=k) / n
        self.bucket_rate_ = np.where(n > 0, w * np.nan_to_num(rate) + (1 - w) * y.mean(), y.mean())
        self.bucket_fraction_ = np.where(
            n > 0, w * np.nan_to_num(mean_frac) + (1 - w) * frac.mean(), frac.mean()
        )
        self.bucket_rows_ = n
        if len(np.unique(y)) == 2:
            self.logistic_ = make_pipeline(StandardScaler(), LogisticRegression(C=self.C))
            self.logistic_.fit(_design(train), y.astype(int))
        else:
            self.logistic_ = None
        self.base_rate_ = float(y.mean())
        return self

    def scores(self, snapshots: pd.DataFrame) -> pd.DataFrame:
        """``aging_curve_p``, ``aging_curve_x_outstanding``, ``logistic_p``,
        ``logistic_x_outstanding`` for each row (same index)."""
        b = _bucket(snapshots["days_past_due"])
        outstanding = snapshots["outstanding_eur"].to_numpy(dtype="float64")
        if self.logistic_ is not None and len(snapshots):
            p_log = self.logistic_.predict_proba(_design(snapshots))[:, 1]
        else:
            p_log = np.full(len(snapshots), self.base_rate_)
        return pd.DataFrame(
            {
                "aging_curve_p": self.bucket_rate_[b],
                "aging_curve_x_outstanding": self.bucket_fraction_[b] * outstanding,
                "logistic_p": p_log,
                "logistic_x_outstanding": p_log * outstanding,
            },
            index=snapshots.index,
        )
