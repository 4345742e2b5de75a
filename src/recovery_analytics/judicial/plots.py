"""Plots of the judicial economics: break-even curves and the tornado chart.

Both take the tidy tables of :mod:`recovery_analytics.judicial` and return the
matplotlib ``Axes``; saving is the caller's job. Style (French euros, route
colours and names) comes from :mod:`recovery_analytics.style`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from recovery_analytics.style import (
    ROUTE_COLORS,
    ROUTE_LABELS_FR,
    format_eur,
    format_number,
    format_pct,
)
from recovery_analytics.style._labels import column_label
from recovery_analytics.style.plots import ensure_axes, eur_formatter, pct_formatter

__all__ = [
    "SENSITIVITY_LABELS_FR",
    "plot_break_even",
    "plot_prediction_check",
    "plot_routes_by_segment",
    "plot_tornado",
    "sensitivity_label",
]

#: Each assumption moved by :func:`~recovery_analytics.judicial.sensitivity`, as
#: managers read it (``judicial.SENSITIVITY_PARAMETERS`` plus ``p_amicable``).
SENSITIVITY_LABELS_FR: dict[str, str] = {
    "p_amicable": "Probabilité de recouvrement amiable (modèle)",
    "general.cost_of_capital": "Coût du capital (par an)",
    "general.minimum_margin_eur": "Marge minimale exigée d'une procédure",
    "general.fallback_amicable_factor": "Amiable restant après l'échec d'une procédure",
    "courts.greffe_ip_tc_eur": "Frais de greffe d'une injonction de payer",
    "tariffs.cj_acts.signification_eur": "Émolument de signification (commissaire de justice)",
    "tariffs.cj_acts.saisie_attribution_eur": "Coût d'une saisie-attribution",
    "lawyers.hourly_rate_eur": "Taux horaire de l'avocat",
    "routes.injonction_de_payer.refused_rate": "Injonctions de payer refusées par le juge",
    "routes.injonction_de_payer.opposition_rate": "Injonctions de payer frappées d'opposition",
    "routes.injonction_de_payer.months_to_cash": "Délai d'encaissement d'une injonction de payer",
    "routes.procedure_simplifiee.acceptance_rate": "Débiteurs acceptant la procédure simplifiée",
    "routes.refere_provision.p_title_undisputed": "Provision accordée en référé (non contesté)",
    "routes.action_au_fond.p_title_undisputed": "Jugement obtenu au fond (non contesté)",
    "routes.action_au_fond.p_title_disputed": "Jugement obtenu au fond (contesté)",
    "routes.agency.fee_share": "Commission de l'agence de recouvrement",
    "enforcement.success_share_good": "Exécution réussie, débiteur solvable",
    "enforcement.success_share_unknown": "Exécution réussie, solvabilité inconnue",
    "enforcement.success_share_poor": "Exécution réussie, débiteur peu solvable",
}


def sensitivity_label(parameter: str, base_value: float | None = None, *, lang: str = "fr") -> str:
    """How a sensitivity parameter is named in the tornado chart, with its base value.

    Parameters
    ----------
    parameter : str
        A schedule key of ``judicial.SENSITIVITY_PARAMETERS`` or ``p_amicable``
        (an unknown key is shown as given).
    base_value : float, optional
        Appended in brackets, in the parameter's unit: euros for ``*_eur``
        keys, months for ``months_*`` keys, a percentage otherwise (rates,
        shares, probabilities; the mean probability for ``p_amicable``).
    lang : {"fr", "en"}
        ``"en"`` keeps the schedule key.

    Examples
    --------
    >>> sensitivity_label("routes.agency.fee_share", 0.15).replace("\u00a0", " ")
    "Commission de l'agence de recouvrement (15 %)"
    >>> sensitivity_label("tariffs.cj_acts.signification_eur", 25.79).replace("\u00a0", " ")
    'Émolument de signification (commissaire de justice) (25,79 €)'
    >>> sensitivity_label("routes.injonction_de_payer.months_to_cash", 4.0, lang="en")
    'routes.injonction_de_payer.months_to_cash (4 months)'
    """
    if lang not in _LABELS:
        raise ValueError(f"unknown language {lang!r}; use one of {sorted(_LABELS)}")
    name = SENSITIVITY_LABELS_FR.get(parameter, parameter) if lang == "fr" else parameter
    if base_value is None or pd.isna(base_value):
        return name
    key = parameter.rsplit(".", 1)[-1]
    if key.endswith("_eur"):
        value = format_eur(base_value, 0 if abs(base_value) >= 100 else 2)
    elif key.startswith("months"):
        unit = "mois" if lang == "fr" else "months"
        value = f"{format_number(base_value, 0 if float(base_value).is_integer() else 1)} {unit}"
    else:
        value = format_pct(base_value, 0 if round(100 * base_value, 6).is_integer() else 1)
    return f"{name} ({value})"


_LABELS = {
    "fr": {
        "be_title": "Montant minimal pour qu'une procédure rapporte plus que l'amiable",
        "be_x": "Probabilité de recouvrement amiable",
        "be_y": "Montant dû minimal (échelle log)",
        "to_title": "Gain total attendu du portefeuille selon chaque hypothèse (± {pct} %)",
        "to_x": "Gain attendu des recommandations vs amiable",
        "low": "hypothèse -{pct} %",
        "high": "hypothèse +{pct} %",
    },
    "en": {
        "be_title": "Smallest amount owed for which a court route beats amicable recovery",
        "be_x": "Probability of amicable recovery",
        "be_y": "Smallest amount owed (log scale)",
        "to_title": "Portfolio expected gain as each assumption moves (± {pct} %)",
        "to_x": "Expected gain of the recommendations vs amicable",
        "low": "assumption -{pct} %",
        "high": "assumption +{pct} %",
    },
}


def plot_break_even(df: pd.DataFrame, ax: Axes | None = None, *, lang: str = "fr") -> Axes:
    """Break-even amount of each route (and debtor type) against ``p_amicable``.

    One line per route and debtor type, in the route's colour of
    :data:`~recovery_analytics.style.ROUTE_COLORS`; when both debtor types are
    drawn, B2B lines are solid and B2C lines dashed.

    Parameters
    ----------
    df : DataFrame
        Output of :func:`~recovery_analytics.judicial.break_even_curves`
        (``route, debtor_type, p_amicable, break_even_eur``); routes that
        never win (``inf``) are left out of their line.
    ax : Axes, optional
    lang : {"fr", "en"}

    Returns
    -------
    Axes

    Examples
    --------
    >>> df = pd.DataFrame({"route": "injonction_de_payer", "debtor_type": "B2B",
    ...                    "p_amicable": [0.2, 0.5], "break_even_eur": [400.0, 900.0]})
    >>> ax = plot_break_even(df)
    >>> ax.get_yscale(), ax.get_lines()[0].get_label(), ax.get_lines()[0].get_color()
    ('log', 'injonction de payer (B2B)', '#1f77b4')
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    t = _LABELS[lang]
    ax = ensure_axes(ax)
    both = df["debtor_type"].nunique() > 1
    for (route, dtype), part in df.groupby(["route", "debtor_type"], sort=True):
        part = part[np.isfinite(part["break_even_eur"])].sort_values("p_amicable")
        name = ROUTE_LABELS_FR.get(route, route) if lang == "fr" else route
        ax.plot(
            part["p_amicable"],
            part["break_even_eur"],
            marker="o",
            color=ROUTE_COLORS.get(route),
            linestyle="--" if both and dtype == "B2C" else "-",
            label=f"{name} ({dtype})",
        )
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(eur_formatter())
    ax.xaxis.set_major_formatter(pct_formatter())
    ax.set_title(t["be_title"])
    ax.set_xlabel(t["be_x"])
    ax.set_ylabel(t["be_y"])
    ax.grid(True, which="major", alpha=0.3)
    if len(df):
        ax.legend(fontsize="small")
    return ax


def plot_tornado(df: pd.DataFrame, ax: Axes | None = None, *, lang: str = "fr") -> Axes:
    """Tornado chart of :func:`~recovery_analytics.judicial.sensitivity`.

    One horizontal bar per parameter from the portfolio gain with the
    parameter lowered to the gain with it raised, around the base gain;
    largest swing on top. Parameters are named in plain French with their
    base value (:func:`sensitivity_label`); ``lang="en"`` keeps the keys.

    Examples
    --------
    >>> df = pd.DataFrame({"parameter": ["a", "b"], "rel_range": 0.2, "low_value": [0.8, 8.0],
    ...     "high_value": [1.2, 12.0], "base_value": [1.0, 10.0],
    ...     "gain_low_eur": [900.0, 1000.0], "gain_base_eur": [1000.0, 1000.0],
    ...     "gain_high_eur": [1150.0, 1010.0], "swing_eur": [250.0, 10.0]})
    >>> len(plot_tornado(df).patches)
    4
    """
    t = _LABELS[lang]
    ax = ensure_axes(ax)
    d = df.sort_values("swing_eur", ascending=True, kind="stable")
    base = float(d["gain_base_eur"].iloc[0]) if len(d) else 0.0
    y = np.arange(len(d))
    low, high = d["gain_low_eur"].to_numpy(), d["gain_high_eur"].to_numpy()
    pct = round(100 * float(d["rel_range"].iloc[0])) if "rel_range" in d and len(d) else None
    pct = "?" if pct is None else pct
    ax.barh(y, low - base, left=base, color="#c0504d", label=t["low"].format(pct=pct))
    ax.barh(y, high - base, left=base, color="#4f81bd", label=t["high"].format(pct=pct))
    ax.axvline(base, color="black", linewidth=1)
    base_values = d["base_value"] if "base_value" in d else pd.Series(np.nan, index=d.index)
    names = [
        sensitivity_label(str(p), v, lang=lang)
        for p, v in zip(d["parameter"], base_values, strict=True)  # one per assumption
    ]
    ax.set_yticks(y, names)
    ax.xaxis.set_major_formatter(eur_formatter())
    ax.set_title(t["to_title"].format(pct=pct))
    ax.set_xlabel(f"{t['to_x']} (base {format_eur(base)})")
    ax.legend(fontsize="small", loc="lower right")
    return ax


def plot_routes_by_segment(
    table: pd.DataFrame, by: str, ax: Axes | None = None, *, shares: bool = True
) -> Axes:
    """Stacked horizontal bars: how each segment's outstanding splits by recommended route.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`~recovery_analytics.judicial.verdicts_by_segment`.
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
    >>> from recovery_analytics.judicial import verdicts_by_segment
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
