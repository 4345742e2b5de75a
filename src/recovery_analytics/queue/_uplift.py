"""The incremental euros of a call, learned from who was called in the history (DR-learner).

:func:`estimate_call_effects` reads the history's claim-weeks
(:func:`~recovery_analytics.queue._uplift_data.history_cases`): a claim is
*treated* when it was dialled that week, its outcome is the share of its
outstanding paid within 30 days. A cross-fitted **X-learner** on LightGBM
(folds by debtor, one thread, fixed seeds) estimates the effect of a dial claim
by claim: a propensity model ``e(x)`` of who got called, outcome models
``mu0(x)``, ``mu1(x)`` for the uncalled and the called, then the X-learner's
imputed effects ``Y - mu0`` (called) and ``mu1 - Y`` (uncalled) regressed on
``x`` and blended by ``e``. The doubly robust pseudo-outcome ``phi = mu1 - mu0
+ T (Y - mu1) / e - (1 - T) (Y - mu0) / (1 - e)`` of every case is kept for the
average effect and the policy evaluation. The effect is that of
a *dial* (the reach rate is inside it). Cases the history never or almost
always called (``e`` outside ``[overlap, 1 - overlap]``) are left out of the
final fit and flagged at scoring, where they get the average effect inside the
overlap (the history cannot tell them apart).
With too little variation (fewer than ``min_treated`` called or
``min_control`` uncalled cases: no calls logged, everyone called) the
learner is not fitted and :attr:`CallEffects.method` says ``age_bucket_lift``
with the reason: the queue then uses :func:`estimate_call_uplift`. Method and
limits: ``docs/call-queue.md`` section 3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import Portfolio
from recovery_analytics.queue._uplift_data import FEATURES, history_cases

__all__ = ["CallEffects", "estimate_call_effects"]

_PARAMS: dict[str, Any] = {
    "n_estimators": 120,
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_child_samples": 40,
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.8,
    "n_jobs": 1,
    "verbose": -1,
}


_VERB = {"call": "called", "letter": "sent a letter", "formal_notice": "sent a formal notice"}
_NOUN = {"call": "calls", "letter": "letters", "formal_notice": "formal notices"}


@dataclass
class CallEffects:
    """Effects of a call today, claim by claim, and how they were learned.

    Attributes
    ----------
    claims : pandas.DataFrame
        One row per claim open and overdue at ``as_of`` whose debtor could be
        called: ``claim_id, debtor_id, outstanding_eur, effect_share``
        (share of the outstanding a dial adds within 30 days) ``,
        effect_eur, effect_sd_eur`` (spread of the cross-fitted final models)
        ``, t_share`` (the T-learner's ``mu1 - mu0``, for comparison) ``,
        propensity, overlap`` (False: the history never or always called
        such claims). Empty with the fallback.
    method : str
        ``x_learner`` or ``age_bucket_lift`` (the fallback).
    fallback_reason : str or None
        Why the learner was not used, in plain words.
    diagnostics : dict
        Cases, called cases, the average effect of a dial on the share paid
        (DR) with its 95 % interval (standard error clustered by debtor), the
        naive difference, the share of cases outside the overlap.
    cases : pandas.DataFrame
        The history's cases with out-of-fold ``propensity, mu0, mu1, phi,
        tau`` (shares): what the policy evaluation reads.
    """

    claims: pd.DataFrame
    method: str
    fallback_reason: str | None
    diagnostics: dict[str, Any] = field(default_factory=dict)
    cases: pd.DataFrame = field(default_factory=pd.DataFrame)


def _lgbm(kind: str, seed: int, **over: Any):
    import lightgbm as lgb

    cls = lgb.LGBMClassifier if kind == "clf" else lgb.LGBMRegressor
    return cls(**{**_PARAMS, "random_state": seed, **over})


def _columns(frame: pd.DataFrame) -> list[str]:
    return [*FEATURES, *sorted(c for c in frame.columns if c.startswith("x_"))]


def _folds(debtor_id: pd.Series, k: int, seed: int) -> np.ndarray:
    codes, uniq = pd.factorize(debtor_id.astype("str"), sort=True)
    perm = np.random.default_rng(seed).permutation(len(uniq))
    return perm[codes] % k


def estimate_call_effects(
    portfolio: Portfolio,
    as_of: Any,
    *,
    folds: int = 3,
    min_treated: int = 100,
    min_control: int = 100,
    overlap: float = 0.005,
    clip: float = 0.01,
    lookback_days: int = 365,
    seed: int = 0,
    channel: str = "call",
) -> CallEffects:
    """Learn the incremental euros of a dial, claim by claim, from the history.

    Parameters
    ----------
    portfolio : Portfolio
    as_of : date-like
        Only events dated on or before it are read; the cases' outcomes end
        by it.
    folds : int, default 3
        Cross-fitting folds (by debtor).
    min_treated, min_control : int, default 100
        Fewer called (uncalled) cases than this: the fallback.
    overlap : float, default 0.005
        Propensities outside ``[overlap, 1 - overlap]`` are flagged.
    clip : float, default 0.01
        Propensities are clipped to ``[clip, 1 - clip]`` in the weights.
    lookback_days : int, default 365
    seed : int, default 0
    channel : {"call", "letter", "formal_notice"}, default "call"
        The action whose effect is learned: a dial, a letter (reminder letter,
        e-mail or SMS), a formal notice; the same learner, the treatment read
        from those events (used to weigh the channels of the next action).

    Returns
    -------
    CallEffects

    Examples
    --------
    >>> from recovery_analytics.demo import generate_demo
    >>> fx = estimate_call_effects(generate_demo(300, seed=1), "2026-06-30")
    >>> fx.method in ("x_learner", "age_bucket_lift")
    True
    """
    hist, today = history_cases(portfolio, as_of, lookback_days=lookback_days, channel=channel)
    t = hist["treated"].to_numpy(dtype=bool)
    n_t, n_c = int(t.sum()), int((~t).sum())
    diag: dict[str, Any] = {"channel": channel, "cases": len(hist), "called_cases": n_t,
                            "claims_today": len(today)}  # fmt: skip
    reason = None
    if n_t < min_treated:
        reason = (
            f"only {n_t} claim-weeks {_VERB[channel]} in the history (at least {min_treated} "
            "needed)"
            if n_t
            else f"no {_NOUN[channel]} logged in the history"
        )
    elif n_c < min_control:
        reason = f"only {n_c} claim-weeks not {_VERB[channel]} in the history: all were"
    if reason is not None:
        return CallEffects(today.iloc[:0], "age_bucket_lift", reason, diag, hist)
    cols = _columns(hist)
    x, xt = hist[cols].to_numpy(dtype="float64"), today[cols].to_numpy(dtype="float64")
    y = (hist["paid_eur"] / hist["outstanding_eur"].clip(lower=0.01)).clip(0, 1).to_numpy()
    fold = _folds(hist["debtor_id"], folds, seed)
    e, mu0, mu1 = np.zeros(len(y)), np.zeros(len(y)), np.zeros(len(y))
    e_today, t_today = np.zeros(len(today)), np.zeros(len(today))
    for k in range(folds):
        tr, te = fold != k, fold == k
        m_e = _lgbm("clf", seed + k).fit(x[tr], t[tr])
        small = {"num_leaves": 7, "min_child_samples": 20}
        m0 = _lgbm("reg", seed + k).fit(x[tr & ~t], y[tr & ~t])
        m1 = _lgbm("reg", seed + k, **small).fit(x[tr & t], y[tr & t])
        e[te] = m_e.predict_proba(x[te])[:, 1]
        mu0[te], mu1[te] = m0.predict(x[te]), m1.predict(x[te])
        if len(xt):
            e_today += m_e.predict_proba(xt)[:, 1] / folds
            t_today += (m1.predict(xt) - m0.predict(xt)) / folds
    ec = np.clip(e, clip, 1 - clip)
    phi = mu1 - mu0 + t * (y - mu1) / ec - (~t) * (y - mu0) / (1 - ec)
    inside = (e >= overlap) & (e <= 1 - overlap)
    # X-learner final stage: imputed effects of the called (Y - mu0) and of the uncalled
    # (mu1 - Y), each regressed on x, blended by the propensity
    d1, d0 = y - mu0, mu1 - y
    for k in range(folds):
        tr = (fold != k) & inside
        if (tr & t).sum() < 10 or (tr & ~t).sum() < 10:
            reason = "too few called and uncalled claim-weeks inside the overlap"
            return CallEffects(today.iloc[:0], "age_bucket_lift", reason, diag, hist)
    tau = np.zeros(len(y))
    preds = np.zeros((folds, len(today)))
    for k in range(folds):
        tr = (fold != k) & inside
        m1 = _lgbm("reg", seed + 10 + k, num_leaves=7, min_child_samples=20)
        m1.fit(x[tr & t], d1[tr & t])
        m0 = _lgbm("reg", seed + 20 + k, min_child_samples=100).fit(x[tr & ~t], d0[tr & ~t])
        te = fold == k
        tau[te] = e[te] * m0.predict(x[te]) + (1 - e[te]) * m1.predict(x[te])
        if len(xt):
            preds[k] = e_today * m0.predict(xt) + (1 - e_today) * m1.predict(xt)
    # the average effect and its standard error clustered by debtor (a debtor's weeks
    # are not independent)
    ate = float(phi[inside].mean())
    group = pd.factorize(hist["debtor_id"])[0][inside]
    se = float(np.sqrt((np.bincount(group, weights=phi[inside] - ate) ** 2).sum()))
    se /= max(int(inside.sum()), 1)
    share = preds.mean(axis=0)
    ok_today = (e_today >= overlap) & (e_today <= 1 - overlap)
    # outside the overlap the history cannot tell one claim from another: the average
    # effect inside it (never below zero), not an extrapolation of the model
    share = np.where(ok_today, share, max(ate, 0.0))
    out = today[["claim_id", "debtor_id", "outstanding_eur"]].copy()
    o = out["outstanding_eur"].to_numpy()
    out["effect_share"] = np.clip(share, 0.0, 1.0)
    out["effect_eur"] = out["effect_share"] * o
    out["effect_sd_eur"] = np.where(ok_today, preds.std(axis=0), se) * o
    out["t_share"] = t_today
    out["propensity"] = e_today
    out["overlap"] = ok_today
    cases = hist.assign(propensity=e, mu0=mu0, mu1=mu1, phi=phi, tau=tau, overlap=inside)
    diag.update(
        {
            "ate_share": ate,
            "ate_share_low": ate - 1.96 * se,
            "ate_share_high": ate + 1.96 * se,
            "naive_share_difference": float(y[t].mean() - y[~t].mean()),
            "outside_overlap_share": float(1 - inside.mean()),
            "today_outside_overlap": int((~ok_today).sum()),
        }
    )
    return CallEffects(out.reset_index(drop=True), "x_learner", None, diag, cases)
