"""Break-even amounts and sensitivity of the judicial economics.

:func:`break_even_amount` and :func:`break_even_curves` find the smallest
outstanding amount for which a route beats continuing amicably;
:func:`sensitivity` is the tornado table of the portfolio's total expected
gain when each assumption of the cost schedule moves. Both price claims with
the engine of ``_routes``; :mod:`recovery_analytics.judicial.plots` draws
them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.judicial._legal import _as_of
from recovery_analytics.judicial._plans import _decide, _evaluate
from recovery_analytics.judicial._routes import COURT_ROUTES, ROUTES, _prepare
from recovery_analytics.judicial._schedule import CostSchedule, load_schedule

__all__ = ["SENSITIVITY_PARAMETERS", "break_even_amount", "break_even_curves", "sensitivity"]

#: Schedule keys moved by :func:`sensitivity` (plus ``p_amicable``, the model input).
SENSITIVITY_PARAMETERS: tuple[str, ...] = (
    "general.cost_of_capital",
    "general.minimum_margin_eur",
    "general.fallback_amicable_factor",
    "courts.greffe_ip_tc_eur",
    "tariffs.cj_acts.signification_eur",
    "tariffs.cj_acts.saisie_attribution_eur",
    "lawyers.hourly_rate_eur",
    "routes.injonction_de_payer.refused_rate",
    "routes.injonction_de_payer.opposition_rate",
    "routes.injonction_de_payer.months_to_cash",
    "routes.procedure_simplifiee.acceptance_rate",
    "routes.refere_provision.p_title_undisputed",
    "routes.action_au_fond.p_title_undisputed",
    "routes.action_au_fond.p_title_disputed",
    "routes.agency.fee_share",
    "enforcement.success_share_good",
    "enforcement.success_share_unknown",
    "enforcement.success_share_poor",
)


def _synthetic_state(
    amounts: np.ndarray,
    p_amicable: np.ndarray,
    *,
    debtor_type: str,
    days_past_due: int,
    disputed: bool,
    solvency_signal: str,
    day: pd.Timestamp,
) -> pd.DataFrame:
    """One claim per debtor (no grouping) for each (amount, p_amicable) pair."""
    n = len(amounts)
    due = day - pd.Timedelta(days=int(days_past_due))
    ids = pd.Series(np.arange(n)).astype("str").str.zfill(9)
    return pd.DataFrame(
        {
            "claim_id": ids,
            "debtor_id": ids,
            "debtor_type": debtor_type,
            "invoice_date": due - pd.Timedelta(days=30),
            "due_date": due,
            "outstanding_eur": np.asarray(amounts, dtype="float64"),
            "p_amicable": np.asarray(p_amicable, dtype="float64"),
            "open_dispute": bool(disputed),
            "solvency_signal": solvency_signal,
        }
    )


def _beats(route: str, st: pd.DataFrame, s: CostSchedule, day: pd.Timestamp, margin: float):
    p = _prepare(st, s, day)
    ev = _evaluate(p, s)
    amicable = ev["net"]["continue_amicable"]
    return ev["ok"][route] & (ev["net"][route] >= amicable + margin)


def _break_even_batch(
    route: str, p_amicable: np.ndarray, s: CostSchedule, margin: float | None, **case: Any
) -> np.ndarray:
    if route not in ROUTES or route in ("continue_amicable", "declare_claim", "enforce_title"):
        raise ValueError(f"no break-even for route {route!r}: pick one of {ROUTES}")
    day = case["day"]
    if margin is None:
        margin = s.value("general.minimum_margin_eur") if route in COURT_ROUTES else 0.0
    p_amicable = np.atleast_1d(np.asarray(p_amicable, dtype="float64"))
    grid = np.geomspace(1.0, 1e6, 1201)
    k, m = len(p_amicable), len(grid)
    st = _synthetic_state(np.tile(grid, k), np.repeat(p_amicable, m), **case)
    hit = _beats(route, st, s, day, margin).reshape(k, m)
    first = np.where(hit.any(axis=1), hit.argmax(axis=1), -1)
    out = np.full(k, np.inf)
    found = first >= 0
    out[found & (first == 0)] = grid[0]
    refine = np.flatnonzero(found & (first > 0))
    if len(refine):  # a fine linear grid inside the bracket, all cases at once
        lo, hi = grid[first[refine] - 1], grid[first[refine]]
        fine = lo[:, None] + (hi - lo)[:, None] * np.linspace(0.0, 1.0, 2001)[None, :]
        st = _synthetic_state(fine.ravel(), np.repeat(p_amicable[refine], 2001), **case)
        hit = _beats(route, st, s, day, margin).reshape(len(refine), 2001)
        out[refine] = np.round(fine[np.arange(len(refine)), hit.argmax(axis=1)], 2)
    return out


def break_even_amount(
    route: str,
    schedule: CostSchedule | None = None,
    *,
    p_amicable: float = 0.3,
    debtor_type: str = "B2B",
    days_past_due: int = 90,
    disputed: bool = False,
    solvency_signal: str = "unknown",
    margin: float | None = None,
    as_of: Any = None,
) -> float:
    """Smallest outstanding amount for which ``route`` beats continuing amicably.

    A single claim with the given probabilities is priced on a grid of
    amounts from 1 EUR to 1 MEUR; the answer is the first amount where the
    route is allowed and its expected net exceeds that of continuing
    amicably by ``margin`` (default: ``general.minimum_margin_eur`` for court
    routes, 0 for the comparators), to the cent. Tariff steps (A444-46
    multiplier at 128 and 1,280 EUR) can make a route dip just above a step.

    Parameters
    ----------
    route : str
        One of :data:`ROUTES` except ``continue_amicable``, ``declare_claim`` and
        ``enforce_title`` (which needs a title, not an amount).
    schedule : CostSchedule, optional
    p_amicable, debtor_type, days_past_due, disputed, solvency_signal
        The claim's profile (``solvency_signal`` in good / unknown / poor).
    margin : float, optional
    as_of : date, optional
        Date of the pricing (rates, contribution in force); default today.

    Returns
    -------
    float
        Euros; ``inf`` when the route never wins up to 1 MEUR.

    Examples
    --------
    >>> be = break_even_amount("injonction_de_payer", p_amicable=0.3, as_of="2026-06-30")
    >>> 100 < be < 2000
    True
    """
    s = schedule if schedule is not None else load_schedule()
    day = pd.Timestamp(as_of if as_of is not None else pd.Timestamp.today()).normalize()
    return float(
        _break_even_batch(
            route,
            np.array([p_amicable]),
            s,
            margin,
            debtor_type=debtor_type,
            days_past_due=days_past_due,
            disputed=disputed,
            solvency_signal=solvency_signal,
            day=day,
        )[0]
    )


def break_even_curves(
    schedule: CostSchedule | None = None,
    *,
    routes: tuple[str, ...] = COURT_ROUTES,
    debtor_types: tuple[str, ...] = ("B2B", "B2C"),
    p_amicable: Any = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
    days_past_due: int = 90,
    disputed: bool = False,
    solvency_signal: str = "unknown",
    as_of: Any = None,
) -> pd.DataFrame:
    """Break-even amounts over a range of ``p_amicable`` for several routes.

    Returns
    -------
    DataFrame
        Columns ``route, debtor_type, p_amicable, break_even_eur`` (``inf``
        where the route never wins), sorted in that order.

    Examples
    --------
    >>> df = break_even_curves(routes=("injonction_de_payer",), debtor_types=("B2B",),
    ...                        p_amicable=(0.2, 0.6), as_of="2026-06-30")
    >>> bool(df["break_even_eur"].is_monotonic_increasing)
    True
    """
    s = schedule if schedule is not None else load_schedule()
    day = pd.Timestamp(as_of if as_of is not None else pd.Timestamp.today()).normalize()
    ps = np.asarray(p_amicable, dtype="float64")
    frames = []
    for route in routes:
        for dtype in debtor_types:
            be = _break_even_batch(
                route,
                ps,
                s,
                None,
                debtor_type=dtype,
                days_past_due=days_past_due,
                disputed=disputed,
                solvency_signal=solvency_signal,
                day=day,
            )
            frames.append(
                pd.DataFrame(
                    {"route": route, "debtor_type": dtype, "p_amicable": ps, "break_even_eur": be}
                )
            )
    out = pd.concat(frames, ignore_index=True)
    return out.astype({"route": "str", "debtor_type": "str"})


def _total_gain(p: dict, s: CostSchedule) -> float:
    ev = _evaluate(p, s)
    return float(_decide(p, ev, s)["gain"].sum())


def sensitivity(
    state: pd.DataFrame,
    schedule: CostSchedule | None = None,
    rel_range: float = 0.2,
    *,
    as_of: Any = None,
    parameters: tuple[str, ...] = SENSITIVITY_PARAMETERS,
) -> pd.DataFrame:
    """Tornado table: the portfolio's total expected gain when each assumption moves.

    The total expected gain is the sum over open claims of the expected net
    of the recommended route minus that of continuing amicably (writing off
    where amicable recovery is not allowed). Each parameter is moved to
    ``value x (1 - rel_range)`` and ``value x (1 + rel_range)`` (probabilities
    and shares capped to [0, 1]) while the others keep their value; the row
    ``p_amicable`` scales the model's probabilities and expected recoveries.

    Returns
    -------
    DataFrame
        Columns ``parameter, rel_range, base_value, low_value, high_value, gain_low_eur,
        gain_base_eur, gain_high_eur, swing_eur``, largest swing first.

    Examples
    --------
    >>> st = pd.DataFrame({"claim_id": ["c1"], "debtor_id": ["d1"], "debtor_type": ["B2B"],
    ...     "invoice_date": [pd.Timestamp("2026-01-02")], "due_date": [pd.Timestamp("2026-02-01")],
    ...     "outstanding_eur": [4000.0]})
    >>> tab = sensitivity(st, as_of="2026-06-01", parameters=("routes.agency.fee_share",))
    >>> tab["parameter"].tolist()
    ['p_amicable', 'routes.agency.fee_share']
    """
    s = schedule if schedule is not None else load_schedule()
    day = _as_of(state, as_of)
    p = _prepare(state, s, day)
    base = _total_gain(p, s)
    rows = []
    for key in parameters:
        item = s.item(key)
        v = float(item["value"])
        bounded = item.get("unit") in ("probability", "share")
        lo, hi = v * (1 - rel_range), v * (1 + rel_range)
        if bounded:
            lo, hi = min(max(lo, 0.0), 1.0), min(max(hi, 0.0), 1.0)
        g_lo = _total_gain(p, s.with_overrides({key: lo}))
        g_hi = _total_gain(p, s.with_overrides({key: hi}))
        rows.append((key, v, lo, hi, g_lo, base, g_hi))
    gains = []
    for f in (1 - rel_range, 1 + rel_range):
        q = dict(p, p_am=np.clip(p["p_am"] * f, 0, 1), r_am=np.clip(p["r_am"] * f, 0, p["o"]))
        gains.append(_total_gain(q, s))
    mean_p = float(p["p_am"].mean()) if len(p["o"]) else np.nan
    rows.append(
        (
            "p_amicable",
            mean_p,
            mean_p * (1 - rel_range),
            mean_p * (1 + rel_range),
            *gains[:1],
            base,
            gains[1],
        )
    )
    out = pd.DataFrame(
        rows,
        columns=[
            "parameter",
            "base_value",
            "low_value",
            "high_value",
            "gain_low_eur",
            "gain_base_eur",
            "gain_high_eur",
        ],
    )
    out["swing_eur"] = (out["gain_high_eur"] - out["gain_low_eur"]).abs()
    out.insert(1, "rel_range", float(rel_range))
    out = out.sort_values(["swing_eur", "parameter"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True).astype({"parameter": "str"})
