"""The display side of the judicial review: tables for managers.

The figures of ``_review`` written for people: :func:`headline_figures` (the
headline under its French labels), :func:`verdicts_pivot`,
:func:`declarations_due`, :func:`prescription_alerts` and :func:`trend_table`.
Display only; the review's figures are in :mod:`recovery_analytics.judicial.plots`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from recovery_analytics.style import ROUTE_LABELS_FR, format_eur

__all__ = [
    "HEADLINE_LABELS_FR",
    "declarations_due",
    "describe_plan",
    "headline_figures",
    "prescription_alerts",
    "trend_table",
    "verdicts_pivot",
]

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

# --------------------------------------------------------------------------- tables


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
    >>> from recovery_analytics.judicial import verdicts_by_segment
    >>> r = pd.DataFrame({"claim_id": list("abc"), "debtor_type": ["B2B", "B2B", "B2C"],
    ...     "recommended_route": ["injonction_de_payer", "continue_amicable", "write_off"],
    ...     "outstanding_eur": [300.0, 100.0, 50.0]})
    >>> verdicts_pivot(verdicts_by_segment(r, "debtor_type"), "debtor_type").values.tolist()
    [['B2B', 400.0, 100.0, 300.0, 0.0], ['B2C', 50.0, 0.0, 0.0, 50.0]]
    """
    from recovery_analytics.judicial._routes import ROUTES

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

    Claims already declared (``DECLARED``) or past the relevé de forclusion window
    (``FORECLOSED``) are left out.

    Parameters
    ----------
    review : pandas.DataFrame
        Output of :func:`~recovery_analytics.judicial.review_table` (``as_of`` is read from it).

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
    # not declared yet, and a relevé de forclusion still possible (L622-26)
    settled = flags.str.contains("DECLARED", regex=False) | flags.str.contains(
        "FORECLOSED", regex=False
    )
    ins = review.assign(declaration_deadline=deadline)[
        flags.str.contains("INSOLVENCY", regex=False) & deadline.notna() & ~settled
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
    >>> from recovery_analytics.judicial import weekly_trend
    >>> t = weekly_trend({"open_claims": 1200, "open_outstanding_eur": 5000.0},
    ...                  {"open_claims": 1250, "open_outstanding_eur": 4000.0})
    >>> [[v.replace("\u202f", " ").replace("\u00a0", " ") for v in row]
    ...  for row in trend_table(t).values.tolist()]
    [['Encours ouvert', '4 000 €', '5 000 €', '+1 000 €'], ['Créances ouvertes', '1 250', \
'1 200', '-50']]
    """
    from recovery_analytics.style import format_number

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


_ROUTE_WORD = re.compile(r"\b(" + "|".join(sorted(ROUTE_LABELS_FR, key=len, reverse=True)) + r")\b")


def describe_plan(plans: pd.Series) -> pd.Series:
    """A plan of the judicial output as a manager reads it: route names in French.

    The ``plan`` column keeps the route codes (for scripts); this writes each
    step with its French name and the arrows as « puis ».

    Examples
    --------
    >>> text = describe_plan(pd.Series(["formal_notice > injonction_de_payer > enforce_title "
    ...                                 "(opposition ou rejet : action_au_fond)"])).iloc[0]
    >>> print(text.replace("puis exécution", "puis\\nexécution"))
    mise en demeure, puis injonction de payer, puis
    exécution du titre (opposition ou rejet : action au fond)
    """
    text = plans.astype("string").str.replace(
        _ROUTE_WORD, lambda m: ROUTE_LABELS_FR[m.group(1)], regex=True
    )
    return text.str.replace(" > ", ", puis ", regex=False)
