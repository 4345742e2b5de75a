"""Plain French notes of the legal guards: flag codes and dated sentences.

:func:`describe_flags` turns the guards of ``_legal.legal_guards`` into the
semicolon-joined codes (``legal_flags``) and the French sentences
(``legal_notes``) of the judicial output. Sentences are built with pyarrow
string kernels, per distinct combination of flags and per dated flag, so a
million claims cost no Python object per row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from recovery_analytics.judicial._legal import FLAG_CODES

__all__ = ["describe_flags"]


def _take(labels: list[str], codes: np.ndarray) -> np.ndarray:
    """Low-cardinality labels by code, as a pandas str array (fast: no per-row objects)."""
    return pd.array(np.asarray(labels, dtype=object), dtype="str").take(codes)


def _fmt_dates(dates: np.ndarray) -> pa.Array:
    """dd/mm/yyyy strings, formatted once per distinct date ("?" for NaT)."""
    uniq, inv = np.unique(dates.astype("datetime64[D]"), return_inverse=True)
    text = pd.DatetimeIndex(uniq.astype("datetime64[ns]")).strftime("%d/%m/%Y")
    labels = pa.array(pd.Series(text).fillna("?").to_numpy(dtype=object), type=pa.large_string())
    return labels.take(pa.array(inv.ravel()))


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


def _scatter(sentences: pa.Array, idx: np.ndarray, n: int) -> pa.Array:
    """A length-``n`` array with ``sentences`` at positions ``idx`` and "" elsewhere."""
    pos = np.full(n, len(sentences), dtype=np.int64)
    pos[idx] = np.arange(len(idx))
    full = pa.concat_arrays([sentences.cast(pa.large_string()), pa.array([""], pa.large_string())])
    return full.take(pa.array(pos))


def _dated(g: pd.DataFrame, idx: np.ndarray, code: str, masks: dict) -> pa.Array:
    """The dated sentence of flag ``code`` for the rows ``idx`` of ``g``."""
    sub = g.iloc[idx]

    def date(col: str) -> pa.Array:
        return _fmt_dates(sub[col].to_numpy("datetime64[ns]"))

    if code == "PRESCRIBED":
        return _cat("Créance prescrite depuis le ", date("prescription_date"), " : ", _NOTES[code])
    if code == "PRESCRIPTION_URGENT":
        days = pa.array(sub["days_to_prescription"].fillna(0).to_numpy().astype("int64"))
        return _cat(
            "Prescription le ",
            date("prescription_date"),
            " (dans ",
            pc.cast(days, pa.large_string()),
            " jours) : ",
            _NOTES[code],
        )
    if code == "TITLE":
        return _cat("Titre exécutoire depuis le ", date("title_date"), " : ", _NOTES[code])
    if code == "IP_ORDER_TO_SERVE":
        return _cat(
            "Ordonnance d'injonction de payer à faire signifier au plus tard le ",
            date("ip_serve_by"),
            ", ",
            _NOTES[code],
        )
    status = pa.array(sub["insolvency_status"].astype("str").to_numpy(dtype=object))
    if code == "INSOLVENCY":
        late = pa.array(masks["DECLARATION_LATE"][idx])
        on_time = _cat(
            "Débiteur en ",
            status,
            " : ",
            _NOTES[code],
            " au plus tard le ",
            date("declaration_deadline"),
            " (art. R622-24 C. com.) ; passé ce délai, relevé de forclusion possible jusqu'au ",
            date("relief_deadline"),
            " (art. L622-26 C. com.).",
        )
        expired = _cat(
            "Débiteur en ",
            status,
            " : délai de déclaration expiré le ",
            date("declaration_deadline"),
            " ; demander au juge-commissaire un relevé de forclusion au plus tard le ",
            date("relief_deadline"),
            " (art. L622-26 C. com.), puis déclarer la créance.",
        )
        return pc.if_else(late, expired, on_time)
    raise KeyError(code)  # pragma: no cover - the list of dated codes is fixed below


_DATED = ("PRESCRIBED", "PRESCRIPTION_URGENT", "TITLE", "IP_ORDER_TO_SERVE", "INSOLVENCY")


def describe_flags(guards: pd.DataFrame) -> pd.DataFrame:
    """Semicolon-joined flag codes and plain French notes from ``legal_guards``.

    ``guards`` may carry an extra boolean ``below_court_cost`` column.

    Returns
    -------
    DataFrame
        Same index as ``guards``; columns ``legal_flags`` and ``legal_notes``
        ("" when nothing applies).

    Examples
    --------
    >>> from recovery_analytics.judicial import legal_guards
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
    # the insolvency sentence with dates, unless declared or the date is unknown
    dated_masks = dict(masks)
    dated_masks["INSOLVENCY"] = (
        masks["INSOLVENCY"]
        & ~masks["INSOLVENCY_DATE_UNKNOWN"]
        & ~masks["DECLARED"]
        & ~masks["FORECLOSED"]
    )
    bits = np.zeros(n, dtype="int64")
    for k, c in enumerate(FLAG_CODES):
        bits |= masks[c].astype("int64") << k
    combos, inv = np.unique(bits, return_inverse=True)
    inv = inv.ravel()
    has = [[c for k, c in enumerate(FLAG_CODES) if combo >> k & 1] for combo in combos.tolist()]
    flags = _take([";".join(h) for h in has], inv)
    # Fixed sentences per combination of flags, after the dated sentences.
    skip = {*_DATED, "DECLARATION_LATE"}
    tails = [" ".join(_NOTES[c] for c in h if c not in skip) for h in has]
    notes = pa.array(tails, type=pa.large_string()).take(pa.array(inv))
    head = None
    for code in _DATED:
        idx = np.flatnonzero(dated_masks[code])
        if not idx.size:
            continue
        part = _scatter(_dated(g, idx, code, masks), idx, n)
        head = part if head is None else _space_join(head, part)
    if head is not None:
        notes = _space_join(head, notes)
    out = pd.DataFrame({"legal_flags": flags}, index=g.index)
    out["legal_notes"] = (
        pd.array(notes.to_pandas(), dtype="str") if n else pd.array([], dtype="str")
    )
    return out


_NOTES: dict[str, str] = {
    "PRESCRIBED": "aucune action en justice possible.",
    "PRESCRIPTION_URGENT": "agir avant cette date (un paiement, une reconnaissance de dette"
    " écrite, la signification d'une injonction de payer ou une assignation interrompt la"
    " prescription ; une mise en demeure ne l'interrompt pas).",
    "IP_TOO_LATE": "Trop tard pour une injonction de payer (ordonnance et signification avant"
    " la prescription) : assigner, l'assignation interrompt la prescription (art. 2241 C. civ.).",
    "TITLE": "exécuter le titre (saisie-attribution dénoncée au débiteur sous 8 jours ; pour"
    " un particulier, le solde bancaire insaisissable reste sur le compte et la saisie des"
    " rémunérations est confiée au commissaire de justice), pendant 10 ans (art. L111-4 CPCE).",
    "IP_ORDER_TO_SERVE": "sinon elle est non avenue (art. 1411 CPC) ; seule la signification"
    " interrompt la prescription.",
    "IP_ORDER_VOID": "Ordonnance d'injonction de payer non signifiée dans les 6 mois : non"
    " avenue, elle n'a pas interrompu la prescription (art. 1411 CPC).",
    "IP_REFUSED": "Requête en injonction de payer restée sans ordonnance : considérée comme"
    " rejetée, agir au fond si la créance le justifie.",
    "PROMISE_NOT_PROVABLE": "Promesse de paiement sans trace écrite : elle n'interrompt pas la"
    " prescription (art. 2240 C. civ.), obtenir une reconnaissance de dette écrite ou un"
    " paiement.",
    "INSOLVENCY": "aucune action individuelle, déclarer la créance au mandataire judiciaire",
    "DECLARED": "Créance déclarée au mandataire judiciaire : suivre la procédure collective,"
    " aucune action individuelle.",
    "DECLARATION_LATE": "",
    "FORECLOSED": "Créance non déclarée et délai de relevé de forclusion expiré : inopposable"
    " à la procédure collective (art. L622-26 C. com.).",
    "INSOLVENCY_DATE_UNKNOWN": "Débiteur en procédure collective sans date de publication au"
    " BODACC : déclarer la créance au mandataire judiciaire sans attendre.",
    "DISPUTED": "Créance contestée : pas d'injonction de payer, négocier ou agir au fond.",
    "NOT_DUE": "Créance non encore échue : aucune mise en demeure ni action en justice.",
    "JUDICIAL_PENDING": "Une procédure judiciaire est en cours : la suivre, pas de nouvelle"
    " action.",
    "BELOW_COURT_COST": "Montant inférieur au coût de toute procédure judiciaire : pas d'action"
    " en justice.",
}
