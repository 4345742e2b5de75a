"""Legal guards on a claim state: prescription, insolvency, disputes, pending cases.

:func:`legal_guards` reads the claim state (``docs/state-contract.md``) and
returns, per claim, the prescription date and the boolean guards the judicial
economics obey; :func:`describe_flags` turns guards into the semicolon-joined
codes and plain French notes of the output. Rules and their sources are in
``docs/judicial.md`` and in the cost schedule (``legal.*`` keys).

Flag codes
----------
``PRESCRIBED``
    the prescription date has passed: never to court.
``PRESCRIPTION_URGENT``
    prescription within ``legal.urgent_days`` days.
``INSOLVENCY``
    sauvegarde / redressement / liquidation: no individual action, declare.
``DECLARATION_LATE``
    the declaration deadline (BODACC publication + 2 months) has passed.
``INSOLVENCY_DATE_UNKNOWN``
    insolvent debtor without a publication date.
``DISPUTED``
    open dispute: no injonction de payer.
``NOT_DUE``
    not yet due: no formal notice, agency or court.
``JUDICIAL_PENDING``
    a judicial filing exists: follow that case, no new filing.
``BELOW_COURT_COST``
    (added by the judicial module) every court route costs more than the claim.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from recovery_analytics.judicial._schedule import CostSchedule, load_schedule

__all__ = ["FLAG_CODES", "describe_flags", "legal_guards", "prescription_dates"]

FLAG_CODES: tuple[str, ...] = (
    "PRESCRIBED",
    "PRESCRIPTION_URGENT",
    "INSOLVENCY",
    "DECLARATION_LATE",
    "INSOLVENCY_DATE_UNKNOWN",
    "DISPUTED",
    "NOT_DUE",
    "JUDICIAL_PENDING",
    "BELOW_COURT_COST",
)

_INSOLVENT = ("sauvegarde", "redressement", "liquidation")


def _date_col(state: pd.DataFrame, name: str) -> np.ndarray:
    """A date column as datetime64[ns] numpy (all NaT when absent)."""
    if name not in state:
        return np.full(len(state), np.datetime64("NaT"), dtype="datetime64[ns]")
    return pd.to_datetime(state[name]).to_numpy("datetime64[ns]")


def _add_months(dates: np.ndarray, months: int) -> np.ndarray:
    """Calendar month arithmetic (31 Jan + 1 month = 28/29 Feb), vectorised; NaT stays NaT."""
    month = dates.astype("datetime64[M]")
    day_of_month = dates.astype("datetime64[D]") - month.astype("datetime64[D]")
    target = month + months
    last = (target + 1).astype("datetime64[D]") - target.astype("datetime64[D]") - 1
    return (target.astype("datetime64[D]") + np.minimum(day_of_month, last)).astype(
        "datetime64[ns]"
    )


def _latest(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.where(np.isnat(a), b, np.where(np.isnat(b), a, np.maximum(a, b)))


def _as_of(state: pd.DataFrame, as_of: Any) -> pd.Timestamp:
    if as_of is not None:
        return pd.Timestamp(as_of).normalize()
    if "as_of" in state and len(state):
        return pd.Timestamp(state["as_of"].iloc[0]).normalize()
    raise ValueError("as_of is required when the state has no as_of column")


def prescription_dates(state: pd.DataFrame, schedule: CostSchedule | None = None) -> pd.DataFrame:
    """Start and end of the prescription period of each claim.

    The clock starts at ``legal.prescription_start_b2b`` (due date) for B2B and
    ``legal.prescription_start_b2c`` (invoice date) otherwise, and restarts
    from the last acknowledgement (``last_acknowledgement_date``: payment or
    promise, art. 2240 C. civ.) and from a judicial filing
    (``judicial_filing_date``, art. 2241). A judgment (``judgment_date``)
    starts the time limit to enforce the title (``legal.title_enforcement_years``).
    A mise en demeure does not interrupt prescription.

    Returns
    -------
    DataFrame
        Same index as ``state``; columns ``prescription_start`` and
        ``prescription_date`` (last day on which the creditor can still act).

    Examples
    --------
    >>> st = pd.DataFrame({"debtor_type": ["B2B"], "invoice_date": [pd.Timestamp("2021-01-01")],
    ...                    "due_date": [pd.Timestamp("2021-03-01")],
    ...                    "last_acknowledgement_date": [pd.Timestamp("2024-01-10")]})
    >>> str(prescription_dates(st)["prescription_date"].iloc[0].date())
    '2029-01-10'
    """
    s = schedule if schedule is not None else load_schedule()
    b2b = (state["debtor_type"] == "B2B").to_numpy(dtype=bool)
    start_b2b = _date_col(state, s.value("legal.prescription_start_b2b"))
    start = np.where(b2b, start_b2b, _date_col(state, s.value("legal.prescription_start_b2c")))
    for col in ("last_acknowledgement_date", "judicial_filing_date"):
        start = _latest(start, _date_col(state, col))
    years_b2b = s.value("legal.prescription_years_b2b")
    years_b2c = s.value("legal.prescription_years_b2c")
    end = np.where(
        b2b, _add_months(start, round(12 * years_b2b)), _add_months(start, round(12 * years_b2c))
    )
    judgment = _date_col(state, "judgment_date")
    title_end = _add_months(judgment, round(12 * s.value("legal.title_enforcement_years")))
    end = np.where(np.isnat(judgment), end, _latest(end, title_end))
    return pd.DataFrame({"prescription_start": start, "prescription_date": end}, index=state.index)


def legal_guards(
    state: pd.DataFrame, schedule: CostSchedule | None = None, *, as_of: Any = None
) -> pd.DataFrame:
    """The legal guards of each claim at ``as_of``.

    Parameters
    ----------
    state : DataFrame
        Claim state (``docs/state-contract.md``); uses ``debtor_type``,
        ``invoice_date``, ``due_date``, and when present
        ``last_acknowledgement_date``, ``judicial_filing_date``,
        ``judgment_date``, ``open_dispute`` (or ``disputed``),
        ``insolvency_status``, ``insolvency_date``.
    schedule : CostSchedule, optional
    as_of : date, optional
        Defaults to the state's ``as_of`` column.

    Returns
    -------
    DataFrame
        Same index as ``state``: ``prescription_date``, ``days_to_prescription``
        (negative once prescribed), ``declaration_deadline`` (NaT unless
        insolvent), ``insolvency_status`` and one boolean column per flag of
        :data:`FLAG_CODES` except ``BELOW_COURT_COST`` (named in lower case).

    Examples
    --------
    >>> st = pd.DataFrame({"debtor_type": ["B2C"], "invoice_date": [pd.Timestamp("2024-05-15")],
    ...                    "due_date": [pd.Timestamp("2024-06-15")]})
    >>> g = legal_guards(st, as_of="2026-06-15")
    >>> bool(g["prescribed"].iloc[0]), int(g["days_to_prescription"].iloc[0])
    (True, -31)
    """
    s = schedule if schedule is not None else load_schedule()
    day = np.datetime64(_as_of(state, as_of), "ns")
    out = prescription_dates(state, s)[["prescription_date"]]
    pres = out["prescription_date"].to_numpy("datetime64[ns]")
    days = (pres - day).astype("timedelta64[D]").astype("float64")
    days[np.isnat(pres)] = np.nan
    out["days_to_prescription"] = days
    out["prescribed"] = days < 0
    out["prescription_urgent"] = (days >= 0) & (days <= s.value("legal.urgent_days"))

    if "insolvency_status" in state:
        status = state["insolvency_status"].astype("str").fillna("none").str.lower()
    else:
        status = pd.Series("none", index=state.index, dtype="str")
    insolvent = status.isin(_INSOLVENT).to_numpy(dtype=bool)
    ins_date = _date_col(state, "insolvency_date")
    deadline = _add_months(ins_date, int(s.value("legal.declaration_months")))
    deadline[~insolvent] = np.datetime64("NaT")
    out["declaration_deadline"] = deadline
    out["insolvency_status"] = status.where(insolvent, "none")
    out["insolvency"] = insolvent
    out["declaration_late"] = insolvent & (deadline < day)
    out["insolvency_date_unknown"] = insolvent & np.isnat(ins_date)

    dispute_col = "open_dispute" if "open_dispute" in state else "disputed"
    if dispute_col in state:
        out["disputed"] = state[dispute_col].astype("boolean").fillna(False).to_numpy(dtype=bool)
    else:
        out["disputed"] = False
    out["not_due"] = _date_col(state, "due_date") >= day
    out["judicial_pending"] = ~(
        np.isnat(_date_col(state, "judicial_filing_date"))
        & np.isnat(_date_col(state, "judgment_date"))
    )
    return out


def _take(labels: list[str], codes: np.ndarray) -> np.ndarray:
    """Low-cardinality labels by code, as a pandas str array (fast: no per-row objects)."""
    return pd.array(np.asarray(labels, dtype=object), dtype="str").take(codes)


def _fmt_dates(dates: np.ndarray) -> pa.Array:
    """dd/mm/yyyy strings, formatted once per distinct date ("?" for NaT)."""
    uniq, inv = np.unique(dates.astype("datetime64[D]"), return_inverse=True)
    text = pd.DatetimeIndex(uniq.astype("datetime64[ns]")).strftime("%d/%m/%Y")
    labels = pa.array(pd.Series(text).fillna("?").to_numpy(dtype=object), type=pa.large_string())
    return labels.take(pa.array(inv.ravel()))


def describe_flags(guards: pd.DataFrame) -> pd.DataFrame:
    """Semicolon-joined flag codes and plain French notes from :func:`legal_guards`.

    ``guards`` may carry an extra boolean ``below_court_cost`` column.

    Returns
    -------
    DataFrame
        Same index as ``guards``; columns ``legal_flags`` and ``legal_notes``
        ("" when nothing applies).

    Examples
    --------
    >>> st = pd.DataFrame({"debtor_type": ["B2B"], "invoice_date": [pd.Timestamp("2024-01-01")],
    ...                    "due_date": [pd.Timestamp("2024-02-01")], "open_dispute": [True]})
    >>> describe_flags(legal_guards(st, as_of="2026-06-30"))["legal_flags"].tolist()
    ['DISPUTED']
    """
    g = guards
    n = len(g)
    masks = {
        c: g[c.lower()].to_numpy(dtype=bool) if c.lower() in g else np.zeros(n, dtype=bool)
        for c in FLAG_CODES
    }
    bits = np.zeros(n, dtype="int64")
    for k, c in enumerate(FLAG_CODES):
        bits |= masks[c].astype("int64") << k
    combos, inv = np.unique(bits, return_inverse=True)
    inv = inv.ravel()
    has = [[c for k, c in enumerate(FLAG_CODES) if combo >> k & 1] for combo in combos.tolist()]
    flags = _take([";".join(h) for h in has], inv)
    # Notes: fixed sentences per combination of flags, plus the dated sentences,
    # assembled with pyarrow string kernels (no Python objects per row).
    dated = {"PRESCRIBED", "PRESCRIPTION_URGENT", "INSOLVENCY"}
    tails = [" ".join(_NOTES[c] for c in h if c not in dated) for h in has]
    notes = pa.array(tails, type=pa.large_string()).take(pa.array(inv))
    idx = np.flatnonzero(masks["PRESCRIBED"] | masks["PRESCRIPTION_URGENT"] | masks["INSOLVENCY"])
    if idx.size:
        sub = g.iloc[idx]
        pres = _fmt_dates(sub["prescription_date"].to_numpy("datetime64[ns]"))
        days = pa.array(sub["days_to_prescription"].fillna(0).to_numpy().astype("int64"))
        decl = _fmt_dates(sub["declaration_deadline"].to_numpy("datetime64[ns]"))
        status = pa.array(sub["insolvency_status"].astype("str").to_numpy(dtype=object))
        m_p, m_u = masks["PRESCRIBED"][idx], masks["PRESCRIPTION_URGENT"][idx]
        m_i = masks["INSOLVENCY"][idx] & ~masks["INSOLVENCY_DATE_UNKNOWN"][idx]
        head = pc.if_else(
            pa.array(m_p),
            _cat("Créance prescrite depuis le ", pres, " : ", _NOTES["PRESCRIBED"]),
            _cat(
                "Prescription le ",
                pres,
                " (dans ",
                pc.cast(days, pa.large_string()),
                " jours) : ",
                _NOTES["PRESCRIPTION_URGENT"],
            ),
        )
        head = pc.if_else(pa.array(m_p | m_u), head, _ls(""))
        ins = _cat("Débiteur en ", status, " : ", _NOTES["INSOLVENCY"], " avant le ", decl, ".")
        head = pc.if_else(pa.array(m_i), _space_join(head, ins), head)
        tail = notes.take(pa.array(idx))
        merged = pa.concat_arrays([notes, _space_join(head, tail).cast(pa.large_string())])
        pos = np.arange(n)
        pos[idx] = n + np.arange(idx.size)
        notes = merged.take(pa.array(pos))
    out = pd.DataFrame({"legal_flags": flags}, index=g.index)
    out["legal_notes"] = pd.array(notes.to_pandas(), dtype="str") if n else pd.array([], "str")
    return out


def _cat(*parts: Any) -> pa.Array:
    """Element-wise concatenation of strings and string arrays."""
    arrays = [_ls(p) if isinstance(p, str) else p.cast(pa.large_string()) for p in parts]
    return pc.binary_join_element_wise(*arrays, _ls(""))


def _ls(text: str) -> pa.Scalar:
    return pa.scalar(text, type=pa.large_string())


def _space_join(a: pa.Array, b: pa.Array) -> pa.Array:
    """``a + " " + b``, without a stray space when either side is empty."""
    a, b = a.cast(pa.large_string()), b.cast(pa.large_string())
    both = pc.binary_join_element_wise(a, b, _ls(" "))
    return pc.if_else(pc.equal(a, _ls("")), b, pc.if_else(pc.equal(b, _ls("")), a, both))


_NOTES: dict[str, str] = {
    "PRESCRIBED": "aucune action en justice possible.",
    "PRESCRIPTION_URGENT": "agir avant cette date (une reconnaissance de dette ou une action en"
    " justice interrompt la prescription, une mise en demeure ne l'interrompt pas).",
    "INSOLVENCY": "aucune action individuelle, déclarer la créance au mandataire judiciaire",
    "DECLARATION_LATE": "Délai de déclaration dépassé : demander au juge-commissaire un relevé"
    " de forclusion.",
    "INSOLVENCY_DATE_UNKNOWN": "Débiteur en procédure collective sans date de publication au"
    " BODACC : déclarer la créance au mandataire judiciaire sans attendre.",
    "DISPUTED": "Créance contestée : pas d'injonction de payer, négocier ou agir au fond.",
    "NOT_DUE": "Créance non encore échue : aucune mise en demeure ni action en justice.",
    "JUDICIAL_PENDING": "Une procédure judiciaire est déjà engagée : suivre la procédure en cours.",
    "BELOW_COURT_COST": "Montant inférieur au coût de toute procédure judiciaire : pas d'action"
    " en justice.",
}
