"""The judicial review for management: the numbers and figures of notebook 11.

:func:`scored_state` and :func:`review_table` assess every open claim at
``as_of`` (the model's figures plus :func:`~recovery_analytics.judicial.judicial_assessment`);
:func:`route_summary`, :func:`judicial_headline` (with :func:`headline_figures`
for its display), :func:`verdicts_by_segment` (and :func:`verdicts_pivot`),
:func:`declarations_due` and :func:`prescription_alerts` sum them up for the
report; :func:`prediction_check` compares earlier predictions with the cash
collected since, and :func:`weekly_trend` this week's headline figures with
last week's. The notebook ``11_judicial_review`` only
calls these, so its numbers are tested here. The weekly job that runs it is
:mod:`recovery_analytics.reports`; route colours and names are those of
:mod:`recovery_analytics.style`. See ``docs/weekly.md``.

The display helpers live in ``_review_tables``, the predictions-vs-cash check
in ``_review_history`` and the figures in :mod:`recovery_analytics.judicial.plots`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import InputError, Portfolio
from recovery_analytics.style import ROUTE_LABELS_FR

__all__ = [
    "judicial_headline",
    "review_table",
    "route_summary",
    "scored_state",
    "verdicts_by_segment",
    "weekly_trend",
]

_PERSONAL = frozenset({"name", "phone", "email", "siren"})

# --------------------------------------------------------------------------- the report's numbers


def _join_segments(state: pd.DataFrame, portfolio: Portfolio, segments: Sequence[str]) -> list:
    found = []
    for col in segments:
        if col in _PERSONAL:
            raise InputError(f"segment {col!r} is personal data: it cannot be a report segment")
        if col in state.columns:
            found.append(col)
            continue
        for table, key in ((portfolio.debtors, "debtor_id"), (portfolio.claims, "claim_id")):
            if col in table.columns:
                lookup = table.drop_duplicates(key).set_index(key)[col]
                state[col] = state[key].map(lookup)
                found.append(col)
                break
    return found


def scored_state(
    portfolio: Portfolio, model: Any, as_of: Any, *, segments: Sequence[str] = ("debtor_type",)
) -> pd.DataFrame:
    """The open claims at ``as_of`` with the model's figures and the segment columns.

    Parameters
    ----------
    portfolio : Portfolio
    model : AmicableModel
        Fitted or loaded; gives ``p_amicable`` and ``expected_recovery_eur``.
    as_of : date-like
    segments : sequence of str
        Columns of the claim state, ``debtors`` or ``claims`` to carry along;
        missing ones are skipped, personal data (name, phone, email, siren)
        is refused with an ``InputError``.

    Returns
    -------
    pandas.DataFrame
        The claim state (``docs/state-contract.md``) of the open claims, plus
        ``p_amicable, expected_recovery_eur`` and the segments found
        (``attrs["segments"]`` lists them). The input of
        :func:`review_table` and of :func:`~recovery_analytics.judicial.sensitivity`.
    """
    from recovery_analytics.amicable import score_portfolio
    from recovery_analytics.state import HISTORY_DAYS, open_claims, portfolio_state

    day = pd.Timestamp(as_of)
    history_days = getattr(model, "history_days_", HISTORY_DAYS)
    state = portfolio_state(portfolio, day, only_open=True, history_days=history_days)
    state = open_claims(state).reset_index(drop=True)
    scores = score_portfolio(portfolio, model, day, state=state)
    keep = ["claim_id", "p_amicable", "expected_recovery_eur"]
    state = state.merge(scores[keep], on="claim_id", how="left", validate="one_to_one")
    state.attrs["segments"] = _join_segments(state, portfolio, segments)
    return state


def review_table(state: pd.DataFrame, schedule: Any = None) -> pd.DataFrame:
    """The judicial assessment of every open claim, with the model's figures and segments.

    Parameters
    ----------
    state : pandas.DataFrame
        Output of :func:`scored_state`.
    schedule : CostSchedule, optional
        Default: the shipped French schedule.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`~recovery_analytics.judicial.judicial_assessment`
        (one row per open claim, sorted by ``claim_id``) plus ``days_past_due,
        p_amicable, expected_recovery_eur`` and the segments of ``state``
        (``attrs["segments"]``).
    """
    from recovery_analytics.judicial._assessment import judicial_assessment

    found = list(state.attrs.get("segments", []))
    assessment = judicial_assessment(state, schedule)
    extra = ["claim_id", "days_past_due", "p_amicable", "expected_recovery_eur"]
    extra += [c for c in found if c not in assessment.columns and c not in extra]
    out = assessment.merge(state[extra], on="claim_id", how="left", validate="one_to_one")
    out.attrs["segments"] = found
    return out


def route_summary(review: pd.DataFrame) -> pd.DataFrame:
    """Claims, debtors, euros, expected gain and cost budget per recommended route.

    Returns
    -------
    pandas.DataFrame
        One row per route of :data:`~recovery_analytics.judicial.ROUTES`
        recommended at least once, in that order: ``route, route_fr, claims,
        debtors, outstanding_eur, expected_gain_eur, cost_budget_eur`` (the
        sum of the route's cost if it runs to full recovery).

    Examples
    --------
    >>> r = pd.DataFrame({"claim_id": ["a", "b", "c"], "debtor_id": ["d", "d", "e"],
    ...     "recommended_route": ["injonction_de_payer"] * 2 + ["continue_amicable"],
    ...     "outstanding_eur": [1000.0, 500.0, 80.0], "expected_gain_eur": [120.0, 60.0, 0.0],
    ...     "cost_injonction_de_payer_eur": [90.0, 45.0, 70.0],
    ...     "cost_continue_amicable_eur": [0.0, 0.0, 0.0]})
    >>> route_summary(r)[["route", "claims", "debtors", "cost_budget_eur"]].values.tolist()
    [['continue_amicable', 1, 1, 0.0], ['injonction_de_payer', 2, 1, 135.0]]
    """
    from recovery_analytics.judicial._routes import ROUTES

    route = review["recommended_route"].astype("str")
    cost = np.zeros(len(review))
    for r in ROUTES:
        col = f"cost_{r}_eur"
        if col in review:
            mask = (route == r).to_numpy()
            cost[mask] = review.loc[mask, col].fillna(0.0).to_numpy(dtype="float64")
    grouped = (
        review.assign(_cost=cost, _route=route)
        .groupby("_route", sort=False)
        .agg(
            claims=("claim_id", "size"),
            debtors=("debtor_id", "nunique"),
            outstanding_eur=("outstanding_eur", "sum"),
            expected_gain_eur=("expected_gain_eur", "sum"),
            cost_budget_eur=("_cost", "sum"),
        )
    )
    order = [r for r in ROUTES if r in grouped.index]
    out = grouped.reindex(order).rename_axis("route").reset_index()
    out.insert(1, "route_fr", out["route"].map(ROUTE_LABELS_FR).astype("str"))
    return out.astype({"route": "str", "claims": "int64", "debtors": "int64"})


def judicial_headline(
    review: pd.DataFrame, *, horizon_days: int | None = None, quarantined_rows: int = 0
) -> dict[str, Any]:
    """The headline figures of the judicial review, as a JSON-ready dict.

    Keys: ``as_of, horizon_days, open_claims, debtors_with_open_claims,
    open_outstanding_eur, expected_amicable_recovery_eur, court_claims,
    court_expected_gain_eur, court_cost_budget_eur, insolvency_declarations_due``
    (debtors whose declaration deadline has not passed),
    ``insolvency_declarations_late, next_declaration_deadline,
    prescription_alerts`` (claims flagged ``PRESCRIPTION_URGENT``),
    ``prescription_alert_outstanding_eur, prescribed_claims, quarantined_rows``
    and ``routes`` (route -> the figures of :func:`route_summary`).

    Examples
    --------
    >>> r = pd.DataFrame({"claim_id": ["a"], "debtor_id": ["d"],
    ...     "as_of": [pd.Timestamp("2026-06-30")],
    ...     "recommended_route": ["continue_amicable"], "outstanding_eur": [100.0],
    ...     "expected_recovery_eur": [40.0], "expected_gain_eur": [0.0],
    ...     "legal_flags": [""], "declaration_deadline": [pd.NaT]})
    >>> h = judicial_headline(r)
    >>> h["open_outstanding_eur"], h["expected_amicable_recovery_eur"], h["court_claims"]
    (100.0, 40.0, 0)
    """
    from recovery_analytics.judicial._routes import COURT_ROUTES

    routes = route_summary(review)
    court = routes[routes["route"].isin(COURT_ROUTES)]
    flags = review["legal_flags"].astype("str").fillna("")
    deadline = pd.to_datetime(review["declaration_deadline"])
    day = pd.Timestamp(review["as_of"].iloc[0]) if len(review) else pd.NaT
    # claims still to declare: not declared yet, relevé de forclusion still possible
    settled = flags.str.contains("DECLARED", regex=False) | flags.str.contains(
        "FORECLOSED", regex=False
    )
    insolvent = flags.str.contains("INSOLVENCY", regex=False) & deadline.notna() & ~settled
    due = insolvent & (deadline >= day)
    late = insolvent & (deadline < day)
    urgent = flags.str.contains("PRESCRIPTION_URGENT", regex=False)
    nxt = deadline[due].min()

    def _eur(x: Any) -> float:
        return round(float(x), 2)

    return {
        "as_of": None if pd.isna(day) else day.date().isoformat(),
        "horizon_days": horizon_days,
        "open_claims": len(review),
        "debtors_with_open_claims": int(review["debtor_id"].nunique()),
        "open_outstanding_eur": _eur(review["outstanding_eur"].sum()),
        "expected_amicable_recovery_eur": _eur(review["expected_recovery_eur"].sum()),
        "court_claims": int(court["claims"].sum()),
        "court_expected_gain_eur": _eur(court["expected_gain_eur"].sum()),
        "court_cost_budget_eur": _eur(court["cost_budget_eur"].sum()),
        "insolvency_declarations_due": int(review.loc[due, "debtor_id"].nunique()),
        "insolvency_declarations_late": int(review.loc[late, "debtor_id"].nunique()),
        "next_declaration_deadline": None if pd.isna(nxt) else nxt.date().isoformat(),
        "prescription_alerts": int(urgent.sum()),
        "prescription_alert_outstanding_eur": _eur(review.loc[urgent, "outstanding_eur"].sum()),
        "prescribed_claims": int(flags.str.contains("PRESCRIBED", regex=False).sum()),
        "quarantined_rows": int(quarantined_rows),
        "routes": {
            row.route: {
                "claims": int(row.claims),
                "debtors": int(row.debtors),
                "outstanding_eur": _eur(row.outstanding_eur),
                "expected_gain_eur": _eur(row.expected_gain_eur),
                "cost_budget_eur": _eur(row.cost_budget_eur),
            }
            for row in routes.itertuples(index=False)
        },
    }


def verdicts_by_segment(review: pd.DataFrame, by: str) -> pd.DataFrame:
    """Recommended routes within each value of a segment column.

    Returns
    -------
    pandas.DataFrame
        ``<by>, route, route_fr, claims, outstanding_eur, share_of_segment``
        (share of the segment's outstanding), sorted by segment then route
        order; a missing segment value is shown as ``(inconnu)``.

    Examples
    --------
    >>> r = pd.DataFrame({"claim_id": list("abc"), "debtor_type": ["B2B", "B2B", "B2C"],
    ...     "recommended_route": ["injonction_de_payer", "continue_amicable", "write_off"],
    ...     "outstanding_eur": [300.0, 100.0, 50.0]})
    >>> verdicts_by_segment(r, "debtor_type")["share_of_segment"].tolist()
    [0.25, 0.75, 1.0]
    """
    from recovery_analytics.judicial._routes import ROUTES

    seg = review[by].astype("str").fillna("(inconnu)")
    table = (
        review.assign(_seg=seg.to_numpy(), _route=review["recommended_route"].astype("str"))
        .groupby(["_seg", "_route"], sort=False)
        .agg(claims=("claim_id", "size"), outstanding_eur=("outstanding_eur", "sum"))
        .reset_index()
        .rename(columns={"_seg": by, "_route": "route"})
    )
    total = table.groupby(by)["outstanding_eur"].transform("sum")
    table["share_of_segment"] = table["outstanding_eur"] / total.where(total > 0)
    table["_order"] = table["route"].map({r: i for i, r in enumerate(ROUTES)})
    table = table.sort_values([by, "_order"], kind="stable").drop(columns="_order")
    table.insert(2, "route_fr", table["route"].map(ROUTE_LABELS_FR).astype("str"))
    return table.reset_index(drop=True).astype({by: "str", "route": "str", "claims": "int64"})


# --------------------------------------------------------------------------- trend


def _flatten(figures: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out |= _flatten(value, f"{name}.")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[name] = float(value)
    return out


def weekly_trend(current: Mapping[str, Any], previous: Mapping[str, Any] | None) -> pd.DataFrame:
    """Headline figures of this week against the previous week's.

    Nested dicts are flattened with dots (``routes.injonction_de_payer.claims``);
    only numbers are compared (``horizon_days`` is left out); a figure present
    in only one week has NaN on the other side.

    Returns
    -------
    pandas.DataFrame
        ``figure, previous, current, change`` (current - previous), in the
        order of ``current``; empty when there is no previous week.

    Examples
    --------
    >>> t = weekly_trend({"open_claims": 12, "routes": {"agency": {"claims": 3}}},
    ...                  {"open_claims": 10})
    >>> t.values.tolist()[0], t["figure"].tolist()
    (['open_claims', 10.0, 12.0, 2.0], ['open_claims', 'routes.agency.claims'])
    """
    cols = ["figure", "previous", "current", "change"]
    if not previous:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols}).astype({"figure": "str"})
    cur, prev = _flatten(current), _flatten(previous)
    names = [k for k in cur if k != "horizon_days"]
    names += [k for k in prev if k not in cur and k != "horizon_days"]
    out = pd.DataFrame(
        {
            "figure": names,
            "previous": [prev.get(k, np.nan) for k in names],
            "current": [cur.get(k, np.nan) for k in names],
        }
    )
    out["change"] = out["current"] - out["previous"]
    return out.astype({"figure": "str"})
