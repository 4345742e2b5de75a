"""Figures of the reports, and the style they share.

One place for the look of every figure and table: numbers written the French
way (:func:`format_number`, :func:`format_eur`, :func:`format_pct` and their
tick formatters), one colour per age bucket, per judicial route and per work
order (``*_COLORS``), the French names of routes, strategies and grouping
columns, and :func:`ensure_axes` for the figure set-up.

Plot functions take ``ax=None`` (a new figure is made when omitted), return the
``Axes`` and never save: saving is the caller's job. Amounts are written the
French way: ``12 345 €``, with a narrow no-break space (U+202F) between
thousands and a no-break space (U+00A0) before the euro and percent signs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from recovery_analytics.aging import DEFAULT_BUCKETS, TOTAL_LABEL, bucket_labels

__all__ = [
    "AGE_BUCKET_CMAP",
    "ROUTE_COLORS",
    "ROUTE_LABELS_FR",
    "STRATEGY_COLORS",
    "STRATEGY_LABELS_FR",
    "age_bucket_colors",
    "column_label",
    "ensure_axes",
    "eur_formatter",
    "format_eur",
    "format_number",
    "format_pct",
    "gains_table",
    "pct_formatter",
    "plot_aged_balance",
    "plot_captured_curve",
    "plot_gains",
    "plot_reliability",
]

#: Colour map of the age buckets: green (not yet due) to dark red (oldest).
AGE_BUCKET_CMAP = "RdYlGn_r"
#: One colour per route, the same in every figure (green: amicable, blues: court).
ROUTE_COLORS: dict[str, str] = {
    "continue_amicable": "#2e8b57",
    "formal_notice": "#9acd32",
    "agency": "#f4a261",
    "declare_claim": "#8e44ad",
    "injonction_de_payer": "#1f77b4",
    "procedure_simplifiee": "#6baed6",
    "refere_provision": "#17becf",
    "action_au_fond": "#08306b",
    "write_off": "#7f7f7f",
}
#: Route names as managers read them.
ROUTE_LABELS_FR: dict[str, str] = {
    "continue_amicable": "poursuivre l'amiable",
    "formal_notice": "mise en demeure",
    "agency": "agence de recouvrement",
    "declare_claim": "déclaration de créance",
    "injonction_de_payer": "injonction de payer",
    "procedure_simplifiee": "procédure simplifiée",
    "refere_provision": "référé-provision",
    "action_au_fond": "action au fond",
    "write_off": "passage en perte",
}
#: Work orders compared by :mod:`recovery_analytics.evaluate`, in display order.
STRATEGY_LABELS_FR: dict[str, str] = {
    "model_expected_eur": "modèle : euros attendus",
    "model_p_x_outstanding": "modèle : p × encours",
    "p_amicable": "modèle : probabilité",
    "oldest_first": "plus ancien d'abord",
    "largest_first": "plus gros d'abord",
    "fastest_payer_first": "meilleur payeur d'abord",
    "perfect_hindsight": "connaissance parfaite (plafond)",
}
#: One colour per work order (blues: the model, grey: the hindsight ceiling).
STRATEGY_COLORS: dict[str, str] = {
    "model_expected_eur": "#1f77b4",
    "model_p_x_outstanding": "#6baed6",
    "p_amicable": "#1f77b4",
    "oldest_first": "#d62728",
    "largest_first": "#ff7f0e",
    "fastest_payer_first": "#9467bd",
    "perfect_hindsight": "#7f7f7f",
}
_THOUSANDS = "\u202f"  # narrow no-break space
_BEFORE_UNIT = "\u00a0"  # no-break space
# How columns are named in titles and table headers (lower case; tables capitalise).
# Grouping columns first, then the columns of the report tables.
_COLUMN_NAMES = {
    "fr": {
        "debtor_type": "type de débiteur",
        "department": "département",
        "naf_code": "code NAF",
        "creditor_id": "créancier",
        "stage": "étape de relance",
        "insolvency_status": "procédure collective",
        "segment": "segment",
        # identifiers (pseudonymous) and routes
        "claim_id": "créance",
        "debtor_id": "débiteur",
        "route": "route",
        "route_fr": "route",
        "recommended_route": "route recommandée",
        "judicial_route": "procédure judiciaire",
        "strategy": "ordre de travail",
        # counts
        "claims": "créances",
        "debtors": "débiteurs",
        "n_claims": "créances",
        "open_claims": "créances ouvertes",
        "rows": "lignes",
        "rows_read": "lignes lues",
        "valid": "lignes valides",
        "quarantined": "en quarantaine",
        "count": "nombre",
        "dates": "dates",
        "rank": "rang",
        "claims_worked": "créances travaillées",
        "recovered_claims": "créances soldées",
        "expected_recovered_claims": "créances soldées attendues",
        # euros
        "outstanding_eur": "encours",
        "amount_eur": "montant",
        "expected_gain_eur": "gain attendu",
        "cost_budget_eur": "budget de frais",
        "expected_recovery_eur": "recouvrement amiable attendu",
        "expected_eur": "attendu",
        "collected_eur": "encaissé",
        "recovered_eur": "recouvré",
        "captured_eur": "euros captés",
        "total_eur": "total recouvrable",
        "base_eur": "encours de départ",
        "paid_eur": "payé",
        "invoiced_eur": "facturé",
        "credited_eur": "avoirs",
        "ar_begin_eur": "encours début",
        "ar_end_eur": "encours fin",
        "ar_overdue_end_eur": "dont échu en fin",
        # shares and rates
        "share": "part de l'encours",
        "share_of_outstanding": "part de l'encours",
        "share_of_segment": "part du segment",
        "cumulative_share": "part cumulée",
        "debtor_share": "part des débiteurs",
        "recovery_rate": "taux de recouvrement",
        "recovered_rate": "taux de recouvrement",
        "captured_share": "part captée",
        "share_of_perfect": "part du plafond",
        "collected_vs_expected": "encaissé / attendu",
        "p_amicable": "probabilité amiable",
        "cei": "CEI",
        # days and dates
        "days": "jours",
        "days_past_due": "jours de retard",
        "max_days_past_due": "retard max. (jours)",
        "from_days": "depuis (jours de retard)",
        "days_left": "jours restants",
        "days_to_prescription": "jours avant prescription",
        "days_observed": "jours observés",
        "dso_days": "DSO (jours)",
        "as_of": "date",
        "scored_as_of": "date de la prévision",
        "first_as_of": "première date",
        "last_as_of": "dernière date",
        "period_start": "début",
        "period_end": "fin",
        "due_date": "échéance",
        "invoice_date": "date de facture",
        "disputed": "en litige",
        "prescription_date": "date de prescription",
        "declaration_deadline": "date limite de déclaration",
        # other report columns
        "bucket": "retard",
        "table": "table",
        "column": "colonne",
        "check": "contrôle",
        "example_reason": "exemple de motif",
        "indicator": "indicateur",
        "slice": "période",
        "figure": "indicateur",
        "value": "valeur",
        "previous": "semaine précédente",
        "current": "cette semaine",
        "change": "évolution",
        "lift": "lift",
        "roc_auc": "ROC AUC",
        # call queue (exports.py, prioritise.py, backtest.py, uplift.py)
        "collector": "chargé",
        "capacity_calls": "capacité (appels)",
        "expected_minutes": "minutes prévues",
        "capacity_minutes": "capacité (minutes)",
        "total_outstanding_eur": "encours échu",
        "call_eur": "gain attendu des appels",
        "net_eur": "gain net des appels",
        "reason_label": "motif",
        "channel": "canal",
        "late": "en retard",
        "age_bucket": "retard (jours)",
        "n_called": "cas appelés",
        "n_uncalled": "cas non appelés",
        "paid_called": "part payée, appelés",
        "paid_uncalled": "part payée, non appelés",
        "lift_raw": "lift observé",
        "reach_rate": "taux de joignabilité",
        "policy": "ordre de travail",
        "weeks": "semaines",
        "debtors_called": "débiteurs appelés",
        "collected_7d_eur": "encaissé sous 7 jours",
        "collected_30d_eur": "encaissé sous 30 jours",
        "queue_ratio_7d": "file / cet ordre, 7 jours",
        "queue_ratio_30d": "file / cet ordre, 30 jours",
    },
    "en": {
        "debtor_type": "debtor type",
        "department": "department",
        "naf_code": "NAF code",
        "creditor_id": "creditor",
        "stage": "dunning stage",
        "insolvency_status": "insolvency proceedings",
        "segment": "segment",
        "claim_id": "claim",
        "debtor_id": "debtor",
        "route": "route",
        "route_fr": "route",
        "recommended_route": "recommended route",
        "judicial_route": "court route",
        "strategy": "work order",
        "claims": "claims",
        "debtors": "debtors",
        "n_claims": "claims",
        "open_claims": "open claims",
        "rows": "rows",
        "rows_read": "rows read",
        "valid": "valid rows",
        "quarantined": "quarantined",
        "count": "count",
        "dates": "dates",
        "rank": "rank",
        "claims_worked": "claims worked",
        "recovered_claims": "claims recovered",
        "expected_recovered_claims": "claims expected to be recovered",
        "outstanding_eur": "outstanding",
        "amount_eur": "amount",
        "expected_gain_eur": "expected gain",
        "cost_budget_eur": "cost budget",
        "expected_recovery_eur": "expected amicable recovery",
        "expected_eur": "expected",
        "collected_eur": "collected",
        "recovered_eur": "recovered",
        "captured_eur": "euros captured",
        "total_eur": "total recoverable",
        "base_eur": "starting outstanding",
        "paid_eur": "paid",
        "invoiced_eur": "invoiced",
        "credited_eur": "credit notes",
        "ar_begin_eur": "receivables at start",
        "ar_end_eur": "receivables at end",
        "ar_overdue_end_eur": "of which overdue at end",
        "share": "share of outstanding",
        "share_of_outstanding": "share of outstanding",
        "share_of_segment": "share of segment",
        "cumulative_share": "cumulative share",
        "debtor_share": "share of debtors",
        "recovery_rate": "recovery rate",
        "recovered_rate": "recovery rate",
        "captured_share": "share captured",
        "share_of_perfect": "share of the ceiling",
        "collected_vs_expected": "collected / expected",
        "p_amicable": "amicable probability",
        "cei": "CEI",
        "days": "days",
        "days_past_due": "days past due",
        "max_days_past_due": "max. days past due",
        "from_days": "from (days past due)",
        "days_left": "days left",
        "days_to_prescription": "days to prescription",
        "days_observed": "days observed",
        "dso_days": "DSO (days)",
        "as_of": "date",
        "scored_as_of": "date of the prediction",
        "first_as_of": "first date",
        "last_as_of": "last date",
        "period_start": "start",
        "period_end": "end",
        "due_date": "due date",
        "invoice_date": "invoice date",
        "disputed": "disputed",
        "prescription_date": "prescription date",
        "declaration_deadline": "declaration deadline",
        "bucket": "age",
        "table": "table",
        "column": "column",
        "check": "check",
        "example_reason": "example reason",
        "indicator": "indicator",
        "slice": "slice",
        "figure": "figure",
        "value": "value",
        "previous": "previous week",
        "current": "this week",
        "change": "change",
        "lift": "lift",
        "roc_auc": "ROC AUC",
        "collector": "collector",
        "capacity_calls": "capacity (calls)",
        "expected_minutes": "expected minutes",
        "capacity_minutes": "capacity (minutes)",
        "total_outstanding_eur": "overdue outstanding",
        "call_eur": "expected gain of the calls",
        "net_eur": "net gain of the calls",
        "reason_label": "reason",
        "channel": "channel",
        "late": "late",
        "age_bucket": "days past due",
        "n_called": "called cases",
        "n_uncalled": "uncalled cases",
        "paid_called": "share paid, called",
        "paid_uncalled": "share paid, uncalled",
        "lift_raw": "observed lift",
        "reach_rate": "reach rate",
        "policy": "work order",
        "weeks": "weeks",
        "debtors_called": "debtors called",
        "collected_7d_eur": "collected within 7 days",
        "collected_30d_eur": "collected within 30 days",
        "queue_ratio_7d": "queue / this order, 7 days",
        "queue_ratio_30d": "queue / this order, 30 days",
    },
}


# --------------------------------------------------------------------------- numbers


def format_number(x: float | None, decimals: int = 0) -> str:
    """A number written the French way: ``12 345,6`` (narrow no-break spaces).

    NaN and None give ``"–"``, infinities ``"∞"`` and ``"-∞"``.

    Examples
    --------
    >>> format_number(1234567.891, 2).replace("\u202f", " ")
    '1 234 567,89'
    >>> format_number(float("nan")), format_number(float("-inf"))
    ('–', '-∞')
    """
    if x is None or pd.isna(x):
        return "–"
    x = float(x)
    if np.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:,.{decimals}f}".replace(",", _THOUSANDS).replace(".", ",")


def format_eur(x: float | None, decimals: int = 0) -> str:
    """An amount in euros, written the French way.

    Parameters
    ----------
    x : float
        Amount in euros; NaN gives ``"–"``, an infinity ``"∞ €"``.
    decimals : int, default 0
        Digits after the decimal comma.

    Examples
    --------
    >>> format_eur(12345.4) == "12\u202f345\u00a0€"
    True
    >>> format_eur(-1234.5, decimals=2).replace("\u202f", " ").replace("\u00a0", " ")
    '-1 234,50 €'
    """
    text = format_number(x, decimals)
    return text if text == "–" else f"{text}{_BEFORE_UNIT}€"


def format_pct(x: float | None, decimals: int = 1) -> str:
    """A share in [0, 1] as a French percentage: ``12,5 %``; NaN gives ``"–"``.

    Examples
    --------
    >>> format_pct(0.125).replace("\u00a0", " "), format_pct(0.5, 0).replace("\u00a0", " ")
    ('12,5 %', '50 %')
    """
    text = format_number(None if x is None else 100 * float(x), decimals)
    return text if text == "–" else f"{text}{_BEFORE_UNIT}%"


def eur_formatter(decimals: int = 0) -> FuncFormatter:
    """A matplotlib tick formatter writing euros with :func:`format_eur`.

    Examples
    --------
    >>> eur_formatter()(1500, 0) == "1\u202f500\u00a0€"
    True
    """
    return FuncFormatter(lambda x, _pos: format_eur(x, decimals))


def pct_formatter(decimals: int = 0) -> FuncFormatter:
    """A matplotlib tick formatter writing shares with :func:`format_pct`.

    Examples
    --------
    >>> pct_formatter()(0.25, 0) == "25\u00a0%"
    True
    """
    return FuncFormatter(lambda x, _pos: format_pct(x, decimals))


# --------------------------------------------------------------------------- names and colours


def column_label(name: str, lang: str = "fr") -> str:
    """How a column is named in titles and table headers (the column name if unknown).

    Grouping columns (``debtor_type``, ``naf_code``...) and the columns of
    the report tables (``outstanding_eur`` -> ``encours``, ``claim_id`` ->
    ``créance``...), in lower case: a title writes ``par type de débiteur``,
    :func:`recovery_analytics.reports.display_table` capitalises the header.

    Examples
    --------
    >>> column_label("debtor_type"), column_label("debtor_type", "en"), column_label("segment")
    ('type de débiteur', 'debtor type', 'segment')
    """
    if lang not in _COLUMN_NAMES:
        raise ValueError(f"unknown language {lang!r}; use one of {sorted(_COLUMN_NAMES)}")
    return _COLUMN_NAMES[lang].get(name, name)


def age_bucket_colors(labels: Sequence[str] | None = None) -> dict[str, tuple]:
    """One colour per age bucket, from green (not yet due) to dark red.

    The same buckets always get the same colours, in every figure.

    Parameters
    ----------
    labels : sequence of str, optional
        Bucket labels in age order (default: those of ``DEFAULT_BUCKETS``).

    Returns
    -------
    dict
        Label -> RGBA tuple.

    Examples
    --------
    >>> colors = age_bucket_colors()
    >>> list(colors)[:2], len(colors)
    (['non échu', '1–30 j'], 7)
    """
    labels = list(bucket_labels(DEFAULT_BUCKETS) if labels is None else labels)
    cmap = colormaps[AGE_BUCKET_CMAP]
    positions = np.linspace(0.1, 0.95, len(labels)) if len(labels) > 1 else [0.1]
    return {label: tuple(cmap(p)) for label, p in zip(labels, positions, strict=True)}


def ensure_axes(ax: Axes | None = None, figsize: tuple[float, float] = (8.0, 5.0)) -> Axes:
    """``ax`` itself, or the Axes of a new figure of ``figsize`` inches.

    Examples
    --------
    >>> ax = ensure_axes(figsize=(4, 3))
    >>> ensure_axes(ax) is ax, ax.figure.get_size_inches().tolist()
    (True, [4.0, 3.0])
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


# --------------------------------------------------------------------------- aged balance


def plot_aged_balance(
    table: pd.DataFrame,
    ax: Axes | None = None,
    title: str | None = None,
    *,
    shares: bool = False,
) -> Axes:
    """Stacked bars of the aged balance: one bar per group, one segment per bucket.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`recovery_analytics.aging.aged_balance` (total rows,
        if any, are ignored). The columns before ``bucket`` are the groups.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
        Defaults to a sentence saying what is shown.
    shares : bool, default False
        Bars of each group's shares (100 % each, so that a small group reads
        as well as a large one, shares of 8 % or more written in the bar),
        each group's open outstanding in euros under its name. ``False``
        draws euros.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from recovery_analytics.aging import aged_balance
    >>> state = pd.DataFrame({"debtor_type": ["B2B", "B2C"], "is_open": [True, True],
    ...     "outstanding_eur": [1200.0, 300.0], "days_past_due": [45, 400]})
    >>> ax = plot_aged_balance(aged_balance(state))
    >>> ax.get_title()
    'Balance âgée : encours ouvert par ancienneté du retard, par type de débiteur'
    >>> ax = plot_aged_balance(aged_balance(state), shares=True)
    >>> [t.get_text().splitlines() for t in ax.get_xticklabels()] == [
    ...     ["B2B", format_eur(1200)], ["B2C", format_eur(300)]]
    True
    >>> {round(float(p.get_y() + p.get_height()), 6) for p in ax.patches if p.get_height()}
    {1.0}
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """
    keys = list(table.columns[: table.columns.get_loc("bucket")])
    data = table[table["bucket"] != TOTAL_LABEL]
    labels = [b for b in data["bucket"].cat.categories if b != TOTAL_LABEL]
    if keys:
        group = data[keys].astype("object").fillna("(inconnu)").astype(str).agg(" / ".join, axis=1)
    else:
        group = pd.Series("Portefeuille", index=data.index)
    wide = (
        data.assign(group=group.to_numpy())
        .pivot_table(
            index="group", columns="bucket", values="outstanding_eur", aggfunc="sum", observed=False
        )
        .reindex(columns=labels)
        .fillna(0.0)
    )
    totals = wide.sum(axis=1)
    if shares:
        wide = wide.div(totals.where(totals > 0), axis=0).fillna(0.0)
    ax = ensure_axes(ax, (max(5.0, 1.2 * len(wide) + 3), 4.5))
    colors = age_bucket_colors(labels)
    bottom = np.zeros(len(wide))
    x = np.arange(len(wide))
    for label in labels:
        heights = wide[label].to_numpy()
        ax.bar(x, heights, bottom=bottom, color=colors[label], label=label, width=0.6)
        if shares:
            _share_texts(ax, x, bottom, heights, colors[label])
        bottom += heights
    names = [str(g) for g in wide.index]
    by = " / ".join(column_label(k) for k in keys)
    if shares:
        names = [f"{g}\n{format_eur(t)}" for g, t in zip(names, totals, strict=True)]
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(pct_formatter())
        ax.set_ylabel("Part de l'encours ouvert")
        default = "Balance âgée" + (f" par {by}" if by else "")
        default += " :\nrépartition de l'encours ouvert par ancienneté du retard"
    else:
        ax.yaxis.set_major_formatter(eur_formatter())
        ax.set_ylabel("Encours ouvert")
        default = "Balance âgée : encours ouvert par ancienneté du retard"
        default += f", par {by}" if by else ""
    ax.set_xticks(x, names)
    ax.set_title(title or default)
    ax.legend(title="Retard", loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _share_texts(
    ax: Axes, x: np.ndarray, bottom: np.ndarray, heights: np.ndarray, color: tuple
) -> None:
    """Writes each share of 8 % or more in the middle of its bar segment (a few groups)."""
    r, g, b = color[:3]
    ink = "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"
    for xi, y0, h in zip(x, bottom, heights, strict=True):
        if h >= 0.08:
            ax.text(xi, y0 + h / 2, format_pct(h, 0), ha="center", va="center",
                    fontsize="small", color=ink)  # fmt: skip


# --------------------------------------------------------------------------- model evaluation


def _strategy_lines(
    ax: Axes, frame: pd.DataFrame, y: str, strategies: Sequence[str] | None
) -> None:
    """One line of ``y`` against ``capacity`` per strategy, in the shared colours."""
    if strategies is None:
        present = list(dict.fromkeys(frame["strategy"].astype("str")))
        strategies = [s for s in STRATEGY_LABELS_FR if s in present]
        strategies += [s for s in present if s not in STRATEGY_LABELS_FR]
    for strat in strategies:
        part = frame[frame["strategy"] == strat].sort_values("capacity")
        label = STRATEGY_LABELS_FR.get(strat, strat)
        ax.plot(part["capacity"], part[y], label=label, color=STRATEGY_COLORS.get(strat))


def _capacity_axes(ax: Axes, capacity: float | None) -> None:
    if capacity is not None:
        ax.axvline(capacity, color="black", linewidth=0.8)
    ax.xaxis.set_major_formatter(pct_formatter())
    ax.legend(frameon=False, fontsize="small")


def plot_reliability(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Reliability curve: the share actually recovered in each bin of predicted probability.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~recovery_analytics.evaluate.reliability_table` (``n,
        mean_predicted, observed_rate``); empty bins are skipped.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The diagonal (perfect calibration) and the model; the title gives the
        expected calibration error (ECE, the ``n``-weighted mean gap).

    Examples
    --------
    >>> t = pd.DataFrame({"n": [10.0, 0.0, 30.0], "mean_predicted": [0.1, np.nan, 0.8],
    ...     "observed_rate": [0.2, np.nan, 0.8]})
    >>> ax = plot_reliability(t)
    >>> ax.get_title(), len(ax.get_lines()[1].get_xdata())
    ('Calibrage : part réellement recouvrée selon la probabilité prédite (ECE 0,025)', 2)
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    ax = ensure_axes(ax, (5.5, 5.0))
    shown = table[table["n"] > 0]
    gap = (shown["observed_rate"] - shown["mean_predicted"]).abs()
    ece = float((gap * shown["n"]).sum() / max(float(shown["n"].sum()), 1.0))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="calibrage parfait")
    ax.plot(
        shown["mean_predicted"],
        shown["observed_rate"],
        marker="o",
        color=STRATEGY_COLORS["p_amicable"],
        label="modèle",
    )
    ax.set_xlabel("Probabilité prédite (moyenne de la tranche)")
    ax.set_ylabel("Part réellement recouvrée")
    ax.xaxis.set_major_formatter(pct_formatter())
    ax.yaxis.set_major_formatter(pct_formatter())
    ax.set_title(
        "Calibrage : part réellement recouvrée selon la probabilité prédite "
        f"(ECE {format_number(ece, 3)})"
    )
    ax.legend(frameon=False)
    return ax


#: Orders of work in the gains chart (the model's probability, the rules, the ceiling).
_GAINS_STRATEGIES = (
    "p_amicable",
    "oldest_first",
    "largest_first",
    "fastest_payer_first",
    "perfect_hindsight",
)


def gains_table(
    scores: pd.DataFrame,
    strategies: Sequence[str] | None = None,
    capacities: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Cumulative gains and lift: recovered claims found by each order of work.

    :func:`~recovery_analytics.evaluate.captured_curve` on counts instead of
    euros: each recovered claim weighs 1 (``perfect_hindsight`` ranks the
    recovered claims first). The input of :func:`plot_gains`.

    Parameters
    ----------
    scores : pandas.DataFrame
        ``evaluate(...)["scores"]``: one row per held-out snapshot row with
        ``as_of``, ``recovered`` and one score column per strategy.
    strategies : sequence of str, optional
        Default: ``p_amicable, oldest_first, largest_first,
        fastest_payer_first, perfect_hindsight`` (those present).
    capacities : sequence of float, optional
        Shares of the claims worked at each date (default 2 %, 4 %, ... 100 %).

    Returns
    -------
    pandas.DataFrame
        ``strategy, capacity, claims_worked, recovered_claims,
        total_recovered_claims, captured_share, share_of_perfect, lift``;
        ``lift`` = ``captured_share`` / share of the rows worked (1 for a
        random order), rounded to 4 decimals.

    Examples
    --------
    >>> s = pd.DataFrame({"as_of": pd.Timestamp("2026-03-31"), "claim_id": list("abcd"),
    ...     "recovered": [True, False, True, False], "largest_first": [4.0, 3.0, 2.0, 1.0]})
    >>> g = gains_table(s, ["largest_first", "perfect_hindsight"], capacities=[0.5])
    >>> g[["strategy", "recovered_claims", "captured_share", "lift"]].values.tolist()
    [['largest_first', 1.0, 0.5, 1.0], ['perfect_hindsight', 2.0, 1.0, 2.0]]
    """
    from recovery_analytics.evaluate import captured_curve

    recovered = scores["recovered"].astype("float64")
    counts = scores.assign(recovered_eur=recovered, perfect_hindsight=recovered)
    if strategies is None:
        strategies = [s for s in _GAINS_STRATEGIES if s in counts.columns]
    gains = captured_curve(counts, capacities, list(strategies)).rename(
        columns={"captured_eur": "recovered_claims", "total_eur": "total_recovered_claims"}
    )
    worked = gains["claims_worked"] / max(len(scores), 1)
    gains["lift"] = (gains["captured_share"] / worked.where(worked > 0)).round(4)
    return gains


def plot_gains(
    gains: pd.DataFrame,
    ax: Axes | None = None,
    *,
    strategies: Sequence[str] | None = None,
    capacity: float | None = None,
) -> Axes:
    """Cumulative gains: share of the recovered claims found, by share of claims worked.

    Parameters
    ----------
    gains : pandas.DataFrame
        :func:`gains_table` (``strategy, capacity, captured_share``).
    ax : matplotlib.axes.Axes, optional
    strategies : sequence of str, optional
        Lines drawn, in that order (default: every strategy of ``gains``).
    capacity : float, optional
        Draws a vertical line at the team's capacity.

    Returns
    -------
    matplotlib.axes.Axes
        One line per strategy and the diagonal of a random order.

    Examples
    --------
    >>> g = pd.DataFrame({"strategy": ["oldest_first"] * 2 + ["p_amicable"] * 2,
    ...     "capacity": [0.5, 1.0] * 2, "captured_share": [0.5, 1.0, 0.8, 1.0]})
    >>> ax = plot_gains(g, capacity=0.1)
    >>> [line.get_label() for line in ax.get_lines()][:3]
    ['modèle : probabilité', "plus ancien d'abord", 'hasard']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    ax = ensure_axes(ax, (7.0, 5.0))
    _strategy_lines(ax, gains, "captured_share", strategies)
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="hasard")
    ax.yaxis.set_major_formatter(pct_formatter())
    ax.set_xlabel("Part des créances travaillées (par date)")
    ax.set_ylabel("Part des créances recouvrées trouvées")
    ax.set_title("Gains cumulés : créances recouvrées trouvées selon l'ordre de travail")
    _capacity_axes(ax, capacity)
    return ax


def plot_captured_curve(
    curve: pd.DataFrame,
    ax: Axes | None = None,
    *,
    strategies: Sequence[str] | None = None,
    capacity: float | None = None,
) -> Axes:
    """Euros collected on the claims worked first, by share of claims worked.

    Parameters
    ----------
    curve : pandas.DataFrame
        :func:`~recovery_analytics.evaluate.captured_curve` (``strategy,
        capacity, captured_eur``).
    ax : matplotlib.axes.Axes, optional
    strategies : sequence of str, optional
        Lines drawn, in that order (default: every strategy of ``curve``).
    capacity : float, optional
        Draws a vertical line at the team's capacity.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> c = pd.DataFrame({"strategy": ["largest_first"] * 2, "capacity": [0.5, 1.0],
    ...     "captured_eur": [1500.0, 2000.0]})
    >>> ax = plot_captured_curve(c)
    >>> ax.get_lines()[0].get_color(), ax.get_ylabel()
    ('#ff7f0e', "Euros encaissés dans l'horizon")
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    ax = ensure_axes(ax, (7.0, 5.0))
    _strategy_lines(ax, curve, "captured_eur", strategies)
    ax.yaxis.set_major_formatter(eur_formatter())
    ax.set_xlabel("Part des créances ouvertes travaillées à chaque date")
    ax.set_ylabel("Euros encaissés dans l'horizon")
    ax.set_title("Euros encaissés sur les créances travaillées en premier, selon la capacité")
    _capacity_axes(ax, capacity)
    return ax
