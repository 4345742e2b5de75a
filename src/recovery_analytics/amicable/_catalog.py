"""The amicable model's features: names, plain-language labels, reason phrasing.

Every feature the amicable model may use is listed in :data:`FEATURES`, with a
French and an English plain-language name and the templates used to turn its
value into a short sentence a collector can read out ("2 promesses non
tenues", "aucun contact depuis 60 jours"). :func:`feature_frame` builds the
model matrix from a claim state (``features.portfolio_state``), vectorised.

Reason templates are keyed by the kind of value: ``nan`` (unknown / never;
without it a missing value gives no sentence),
``zero``, ``one``, ``many`` (and optionally ``neg`` for negative values, with
the absolute value) for numbers (``{n}`` is replaced by the rounded value;
``levels`` lists one sentence per integer value instead) and ``value`` for
categories (``{v}`` is replaced by the category, after the optional ``labels``
mapping).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from recovery_analytics.amicable._feature_table import _BY_NAME, FEATURES, Feature
from recovery_analytics.portfolio import InputError

__all__ = [
    "OPTIONAL_FEATURES",
    "QUIET_VALUES",
    "available_features",
    "feature_frame",
    "feature_table",
    "is_quiet",
    "naf_section",
    "phrase",
    "source_columns",
]

#: Features used only when their source column is in the state (debtor
#: history, sector, département): a ledger without them still trains.
OPTIONAL_FEATURES: frozenset[str] = frozenset(
    {
        "debtor_hist_claims",
        "debtor_hist_share_late",
        "debtor_hist_median_days_late",
        "debtor_hist_share_partial",
        "debtor_hist_mean_days_late",
        "debtor_hist_promises_kept_ratio",
        "debtor_hist_written_off",
        "sector",
        "department",
    }
)

#: Values that say nothing a collector can use: never shown as reasons
#: ("*" = the feature is never a reason, "nan" = missing values).
QUIET_VALUES: dict[str, tuple] = {
    "insolvency_status": ("none",),
    "open_dispute": (0.0,),
    "promise_pending": (0.0,),
    "promised_eur_pending": (0.0,),
    "dispute_age_days": ("nan",),
    "debtor_hist_written_off": (0.0,),
}


def _says_missing(name: str) -> bool:
    """Whether the feature has its own sentence for a missing value ("jamais relancé")."""
    feat = _BY_NAME.get(name)
    return feat is not None and "nan" in feat.templates["fr"]


def is_quiet(name: str, values: pd.Series) -> pd.Series:
    """True where a feature value is not worth a reason.

    Quiet are the values of :data:`QUIET_VALUES` and every missing value of a
    feature without its own sentence for it (extra features such as
    ``bureau_score``, the debtor type...): "unknown" tells a collector
    nothing.

    Examples
    --------
    >>> import pandas as pd
    >>> is_quiet("insolvency_status", pd.Series(["none", "liquidation"])).tolist()
    [True, False]
    >>> is_quiet("bureau_score", pd.Series([3.0, None])).tolist()
    [False, True]
    """
    quiet = QUIET_VALUES.get(name, ())
    if "*" in quiet:
        return pd.Series(True, index=values.index)
    missing = "nan" in quiet or not _says_missing(name)
    out = values.isna() if missing else pd.Series(False, index=values.index)
    listed = [v for v in quiet if v != "nan"]
    return out | values.isin(listed) if listed else out


# NAF rev. 2 division (2 digits) -> section letter.
_NAF_RANGES = (
    ("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43),
    ("G", 45, 47), ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68),
    ("M", 69, 75), ("N", 77, 82), ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93),
    ("S", 94, 96), ("T", 97, 98), ("U", 99, 99),
)  # fmt: skip
_DIVISION_TO_SECTION = np.full(100, None, dtype=object)
for _letter, _lo, _hi in _NAF_RANGES:
    _DIVISION_TO_SECTION[_lo : _hi + 1] = _letter


def naf_section(naf_code: pd.Series) -> pd.Series:
    """NAF rev. 2 section letter (A-U) from a NAF/APE code, vectorised.

    Parameters
    ----------
    naf_code : pandas.Series
        Codes such as ``"47.11Z"``, ``"4711Z"`` or ``"62"``; missing or
        unreadable codes give NA.

    Returns
    -------
    pandas.Series of str

    Examples
    --------
    >>> import pandas as pd
    >>> naf_section(pd.Series(["47.11Z", "6201Z", None, "xx"])).tolist()
    ['G', 'J', nan, nan]
    """
    digits = naf_code.astype("str").str.replace(r"[^0-9]", "", regex=True).str.slice(0, 2)
    division = pd.to_numeric(digits.where(digits.str.len() == 2), errors="coerce")
    valid = division.notna().to_numpy()
    out = np.full(len(naf_code), np.nan, dtype=object)
    out[valid] = _DIVISION_TO_SECTION[division.to_numpy()[valid].astype(int)]
    out[pd.isna(out)] = np.nan
    return pd.Series(out, index=naf_code.index, dtype="str")


def _days_since(state: pd.DataFrame, column: str) -> pd.Series:
    return (state["as_of"] - state[column]).dt.days.astype("float64")


def _derived(state: pd.DataFrame, name: str) -> pd.Series:
    """Compute one catalog feature from the state columns."""
    if name == "outstanding_share":
        return 100.0 * state["outstanding_eur"] / state["amount"].where(state["amount"] > 0)
    if name == "days_since_last_payment":
        return _days_since(state, "last_payment_date")
    if name == "sector":
        return naf_section(state["naf_code"])
    col = state[name]
    if pd.api.types.is_bool_dtype(col):
        return col.astype("float64")
    return col


def _source_columns(feature: Feature) -> list[str]:
    return [s.strip() for s in feature.source.split(",")]


def source_columns(names: list[str]) -> list[str]:
    """State columns the given features are computed from, in order, without repeats.

    Catalog features name their sources; any other name (an extra feature) is
    its own column.

    Examples
    --------
    >>> source_columns(["outstanding_share", "sector", "amount", "bureau_score"])
    ['outstanding_eur', 'amount', 'naf_code', 'bureau_score']
    """
    out: list[str] = []
    for name in names:
        feat = _BY_NAME.get(name)
        out += [c for c in (_source_columns(feat) if feat else [name]) if c not in out]
    return out


def available_features(state: pd.DataFrame) -> list[str]:
    """Catalog features computable from ``state`` (optional ones only if present).

    Examples
    --------
    >>> import pandas as pd
    >>> "sector" in available_features(pd.DataFrame(columns=["naf_code"]))
    True
    """
    return [
        f.name
        for f in FEATURES
        if f.name not in OPTIONAL_FEATURES or set(_source_columns(f)) <= set(state.columns)
    ]


def feature_frame(
    state: pd.DataFrame,
    numeric: list[str],
    categorical: list[str],
) -> pd.DataFrame:
    """The model matrix: one float column per numeric feature, ``str`` per categorical.

    Parameters
    ----------
    state : pandas.DataFrame
        Claim state (``features.portfolio_state``), possibly with extra columns.
    numeric, categorical : list of str
        Feature names: catalog features or extra state columns
        (``portfolio.extra_features``).

    Returns
    -------
    pandas.DataFrame
        Same index as ``state``; numeric columns float64 (booleans as 0/1),
        categorical columns as ``str`` (missing = NA).

    Raises
    ------
    InputError
        When a column a feature needs is not in the state, naming it.

    Examples
    --------
    >>> import pandas as pd
    >>> st = pd.DataFrame({"amount": [100.0], "outstanding_eur": [25.0]})
    >>> feature_frame(st, ["outstanding_share"], []).iloc[0, 0]
    np.float64(25.0)
    """
    out = {}
    for name in [*numeric, *categorical]:
        feat = _BY_NAME.get(name)
        needed = _source_columns(feat) if feat is not None else [name]
        missing = [c for c in needed if c not in state.columns]
        if missing:
            raise InputError(
                f"feature {name!r} needs column(s) {', '.join(map(repr, missing))}, "
                "which the claim state does not have"
            )
        values = _derived(state, name) if feat is not None else state[name]
        if name in categorical:
            values = values.astype("str")
        else:
            values = pd.to_numeric(values, errors="coerce").astype("float64")
        out[name] = values
    return pd.DataFrame(out, index=state.index)


def feature_table(names: list[str] | None = None) -> pd.DataFrame:
    """Documentation table of the features: name, kind, French and English names.

    Examples
    --------
    >>> feature_table(["n_promises_broken"]).loc[0, "name_fr"]
    'promesses non tenues'
    """
    feats = [_BY_NAME[n] for n in names if n in _BY_NAME] if names else list(FEATURES)
    return pd.DataFrame(
        {
            "feature": [f.name for f in feats],
            "kind": [f.kind for f in feats],
            "name_fr": [f.name_fr for f in feats],
            "name_en": [f.name_en for f in feats],
            "source": [f.source for f in feats],
        }
    )


def _format_numbers(values: pd.Series, lang: str) -> pd.Series:
    """Numbers as a person writes them: ``3``, ``1 234,5`` (fr) / ``1,234.5`` (en)."""

    def one(x: float) -> str:
        text = f"{round(x, 2):,.2f}".rstrip("0").rstrip(".")
        if lang == "fr":
            text = text.replace(",", "\u202f").replace(".", ",")
        return "0" if text in ("-0", "") else text

    v = pd.to_numeric(values, errors="coerce").astype("float64")
    return v.map(one, na_action="ignore").astype("str")


def phrase(name: str, values: pd.Series, lang: str = "fr") -> pd.Series:
    """Plain-language sentence for each value of one feature, vectorised.

    Features not in the catalog (extra columns such as ``bureau_score`` or
    ``segment``) read ``"<name> : <value>"`` (``"<name>: <value>"`` in
    English), numbers written plainly (``bureau_score : 3``, ``encours : 1
    234,5``). A missing value gives NA (no sentence) unless the feature has
    its own sentence for it (``"jamais relancé"``): a reason must say
    something.

    Examples
    --------
    >>> import pandas as pd
    >>> phrase("n_promises_broken", pd.Series([0.0, 1.0, 2.0])).tolist()
    ['aucune promesse non tenue', '1 promesse non tenue', '2 promesses non tenues']
    >>> phrase("days_since_last_contact", pd.Series([float("nan"), 60.0]), "en").tolist()
    ['never in contact', 'no contact for 60 days']
    >>> phrase("bureau_score", pd.Series([3.0, 2.5, None])).tolist()
    ['bureau_score : 3', 'bureau_score : 2,5', nan]
    >>> phrase("segment", pd.Series(["PME", None], dtype="str"), "en").tolist()
    ['segment: PME', nan]
    """
    feat = _BY_NAME.get(name)
    sep = " : " if lang == "fr" else ": "
    if feat is None:
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        shown = _format_numbers(values, lang) if numeric else values.astype("str")
        return (name + sep + shown).astype("str")
    tpl = feat.templates[lang]
    if feat.kind == "categorical":
        labels = feat.labels.get(lang, {})
        shown = values.astype("str").map(lambda v: labels.get(v, v), na_action="ignore")
        shown = shown.astype("str")  # all-missing input maps to float NaN
        head, _, tail = tpl["value"].partition("{v}")
        out = (head + shown + tail).astype("str")
        return out.fillna(tpl["nan"]) if "nan" in tpl else out
    v = pd.to_numeric(values, errors="coerce").astype("float64") * feat.scale
    rounded = v.round(0)
    if "levels" in tpl:
        idx = rounded.clip(0, len(tpl["levels"]) - 1).fillna(0).astype(int)
        out = pd.Series(np.asarray(tpl["levels"], dtype=object)[idx], index=values.index)
        return out.where(v.notna()).astype("str")
    n_text = rounded.map(lambda x: f"{x:,.0f}".replace(",", "\u202f" if lang == "fr" else ","))
    neg = (rounded < 0) & ("neg" in tpl)
    n_text = n_text.where(~neg, rounded.abs().map(lambda x: f"{x:,.0f}"))
    kind = np.select(
        [v.isna(), neg, rounded == 0, rounded == 1],
        ["nan", "neg", "zero", "one"],
        default="many",
    )
    template = pd.Series(kind, index=values.index).map(tpl)  # NA where no "nan" template
    out = [
        t.replace("{n}", n) if isinstance(t, str) else None
        for t, n in zip(template, n_text, strict=True)
    ]
    return pd.Series(out, index=values.index, dtype="str")
