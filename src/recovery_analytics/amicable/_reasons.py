"""Plain-language reasons for a score, from LightGBM SHAP contributions.

The classifier's ``pred_contrib`` gives, for each claim, how much each
feature pushed the log-odds of amicable recovery up (favourable, ``+``) or
down (unfavourable, ``−``). The features with the largest absolute
contributions become short sentences through
:func:`recovery_analytics.amicable.phrase`, e.g. ``"− 2 promesses non
tenues"`` or ``"+ paie d'habitude à 12 jours"``.

Contributions cost about 60x a plain prediction (PERFORMANCE.md): compute
them only for the rows that are shown (call queue, report tables).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from recovery_analytics.amicable._catalog import is_quiet, phrase

__all__ = ["REASON_COLUMNS", "top_reasons", "wide_reasons"]

#: Reason columns of the score table.
REASON_COLUMNS: tuple[str, ...] = ("reason_1", "reason_2", "reason_3")

_SIGNS = {True: "+", False: "−"}


def top_reasons(
    contrib: np.ndarray,
    frame: pd.DataFrame,
    claim_id: pd.Series,
    feature_names: list[str],
    top: int = 3,
    lang: str = "fr",
) -> pd.DataFrame:
    """The ``top`` strongest reasons of each row, as a long tidy table.

    Parameters
    ----------
    contrib : numpy.ndarray
        Contributions, shape ``(n_rows, n_features)`` (without the bias column).
    frame : pandas.DataFrame
        Feature values (:func:`~recovery_analytics.amicable.feature_frame`), same rows.
    claim_id : pandas.Series
        Claim ids, same rows.
    feature_names : list of str
        Column order of ``contrib``.
    top : int, default 3
    lang : {"fr", "en"}, default "fr"

    Returns
    -------
    pandas.DataFrame
        ``claim_id, rank, feature, value, contribution, effect, reason``:
        ``rank`` 1..top by decreasing absolute contribution (ties broken by
        feature order); ``effect`` is ``+`` (pushes recovery up) or ``−``;
        ``reason`` the plain sentence. Features with a zero contribution, and
        values that tell a collector nothing
        (:func:`~recovery_analytics.amicable._catalog.is_quiet`: "no
        insolvency", the département, a missing value without a sentence of
        its own such as a missing ``bureau_score``) are never reasons, so a
        row can have fewer than ``top``. Extra features read ``"<name> :
        <value>"`` (``"bureau_score : 3"``, ``"segment : PME"``).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> frame = pd.DataFrame({"n_promises_broken": [2.0], "days_past_due": [45.0]})
    >>> out = top_reasons(np.array([[-0.8, 0.1]]), frame, pd.Series(["C1"]),
    ...                   ["n_promises_broken", "days_past_due"], top=2)
    >>> out[["rank", "effect", "reason"]].values.tolist()
    [[1, '−', '2 promesses non tenues'], [2, '+', 'en retard de 45 jours']]
    """
    contrib = np.asarray(contrib, dtype="float64")
    n, f = contrib.shape
    top = min(top, f)
    strength = np.abs(contrib)
    for j, name in enumerate(feature_names):
        strength[is_quiet(name, frame[name]).to_numpy(dtype=bool), j] = -1.0
    order = np.argsort(-strength, axis=1, kind="stable")[:, :top]
    rows = np.repeat(np.arange(n), top)
    cols = order.ravel()
    values = contrib[rows, cols]
    names = np.asarray(feature_names, dtype=object)[cols]
    reason = np.empty(len(rows), dtype=object)
    shown = np.empty(len(rows), dtype=object)
    for name in pd.unique(names):
        mask = names == name
        vals = frame[name].iloc[rows[mask]].reset_index(drop=True)
        reason[mask] = phrase(name, vals, lang).to_numpy(dtype=object)
        shown[mask] = vals.astype("str").to_numpy(dtype=object)
    out = pd.DataFrame(
        {
            "claim_id": np.asarray(claim_id)[rows],
            "rank": np.tile(np.arange(1, top + 1), n),
            "feature": names,
            "value": shown,
            "contribution": values,
            "effect": np.where(values > 0, _SIGNS[True], _SIGNS[False]),
            "reason": reason,
        }
    ).astype({"claim_id": "str", "feature": "str", "value": "str", "reason": "str"})
    # a reason must say something: quiet values and values without a sentence go
    out = out[(strength[rows, cols] > 0) & out["reason"].notna().to_numpy()]
    return out.reset_index(drop=True)


def wide_reasons(long: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """One row per claim with ``reason_1..reason_top`` as ``"<effect> <reason>"``.

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"claim_id": ["C1", "C1"], "rank": [1, 2],
    ...                      "effect": ["−", "+"], "reason": ["litige ouvert", "1 appel passé"]})
    >>> wide_reasons(long, top=2).loc["C1"].tolist()
    ['− litige ouvert', '+ 1 appel passé']
    """
    cols = [f"reason_{k}" for k in range(1, top + 1)]
    text = long["effect"] + " " + long["reason"]
    wide = (
        pd.DataFrame({"claim_id": long["claim_id"], "rank": long["rank"], "text": text})
        .pivot(index="claim_id", columns="rank", values="text")
        .reindex(columns=range(1, top + 1))
    )
    wide.columns = cols
    wide.columns.name = None
    return wide.astype("str")
