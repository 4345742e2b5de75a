"""Off-policy evaluation of call lists on the history: what calling list A instead of B adds.

:func:`evaluate_call_policies` reads the history's cases of
:func:`estimate_call_effects` (out-of-fold propensity, outcome models and the
doubly robust pseudo-outcome of every claim-week). Week by week, each policy
picks ``capacity`` debtors among those with a case that week; the incremental
euros of its list (over calling none of them) are estimated by inverse
propensity weighting (IPS: ``T Y / e - (1 - T) Y / (1 - e)``, in euros) and
doubly robust (DR: the pseudo-outcome ``phi`` x outstanding), summed over the
claims of the chosen debtors. Policies: ``queue`` (out-of-fold learned effect),
``largest_first`` (outstanding), ``oldest_first`` (days past due) and
``random``. The interval of a policy's weekly mean is ``mean +- 1.96 sd /
sqrt(weeks)``. What it can tell: which list adds more, on the debtors the
history's policy could have called. What it cannot: debtors the history never
called (outside the overlap), or effects of calls in a world that changed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from recovery_analytics.queue._uplift import CallEffects

__all__ = ["POLICY_NAMES", "evaluate_call_policies", "learned_vs_largest_first", "qini_curve"]

#: The policies compared, in report order.
POLICY_NAMES: tuple[str, ...] = ("queue", "largest_first", "oldest_first", "random")


def _weekly(cases: pd.DataFrame, capacity: int, seed: int) -> pd.DataFrame:
    c = cases.copy()
    o = c["outstanding_eur"].to_numpy()
    e = np.clip(c["propensity"].to_numpy(), 0.01, 0.99)
    t = c["treated"].to_numpy(dtype=bool)
    y = c["paid_eur"].to_numpy()
    c["ips_eur"] = np.where(t, y / e, -y / (1 - e))
    c["dr_eur"] = c["phi"].to_numpy() * o
    c["tau_eur"] = c["tau"].to_numpy() * o
    g = c.groupby(["day", "debtor_id"], sort=True)
    deb = pd.DataFrame(
        {
            "tau_eur": g["tau_eur"].sum(),
            "outstanding_eur": g["outstanding_eur"].sum(),
            "days_past_due": g["days_past_due"].max(),
            "ips_eur": g["ips_eur"].sum(),
            "dr_eur": g["dr_eur"].sum(),
        }
    ).reset_index()
    deb["random"] = np.random.default_rng(seed).random(len(deb))
    keys = {
        "queue": "tau_eur",
        "largest_first": "outstanding_eur",
        "oldest_first": "days_past_due",
        "random": "random",
    }
    rows = []
    for name, key in keys.items():
        top = (
            deb.sort_values(["day", key, "debtor_id"], ascending=[True, False, True])
            .groupby("day")
            .head(capacity)
        )
        w = top.groupby("day")[["ips_eur", "dr_eur"]].sum().reset_index()
        rows.append(w.assign(policy=name))
    return pd.concat(rows, ignore_index=True)


def evaluate_call_policies(
    effects: CallEffects, capacity: int, *, seed: int = 0, overlap_only: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Weekly IPS and DR estimates of the incremental euros of each policy, and their means.

    Parameters
    ----------
    effects : CallEffects
        With its history ``cases`` (the learner was fitted; with the fallback
        there is nothing to evaluate and both frames are empty).
    capacity : int
        Debtors called per week by every policy.
    seed : int, default 0
        Seed of the ``random`` policy.
    overlap_only : bool, default True
        Read only cases inside the overlap (the others carry extreme weights).

    Returns
    -------
    weekly : pandas.DataFrame
        ``day`` (days since 1970 of the week's start), ``policy, ips_eur, dr_eur``.
    totals : pandas.DataFrame
        One row per policy of :data:`POLICY_NAMES`: ``policy, weeks,
        ips_eur, ips_low, ips_high, dr_eur, dr_low, dr_high`` (weekly means
        and 95 % intervals).
    """
    cols = ["policy", "weeks", "ips_eur", "ips_low", "ips_high", "dr_eur", "dr_low", "dr_high"]
    cases = effects.cases
    if effects.method == "age_bucket_lift" or "phi" not in cases or cases.empty:
        return pd.DataFrame(columns=["day", "policy", "ips_eur", "dr_eur"]), pd.DataFrame(
            columns=cols
        )
    if overlap_only:
        cases = cases[cases["overlap"].to_numpy(dtype=bool)]
    weekly = _weekly(cases, int(capacity), seed)
    g = weekly.groupby("policy")
    n = g.size()
    out = pd.DataFrame({"weeks": n})
    for est in ("ips", "dr"):
        m, sd = g[f"{est}_eur"].mean(), g[f"{est}_eur"].std().fillna(0.0)
        half = 1.96 * sd / np.sqrt(n)
        out[f"{est}_eur"], out[f"{est}_low"], out[f"{est}_high"] = m, m - half, m + half
    out = out.reindex(list(POLICY_NAMES)).reset_index(names="policy")
    return weekly[["day", "policy", "ips_eur", "dr_eur"]], out[cols]


def learned_vs_largest_first(effects: CallEffects, capacity: int) -> dict:
    """Whether the learned list beat largest-first on the history, week by week (paired).

    The doubly robust incremental euros of the two lists of each week
    (:func:`evaluate_call_policies`, inside the overlap) are compared week by
    week, so that what the weeks share cancels out: the mean weekly
    difference, learned minus largest-first, with a 95 % interval
    ``mean +- 1.96 sd / sqrt(weeks)``. ``beats`` is True only when the whole
    interval is above zero: the queue trusts its learned effects only where
    the history shows they add more than simply calling the largest balances.

    Returns
    -------
    dict
        ``capacity, weeks, dr_diff_eur, dr_diff_low, dr_diff_high, beats``
        (``weeks`` 0, the differences None and ``beats`` False when there
        is nothing to compare; with one week the interval is infinite).

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"day": [0, 0, 7, 7], "debtor_id": ["A", "B", "A", "B"],
    ...     "outstanding_eur": [100.0, 50.0, 100.0, 50.0], "days_past_due": [10, 20, 17, 27],
    ...     "propensity": 0.5, "treated": [True, False, False, True],
    ...     "paid_eur": [60.0, 0.0, 10.0, 30.0], "phi": [0.2, 0.6, 0.1, 0.8],
    ...     "tau": [0.1, 0.5, 0.1, 0.5], "overlap": True})
    >>> fx = CallEffects(pd.DataFrame(), "x_learner", None, cases=cases)
    >>> out = learned_vs_largest_first(fx, 1)  # B (30 and 40 EUR) against A (20 and 10 EUR)
    >>> out["weeks"], out["dr_diff_eur"], round(out["dr_diff_low"], 6), out["beats"]
    (2, 20.0, 0.4, True)
    """
    weekly, _ = evaluate_call_policies(effects, capacity)
    out = {"capacity": int(capacity), "weeks": 0, "dr_diff_eur": None,
           "dr_diff_low": None, "dr_diff_high": None, "beats": False}  # fmt: skip
    if weekly.empty:
        return out
    w = weekly.pivot(index="day", columns="policy", values="dr_eur")
    diff = (w["queue"] - w["largest_first"]).to_numpy(dtype="float64")
    n = len(diff)
    mean = float(diff.mean())
    half = 1.96 * float(diff.std(ddof=1)) / np.sqrt(n) if n > 1 else float("inf")
    out.update(
        weeks=n, dr_diff_eur=mean, dr_diff_low=float(mean - half), dr_diff_high=float(mean + half)
    )
    out["beats"] = bool(out["dr_diff_low"] > 0)
    return out


def qini_curve(effects: CallEffects, points: int = 51) -> pd.DataFrame:
    """Cumulative incremental euros (DR) when the history's cases are taken in an order.

    Cases inside the overlap are sorted by the out-of-fold learned effect in
    euros (``queue``) or by outstanding (``largest_first``); at each share of
    the cases targeted, the sum of their doubly robust incremental euros. The
    ``random`` line joins 0 to the total. A curve above ``random`` ranks the
    cases a call moves first. Empty with the fallback.

    Returns
    -------
    pandas.DataFrame
        ``share_targeted, queue_eur, largest_first_eur, random_eur``.
    """
    cols = ["share_targeted", "queue_eur", "largest_first_eur", "random_eur"]
    c = effects.cases
    if effects.method == "age_bucket_lift" or "phi" not in c or c.empty:
        return pd.DataFrame(columns=cols)
    c = c[c["overlap"].to_numpy(dtype=bool)]
    o = c["outstanding_eur"].to_numpy()
    dr = c["phi"].to_numpy() * o
    share = np.linspace(0, 1, int(points))
    k = np.rint(share * len(c)).astype("int64")
    out = {"share_targeted": share}
    for name, key in (("queue", c["tau"].to_numpy() * o), ("largest_first", o)):
        order = np.lexsort((c["claim_id"].to_numpy(), -key))
        out[f"{name}_eur"] = np.concatenate([[0.0], np.cumsum(dr[order])])[k]
    out["random_eur"] = share * dr.sum()
    return pd.DataFrame(out)[cols]
