"""Money rules that read the cost schedule: A444 fees, acts, the B2B indemnity, late interest."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.judicial._schedule import CostSchedule, _schedule

__all__ = [
    "a444_31_fee",
    "a444_32_fee",
    "act_cost",
    "droit_engagement_fee",
    "indemnity_b2b",
    "interest_rate_table",
    "late_interest",
    "signification_cost",
]


def _banded(amount: Any, table: dict) -> np.ndarray:
    a = np.asarray(amount, dtype="float64")
    bands = table["bands"]
    if table.get("kind") == "step":
        uppers = np.array([b[0] for b in bands])
        values = np.array([b[1] for b in bands])
        return values[np.minimum(np.searchsorted(uppers, a, side="left"), len(values) - 1)]
    fee = np.zeros_like(a)
    lower = 0.0
    for upper, rate in bands:
        fee += rate * np.clip(a - lower, 0.0, upper - lower)
        lower = upper
    floor = table.get("floor_eur", {}).get("value", 0.0)
    cap = table.get("cap_eur", {}).get("value", math.inf)
    fee = np.where(a > 0, np.maximum(fee, floor), 0.0)
    return np.minimum(fee, cap)


def a444_31_fee(amount: Any, schedule: CostSchedule | None = None) -> np.ndarray:
    """Recovery fee paid by the **debtor** (art. A444-31), euros HT.

    Examples
    --------
    >>> float(a444_31_fee(4000.0).round(2))  # 125*9.77% + 485*6.35% + 915*3.41% + 2475*0.29%
    81.39
    """
    return _banded(amount, _schedule(schedule).item("tariffs.a444_31"))


def a444_32_fee(amount: Any, schedule: CostSchedule | None = None) -> np.ndarray:
    """Recovery fee kept by the **creditor** on sums a CJ recovers (art. A444-32), euros HT.

    Examples
    --------
    >>> float(a444_32_fee(4000.0).round(2))  # 14.66 + 52.14 + 93.88 + 96.77
    257.45
    """
    return _banded(amount, _schedule(schedule).item("tariffs.a444_32"))


def droit_engagement_fee(amount: Any, schedule: CostSchedule | None = None) -> np.ndarray:
    """Droit d'engagement des poursuites on the amount enforced, euros HT.

    Examples
    --------
    >>> float(droit_engagement_fee(50.0))
    4.29
    """
    return _banded(amount, _schedule(schedule).item("tariffs.droit_engagement_poursuites"))


def act_cost(amount: Any, act: str, schedule: CostSchedule | None = None) -> np.ndarray:
    """Cost of one CJ act, euros HT: base emolument x A444-46 multiplier + transport.

    ``act`` is a key of ``tariffs.cj_acts`` without ``_eur``: ``signification``,
    ``assignation`` or ``commandement_de_payer``. Débours are not included.

    Examples
    --------
    >>> float(act_cost(1000.0, "assignation"))  # 18.28 x 1 + 9.40
    27.68
    """
    s = _schedule(schedule)
    base = s.value(f"tariffs.cj_acts.{act}_eur")
    mult = _banded(amount, s.item("tariffs.a444_46_multiplier"))
    return base * mult + s.value("tariffs.cj_acts.transport_eur")


def signification_cost(amount: Any, schedule: CostSchedule | None = None) -> np.ndarray:
    """Cost of serving a decision or an IP, euros HT (A444-46 multiplier + transport).

    Examples
    --------
    >>> float(signification_cost(4000.0))  # 25.79 x 2 + 9.40
    60.98
    """
    return act_cost(amount, "signification", schedule)


def indemnity_b2b(n_invoices: Any, schedule: CostSchedule | None = None) -> np.ndarray:
    """B2B indemnité forfaitaire: 40 EUR per late invoice (D441-5 C. com.).

    Examples
    --------
    >>> float(indemnity_b2b(3))
    120.0
    """
    return np.asarray(n_invoices, dtype="float64") * _schedule(schedule).value(
        "rates.b2b_indemnity_eur"
    )


def interest_rate_table(schedule: CostSchedule | None = None) -> pd.DataFrame:
    """The annual rates by period: one row per period start of any rate list.

    Columns ``valid_from, ecb_refi, taux_legal_particuliers,
    taux_legal_autres_cas, b2b_rate, b2c_rate`` where ``b2b_rate = max(refi +
    10 points, 3 x taux légal autres cas)`` and ``b2c_rate`` is the taux légal of
    the configured creditor category.

    Examples
    --------
    >>> interest_rate_table()["b2b_rate"].round(4).tolist()
    [0.1315, 0.1215, 0.1215]
    """
    s = _schedule(schedule)
    names = ("ecb_refi", "taux_legal_particuliers", "taux_legal_autres_cas")
    lists = {n: s.item(f"rates.{n}")["periods"] for n in names}
    starts = sorted({p["valid_from"] for ps in lists.values() for p in ps})
    out = pd.DataFrame({"valid_from": pd.to_datetime(starts).astype("datetime64[ns]")})
    for n, ps in lists.items():
        froms = np.array([np.datetime64(p["valid_from"], "D") for p in ps])
        vals = np.array([p["value"] for p in ps])
        idx = np.searchsorted(froms, out["valid_from"].to_numpy("datetime64[D]"), side="right") - 1
        out[n] = vals[np.clip(idx, 0, len(vals) - 1)]  # before the first period: nearest
    out["b2b_rate"] = np.maximum(
        out["ecb_refi"] + s.value("rates.b2b_margin_points"),
        s.value("rates.b2b_floor_multiple") * out["taux_legal_autres_cas"],
    )
    out["b2c_rate"] = out[f"taux_legal_{s.value('rates.b2c_rate_category')}"]
    return out


def _days(x: Any) -> tuple[np.ndarray, np.ndarray]:
    d = np.atleast_1d(np.asarray(x, dtype="datetime64[D]"))
    return d.astype("int64").astype("float64"), np.isnat(d)


def late_interest(
    principal: Any,
    start: Any,
    end: Any,
    debtor_type: Any,
    schedule: CostSchedule | None = None,
) -> np.ndarray:
    """Late interest in euros on ``principal`` from ``start`` to ``end``, by half-year rates.

    B2B claims bear the ECB refi rate + 10 points (floor 3 x taux légal
    autres cas); other claims the taux légal of ``rates.b2c_rate_category``.
    Each day after ``start`` up to ``end`` bears the rate of the period it
    falls in, on a ``general.day_count``-day year. Dates outside the rate
    table use the nearest period's rate. Vectorised; NaT gives NaN, an end
    before the start gives 0.

    Examples
    --------
    >>> # 30 days of H1 2025 at 13.15 % + 61 days of H2 2025 at 12.15 %
    >>> float(late_interest(10_000.0, "2025-06-01", "2025-08-31", "B2B").round(2)[0])
    311.14
    """
    b2b = np.asarray(debtor_type, dtype=object) == "B2B"
    return _interest(principal, start, end, b2b, _schedule(schedule))


def _interest(principal: Any, start: Any, end: Any, b2b: Any, s: CostSchedule) -> np.ndarray:
    table = interest_rate_table(s)
    bounds = table["valid_from"].to_numpy("datetime64[D]").astype("int64").astype("float64")
    t0, nat0 = _days(start)
    t1, nat1 = _days(end)
    shape = np.broadcast_shapes(t0.shape, t1.shape, np.shape(principal), np.shape(b2b))
    total = np.zeros(shape)
    for col, mask in (("b2b_rate", b2b), ("b2c_rate", np.logical_not(b2b))):
        rates = table[col].to_numpy()
        cum = np.concatenate([[0.0], np.cumsum(rates[:-1] * np.diff(bounds))])

        def integral(t: np.ndarray, rates=rates, cum=cum) -> np.ndarray:
            k = np.clip(np.searchsorted(bounds, t, side="right") - 1, 0, len(rates) - 1)
            return cum[k] + rates[k] * (t - bounds[k])

        total = np.where(mask, integral(t1) - integral(t0), total)
    out = np.asarray(principal, dtype="float64") * np.maximum(total, 0.0)
    return np.where(nat0 | nat1, np.nan, out / s.value("general.day_count"))
