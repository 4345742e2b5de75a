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
:mod:`recovery_analytics.weekly`; route colours and names are those of
:mod:`recovery_analytics.plots`. See ``docs/weekly.md``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from recovery_analytics.plots import (
    ROUTE_COLORS,
    ROUTE_LABELS_FR,
    column_label,
    ensure_axes,
    eur_formatter,
    format_eur,
    format_pct,
    pct_formatter,
)
from recovery_analytics.schema import InputError, Portfolio

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "HEADLINE_LABELS_FR",
    "SCORES_FILE",
    "declarations_due",
    "headline_figures",
    "history_files",
    "judicial_headline",
    "plot_prediction_check",
    "plot_routes_by_segment",
    "prediction_check",
    "prescription_alerts",
    "review_table",
    "route_summary",
    "scored_state",
    "trend_table",
    "verdicts_by_segment",
    "verdicts_pivot",
    "weekly_trend",
]

#: Where a weekly run keeps the scores of its review, relative to ``OUT_DIR/<as_of>/``.
SCORES_FILE = "judicial/scores.parquet"
_PERSONAL = frozenset({"name", "phone", "email", "siren"})
#: The figures of :func:`judicial_headline` as managers read them, in report order
#: (``{horizon}`` is the model's horizon in days).
HEADLINE_LABELS_FR: dict[str, str] = {
    "open_outstanding_eur": "Encours ouvert",
    "open_claims": "Créances ouvertes",
    "debtors_with_open_claims": "Débiteurs avec un encours",
    "expected_amicable_recovery_eur": "Amiable attendu sous {horizon} jours",
    "court_claims": "Créances à porter en justice",
    "court_expected_gain_eur": "Gain attendu des procédures (vs amiable)",
    "court_cost_budget_eur": "Budget de frais des procédures",
    "insolvency_declarations_due": "Déclarations de créances à faire (débiteurs)",
    "next_declaration_deadline": "Prochaine date limite de déclaration",
    "insolvency_declarations_late": "Déclarations hors délai (débiteurs)",
    "prescription_alerts": "Alertes de prescription (créances)",
    "prescription_alert_outstanding_eur": "Encours menacé de prescription",
    "prescribed_claims": "Créances prescrites",
    "quarantined_rows": "Lignes en quarantaine",
}

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
    from recovery_analytics.features import HISTORY_DAYS, open_claims, portfolio_state

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
    from recovery_analytics.judicial import judicial_assessment

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
    from recovery_analytics.judicial import ROUTES

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
    from recovery_analytics.judicial import COURT_ROUTES

    routes = route_summary(review)
    court = routes[routes["route"].isin(COURT_ROUTES)]
    flags = review["legal_flags"].astype("str").fillna("")
    deadline = pd.to_datetime(review["declaration_deadline"])
    day = pd.Timestamp(review["as_of"].iloc[0]) if len(review) else pd.NaT
    insolvent = flags.str.contains("INSOLVENCY", regex=False) & deadline.notna()
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


def headline_figures(headline: Mapping[str, Any]) -> dict[str, Any]:
    """The headline figures of :func:`judicial_headline` under their French labels.

    For :func:`~recovery_analytics.reports.headline_cards`: label -> value in
    the order of :data:`HEADLINE_LABELS_FR` (keys absent from ``headline``
    are skipped), the next declaration deadline as a date (``None`` when
    there is none). Display only: the values are those of ``headline``.

    Examples
    --------
    >>> h = {"open_outstanding_eur": 100.0, "expected_amicable_recovery_eur": 40.0,
    ...      "horizon_days": 90, "next_declaration_deadline": "2026-07-14"}
    >>> headline_figures(h)
    {'Encours ouvert': 100.0, 'Amiable attendu sous 90 jours': 40.0, \
'Prochaine date limite de déclaration': Timestamp('2026-07-14 00:00:00')}
    """
    horizon = headline.get("horizon_days") or 90
    out: dict[str, Any] = {}
    for key, label in HEADLINE_LABELS_FR.items():
        if key not in headline:
            continue
        value = headline[key]
        if key == "next_declaration_deadline":
            value = None if value is None else pd.Timestamp(value)
        out[label.format(horizon=horizon)] = value
    return out


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
    from recovery_analytics.judicial import ROUTES

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


def verdicts_pivot(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """:func:`verdicts_by_segment` as one row per segment value, one column per route.

    Returns
    -------
    pandas.DataFrame
        ``<by>, outstanding_eur`` (the segment's total), then one column of
        outstanding euros per route present, named by the route code, in
        :data:`~recovery_analytics.judicial.ROUTES` order; segments in the
        order of ``table``.

    Examples
    --------
    >>> r = pd.DataFrame({"claim_id": list("abc"), "debtor_type": ["B2B", "B2B", "B2C"],
    ...     "recommended_route": ["injonction_de_payer", "continue_amicable", "write_off"],
    ...     "outstanding_eur": [300.0, 100.0, 50.0]})
    >>> verdicts_pivot(verdicts_by_segment(r, "debtor_type"), "debtor_type").values.tolist()
    [['B2B', 400.0, 100.0, 300.0, 0.0], ['B2C', 50.0, 0.0, 0.0, 50.0]]
    """
    from recovery_analytics.judicial import ROUTES

    segments = list(dict.fromkeys(table[by]))
    wide = table.pivot_table(
        index=by, columns="route", values="outstanding_eur", aggfunc="sum", fill_value=0.0
    )
    routes = [r for r in ROUTES if r in wide.columns]
    wide = wide.reindex(index=segments, columns=routes, fill_value=0.0).astype("float64")
    wide.insert(0, "outstanding_eur", wide.sum(axis=1))
    wide.columns.name = None
    return wide.rename_axis(by).reset_index().astype({by: "str"})


def declarations_due(review: pd.DataFrame) -> pd.DataFrame:
    """Debtors in insolvency proceedings with a claim to declare, earliest deadline first.

    Parameters
    ----------
    review : pandas.DataFrame
        Output of :func:`review_table` (``as_of`` is read from it).

    Returns
    -------
    pandas.DataFrame
        ``debtor_id, claims, outstanding_eur, declaration_deadline, days_left``
        (negative once the deadline has passed: a relief from foreclosure is
        then needed), sorted by deadline then debtor.

    Examples
    --------
    >>> r = pd.DataFrame({"claim_id": list("abc"), "debtor_id": ["d", "d", "e"],
    ...     "as_of": pd.Timestamp("2026-06-30"), "outstanding_eur": [100.0, 50.0, 80.0],
    ...     "legal_flags": ["INSOLVENCY", "INSOLVENCY", ""],
    ...     "declaration_deadline": pd.to_datetime(["2026-07-10", "2026-07-10", None])})
    >>> declarations_due(r).values.tolist()
    [['d', 2, 150.0, Timestamp('2026-07-10 00:00:00'), 10]]
    """
    cols = ["debtor_id", "claims", "outstanding_eur", "declaration_deadline", "days_left"]
    deadline = pd.to_datetime(review["declaration_deadline"])
    flags = review["legal_flags"].astype("str").fillna("")
    ins = review.assign(declaration_deadline=deadline)[
        flags.str.contains("INSOLVENCY", regex=False) & deadline.notna()
    ]
    if not len(ins):
        return pd.DataFrame(
            {
                "debtor_id": pd.Series(dtype="str"),
                "claims": pd.Series(dtype="int64"),
                "outstanding_eur": pd.Series(dtype="float64"),
                "declaration_deadline": pd.Series(dtype="datetime64[ns]"),
                "days_left": pd.Series(dtype="int64"),
            }
        )
    day = pd.Timestamp(review["as_of"].iloc[0])
    out = ins.groupby("debtor_id", as_index=False).agg(
        claims=("claim_id", "size"),
        outstanding_eur=("outstanding_eur", "sum"),
        declaration_deadline=("declaration_deadline", "min"),
    )
    out["days_left"] = (out["declaration_deadline"] - day).dt.days.astype("int64")
    out = out.sort_values(["declaration_deadline", "debtor_id"], kind="stable")
    return out[cols].reset_index(drop=True).astype({"debtor_id": "str", "claims": "int64"})


def prescription_alerts(review: pd.DataFrame) -> pd.DataFrame:
    """Claims flagged ``PRESCRIPTION_URGENT``, the nearest prescription date first.

    Returns
    -------
    pandas.DataFrame
        ``claim_id, debtor_id, debtor_type, outstanding_eur,
        prescription_date, days_to_prescription, recommended_route`` (the
        route code), sorted by prescription date then claim.

    Examples
    --------
    >>> r = pd.DataFrame({"claim_id": ["a", "b"], "debtor_id": ["d", "e"],
    ...     "debtor_type": ["B2C", "B2B"], "outstanding_eur": [52.0, 900.0],
    ...     "prescription_date": pd.to_datetime(["2026-09-06", "2027-01-01"]),
    ...     "days_to_prescription": [68.0, 185.0], "recommended_route": ["agency"] * 2,
    ...     "legal_flags": ["PRESCRIPTION_URGENT", ""]})
    >>> prescription_alerts(r)[["claim_id", "days_to_prescription"]].values.tolist()
    [['a', 68]]
    """
    cols = [
        "claim_id",
        "debtor_id",
        "debtor_type",
        "outstanding_eur",
        "prescription_date",
        "days_to_prescription",
        "recommended_route",
    ]
    urgent = (
        review["legal_flags"]
        .astype("str")
        .fillna("")
        .str.contains("PRESCRIPTION_URGENT", regex=False)
    )
    alerts = review.loc[urgent, cols].sort_values(["prescription_date", "claim_id"], kind="stable")
    days = alerts["days_to_prescription"].astype("float64").round().astype("int64")
    return alerts.assign(days_to_prescription=days).reset_index(drop=True)


# --------------------------------------------------------------------------- predictions vs cash


def _collected(portfolio: Portfolio, scored: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """Payments per scored claim dated in (its as_of, end], capped at its outstanding."""
    ev = portfolio.events
    pay = ev[ev["type"].astype("str") == "payment"][["claim_id", "date", "amount"]]
    pay = pay.merge(scored[["claim_id", "as_of"]], on="claim_id", how="inner")
    pay = pay[(pay["date"] > pay["as_of"]) & (pay["date"] <= end)]
    paid = pay.groupby("claim_id")["amount"].sum(min_count=1).fillna(0.0)
    out = scored.copy()
    got = out["claim_id"].map(paid).fillna(0.0).to_numpy(dtype="float64")
    out["collected_eur"] = np.clip(got, 0.0, out["outstanding_eur"].to_numpy(dtype="float64"))
    tol = np.maximum(1.0, 0.01 * out["outstanding_eur"].to_numpy(dtype="float64"))
    out["recovered"] = out["outstanding_eur"].to_numpy() - out["collected_eur"].to_numpy() <= tol
    return out


def _check_rows(scored: pd.DataFrame, as_of: pd.Timestamp, horizon: int) -> dict[str, Any]:
    start = pd.Timestamp(scored["as_of"].iloc[0])
    end = min(start + pd.Timedelta(days=horizon), as_of)
    return {
        "scored_as_of": start,
        "window_end": end,
        "days_observed": int((end - start).days),
        "horizon_days": horizon,
        "window_complete": bool(start + pd.Timedelta(days=horizon) <= as_of),
        "claims": len(scored),
        "outstanding_eur": float(scored["outstanding_eur"].sum()),
        "expected_eur": float(scored["expected_recovery_eur"].sum()),
        "expected_recovered_claims": float(scored["p_amicable"].sum()),
        "end": end,
    }


def prediction_check(
    portfolio: Portfolio,
    model: Any,
    as_of: Any,
    *,
    history_dir: str | os.PathLike[str] | None = None,
    weeks_back: Sequence[int] = (13, 26),
    max_weeks: int = 8,
) -> pd.DataFrame:
    """How the predicted euros compared with what was actually collected.

    If ``history_dir`` holds earlier weekly outputs (``<ISO date>/judicial/scores.parquet``
    with a date before ``as_of``), the last ``max_weeks`` of them are compared
    with the payments received since (``source = "weekly run"``; the window
    is complete only once the horizon has passed). Otherwise the claims open
    at ``as_of - w`` weeks for each ``w`` of ``weeks_back`` are scored with
    ``model`` now and compared with the payments of the following horizon
    (``source = "reconstructed"``); the model may have been trained on that
    period (``seen_in_training``: the date is before the end of the model's
    training labels), so this flatters it.

    Returns
    -------
    pandas.DataFrame
        One row per scored date, oldest first: ``source, scored_as_of,
        window_end, days_observed, horizon_days, window_complete,
        seen_in_training, claims, outstanding_eur, expected_eur,
        collected_eur, collected_vs_expected, expected_recovered_claims,
        recovered_claims``. Collected = payments dated after the scored date
        and up to the window end, capped at each claim's outstanding then.
    """
    from recovery_analytics.amicable import score_portfolio

    day = pd.Timestamp(as_of)
    horizon = int(getattr(model, "horizon_days_", 90) or 90)
    window = getattr(model, "window_", {}) or {}
    last_label = pd.Timestamp(window.get("calibration_end", window.get("train_end", "1900-01-01")))
    last_label += pd.Timedelta(days=horizon)
    frames: list[tuple[str, pd.DataFrame]] = []
    for path in history_files(history_dir, day, SCORES_FILE)[-max_weeks:]:
        frames.append(("weekly run", pd.read_parquet(path)))
    if not frames:
        for w in sorted(weeks_back, reverse=True):
            d = day - pd.Timedelta(weeks=int(w))
            s = score_portfolio(portfolio, model, d)
            frames.append(("reconstructed", s[s["outstanding_eur"] > 0.01]))
    rows = []
    for source, scored in frames:
        if not len(scored):
            continue
        scored = scored.assign(as_of=pd.to_datetime(scored["as_of"]))
        row = _check_rows(scored, day, horizon)
        got = _collected(portfolio, scored, row.pop("end"))
        row["collected_eur"] = float(got["collected_eur"].sum())
        row["recovered_claims"] = int(got["recovered"].sum())
        row["seen_in_training"] = bool(row["scored_as_of"] < last_label)
        rows.append({"source": source, **row})
    cols = [
        "source",
        "scored_as_of",
        "window_end",
        "days_observed",
        "horizon_days",
        "window_complete",
        "seen_in_training",
        "claims",
        "outstanding_eur",
        "expected_eur",
        "collected_eur",
        "collected_vs_expected",
        "expected_recovered_claims",
        "recovered_claims",
    ]
    out = pd.DataFrame(rows, columns=[c for c in cols if c != "collected_vs_expected"])
    out["collected_vs_expected"] = out["collected_eur"] / out["expected_eur"].where(
        out["expected_eur"] > 0
    )
    out = out.astype({"source": "str"})[cols]
    return out.sort_values("scored_as_of", kind="stable").reset_index(drop=True)


def history_files(root: str | os.PathLike[str] | None, before: Any, relative: str) -> list[Path]:
    """The files ``root/<ISO date>/<relative>`` of the weekly runs dated before ``before``.

    Parameters
    ----------
    root : path-like or None
        The root of the weekly outputs (``OUT_DIR``); None or a missing folder
        gives an empty list.
    before : date-like
        Only sub-folders named by an ISO date strictly earlier are looked at.
    relative : str
        The file inside each dated folder (``"summary.json"``, :data:`SCORES_FILE`).

    Returns
    -------
    list of pathlib.Path
        The files that exist, oldest first.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for day in ("2026-06-16", "2026-06-23", "2026-06-30", "notes"):
    ...     (root / day).mkdir()
    ...     _ = (root / day / "summary.json").write_text("{}")
    >>> [p.parent.name for p in history_files(root, "2026-06-30", "summary.json")]
    ['2026-06-16', '2026-06-23']
    """
    if root is None or not Path(root).is_dir():
        return []
    before = pd.Timestamp(before)
    found = []
    for child in Path(root).iterdir():
        try:
            day = pd.Timestamp(child.name) if len(child.name) == 10 else None
        except ValueError:
            day = None
        if child.is_dir() and day is not None and day < before:
            found.append((day, child / relative))
    return [path for _, path in sorted(found) if path.is_file()]


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


def trend_table(trend: pd.DataFrame, *, horizon_days: int = 90) -> pd.DataFrame:
    """The headline rows of :func:`weekly_trend`, labelled and written for people.

    Keeps the figures of :data:`HEADLINE_LABELS_FR` (in that order; the
    per-route figures are left out), writes euros for ``*_eur`` figures and
    counts for the others, the change with its sign.

    Returns
    -------
    pandas.DataFrame
        ``figure, previous, current, change``, all strings (``–`` when a
        week lacks the figure).

    Examples
    --------
    >>> t = weekly_trend({"open_claims": 1200, "open_outstanding_eur": 5000.0},
    ...                  {"open_claims": 1250, "open_outstanding_eur": 4000.0})
    >>> [[v.replace("\u202f", " ").replace("\u00a0", " ") for v in row]
    ...  for row in trend_table(t).values.tolist()]
    [['Encours ouvert', '4 000 €', '5 000 €', '+1 000 €'], ['Créances ouvertes', '1 250', \
'1 200', '-50']]
    """
    from recovery_analytics.plots import format_number

    keep = [k for k in HEADLINE_LABELS_FR if k in set(trend["figure"])]
    rows = trend.set_index("figure").loc[keep]
    eur = rows.index.str.endswith("_eur")

    def write(values: pd.Series, signed: bool = False) -> list[str]:
        out = []
        for value, is_eur in zip(values, eur, strict=True):  # a dozen headline figures
            text = format_eur(value) if is_eur else format_number(value)
            sign = "+" if signed and not pd.isna(value) and value > 0 else ""
            out.append(sign + text)
        return out

    return pd.DataFrame(
        {
            "figure": [HEADLINE_LABELS_FR[k].format(horizon=horizon_days) for k in keep],
            "previous": write(rows["previous"]),
            "current": write(rows["current"]),
            "change": write(rows["change"], signed=True),
        },
        dtype="str",
    )


# --------------------------------------------------------------------------- figures


def plot_routes_by_segment(
    table: pd.DataFrame, by: str, ax: Axes | None = None, *, shares: bool = True
) -> Axes:
    """Stacked horizontal bars: how each segment's outstanding splits by recommended route.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`verdicts_by_segment`.
    by : str
        Its segment column.
    ax : matplotlib.axes.Axes, optional
    shares : bool, default True
        Bars of the segment's shares (100 % each, so that a small segment
        reads as well as a large one; shares of 8 % or more are written in
        the bar); ``False`` draws euros. Each segment's label gives its
        outstanding in euros.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> r = pd.DataFrame({"claim_id": list("abc"), "debtor_type": ["B2B", "B2B", "B2C"],
    ...     "recommended_route": ["injonction_de_payer", "continue_amicable", "write_off"],
    ...     "outstanding_eur": [300.0, 100.0, 50.0]})
    >>> ax = plot_routes_by_segment(verdicts_by_segment(r, "debtor_type"), "debtor_type")
    >>> len(ax.patches), [round(float(p.get_width()), 2) for p in ax.patches if p.get_width()]
    (6, [0.25, 0.75, 1.0])
    >>> {t.get_text().splitlines()[0]: int(t.get_position()[1]) for t in ax.get_yticklabels()}
    {'B2B': 1, 'B2C': 0}
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    value = "share_of_segment" if shares else "outstanding_eur"
    segments = list(dict.fromkeys(table[by].astype("str")))
    data = table.assign(**{by: table[by].astype("str"), value: table[value].fillna(0.0)})
    wide = data.pivot_table(index=by, columns="route", values=value, aggfunc="sum", fill_value=0.0)
    wide = wide.reindex(index=segments, fill_value=0.0)
    totals = data.groupby(by)["outstanding_eur"].sum().reindex(segments).fillna(0.0)
    routes = [r for r in ROUTE_COLORS if r in wide.columns]
    ax = ensure_axes(ax, (10.0, 1.2 + 0.6 * max(len(wide), 2)))
    left = np.zeros(len(wide))
    y = np.arange(len(wide))[::-1]  # the first segment on top
    for r in routes:
        widths = wide[r].to_numpy(dtype="float64")
        ax.barh(y, widths, left=left, color=ROUTE_COLORS[r], label=ROUTE_LABELS_FR[r])
        if shares:
            for yi, x0, w in zip(y, left, widths, strict=True):  # segments x routes, a few cells
                if w >= 0.08:
                    dark = r in ("action_au_fond", "injonction_de_payer", "declare_claim")
                    ax.text(
                        x0 + w / 2,
                        yi,
                        format_pct(w, 0),
                        ha="center",
                        va="center",
                        fontsize="small",
                        color="white" if dark else "black",
                    )
        left += widths
    names = [f"{v}\n{format_eur(t)}" for v, t in zip(wide.index, totals, strict=True)]
    ax.set_yticks(y, names)
    if shares:
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(pct_formatter())
        ax.set_xlabel("Part de l'encours ouvert du segment")
        title = f"Route recommandée : répartition de l'encours ouvert par {column_label(by)}"
    else:
        ax.xaxis.set_major_formatter(eur_formatter())
        ax.set_xlabel("Encours ouvert")
        title = f"Route recommandée : encours ouvert par {column_label(by)}"
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_prediction_check(check: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bars of expected vs collected euros for each scored date of :func:`prediction_check`.

    Examples
    --------
    >>> c = pd.DataFrame({"scored_as_of": pd.to_datetime(["2026-03-31"]),
    ...     "expected_eur": [1000.0], "collected_eur": [800.0], "days_observed": [90]})
    >>> len(plot_prediction_check(c).patches)
    2
    """
    ax = ensure_axes(ax, (max(6.0, 1.3 * len(check) + 3), 4.0))
    x = np.arange(len(check))
    ax.bar(x - 0.2, check["expected_eur"], width=0.4, color="#9ecae1", label="attendu (modèle)")
    ax.bar(x + 0.2, check["collected_eur"], width=0.4, color="#2e8b57", label="encaissé")
    dates = pd.to_datetime(check["scored_as_of"]).dt.strftime("%d/%m/%Y")
    days = check["days_observed"].astype("int64").astype("str")
    ax.set_xticks(x, [f"{d}\n({n} j observés)" for d, n in zip(dates, days, strict=True)])
    ax.yaxis.set_major_formatter(eur_formatter())
    ax.set_title("Euros attendus par le modèle et euros réellement encaissés ensuite")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax
