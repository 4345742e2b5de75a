"""Legal guards on a claim state: prescription, titles, insolvency, disputes, pending cases.

:func:`legal_guards` reads the claim state (``docs/state-contract.md``) and
returns, per claim, the prescription date, the title and the boolean guards the
judicial economics obey; ``_notes.describe_flags`` turns guards into the
semicolon-joined codes and plain French notes of the output. Rules and their
sources are in ``docs/judicial.md`` and in the cost schedule (``legal.*`` keys).

Flag codes
----------
``PRESCRIBED``
    the prescription date has passed: never to court.
``PRESCRIPTION_URGENT``
    prescription within ``legal.urgent_days`` days.
``IP_TOO_LATE``
    urgent, and an injonction cannot be obtained and served before the
    prescription date: a summons is the route that interrupts in time.
``TITLE``
    the claim holds an enforceable title (judgment, or served order not opposed).
``IP_ORDER_TO_SERVE``
    an injonction order not yet served: serve it within 6 months of its date.
``IP_ORDER_VOID``
    an order not served within 6 months: void (art. 1411 CPC).
``IP_REFUSED``
    a request with no order after ``legal.ip_request_pending_months``: taken as refused.
``PROMISE_NOT_PROVABLE``
    a promise of unknown form after the last interruption: it does not interrupt.
``INSOLVENCY``
    sauvegarde / redressement / liquidation: no individual action, declare.
``DECLARED``
    the claim was declared in the collective proceedings.
``DECLARATION_LATE``
    the declaration deadline (BODACC publication + 2 months) has passed; the
    relevé de forclusion window (6 months, L622-26) is still open.
``FORECLOSED``
    not declared and the relevé de forclusion window has closed.
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

from recovery_analytics.judicial._schedule import CostSchedule, load_schedule

__all__ = ["FLAG_CODES", "court_of", "legal_guards", "prescription_dates"]

FLAG_CODES: tuple[str, ...] = (
    "PRESCRIBED",
    "PRESCRIPTION_URGENT",
    "IP_TOO_LATE",
    "TITLE",
    "IP_ORDER_TO_SERVE",
    "IP_ORDER_VOID",
    "IP_REFUSED",
    "PROMISE_NOT_PROVABLE",
    "INSOLVENCY",
    "DECLARED",
    "DECLARATION_LATE",
    "FORECLOSED",
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


def _ip_dates(state: pd.DataFrame, s: CostSchedule) -> dict[str, np.ndarray]:
    """The injonction de payer of each claim: valid service, void order, order to serve."""
    order = _date_col(state, "ip_order_date")
    service = _date_col(state, "ip_service_date")
    serve_by = _add_months(order, int(s.value("legal.ip_service_months")))
    # A service counts if it follows the order within 6 months (art. 1411 CPC);
    # a service logged without its order is taken as valid (nothing to check).
    valid = ~np.isnat(service) & (np.isnat(order) | ((service >= order) & (service <= serve_by)))
    return {"order": order, "service": np.where(valid, service, np.datetime64("NaT")),
            "serve_by": serve_by, "unserved": ~np.isnat(order) & ~valid}  # fmt: skip


def prescription_dates(
    state: pd.DataFrame, schedule: CostSchedule | None = None, *, as_of: Any = None
) -> pd.DataFrame:
    """Start and end of the prescription period of each claim, and its title.

    The clock starts at ``legal.prescription_start_b2b`` (due date) for B2B and,
    for B2C, at ``performance_date`` when the state has it (date the work or
    service was done) else ``legal.prescription_start_b2c`` (invoice date).
    It restarts (art. 2231 C. civ.) only from:

    * an acknowledgement by the debtor (art. 2240): a payment, also partial, or
      a written acknowledgement (``last_acknowledgement_date``); a promise of
      unknown form (``last_promise_form_unknown_date``) only if
      ``legal.promise_form_unknown_interrupts``;
    * the **service** of an injonction de payer order served within
      ``legal.ip_service_months`` (6) of its date (art. 1411 CPC); the request
      and an unserved order interrupt nothing;
    * a summons (``summons_date``, art. 2241) and a declaration of claim in
      collective proceedings (``claim_declaration_date``, art. L622-25-1 C. com.);
    * an older unspecified ``judicial_filing`` only if ``legal.legacy_filing_interrupts``.

    A mise en demeure does not interrupt. A title opens
    ``legal.title_enforcement_years`` (10) to enforce it (L111-4 CPCE): a
    judgment, or an order served and not opposed within
    ``legal.opposition_months`` (1, art. 1416 CPC); the 10 years run from the
    judgment or the order date.

    Parameters
    ----------
    state : DataFrame
        Claim state; the date columns above are used when present.
    schedule : CostSchedule, optional
    as_of : date, optional
        Needed to tell whether the month to oppose an order has run; defaults
        to the state's ``as_of`` column (without either, a served order counts
        as a title once its month has passed, whatever the date).

    Returns
    -------
    DataFrame
        Same index as ``state``; ``prescription_start``, ``prescription_date``
        (last day on which the creditor can still act) and ``title_date`` (day
        the claim got an enforceable title, NaT if none).

    Examples
    --------
    >>> st = pd.DataFrame({"debtor_type": ["B2B"], "invoice_date": [pd.Timestamp("2021-01-01")],
    ...                    "due_date": [pd.Timestamp("2021-03-01")],
    ...                    "last_acknowledgement_date": [pd.Timestamp("2024-01-10")]})
    >>> str(prescription_dates(st)["prescription_date"].iloc[0].date())
    '2029-01-10'
    """
    s = schedule if schedule is not None else load_schedule()
    try:
        day = np.datetime64(_as_of(state, as_of), "ns")
    except ValueError:
        day = np.datetime64("2200-01-01", "ns")
    b2b = (state["debtor_type"] == "B2B").to_numpy(dtype=bool)
    start_b2b = _date_col(state, s.value("legal.prescription_start_b2b"))
    start_b2c = _date_col(state, s.value("legal.prescription_start_b2c"))
    performed = _date_col(state, "performance_date")
    start_b2c = np.where(np.isnat(performed), start_b2c, performed)
    start = np.where(b2b, start_b2b, start_b2c)
    ip = _ip_dates(state, s)
    interruptions = ["last_acknowledgement_date", "summons_date", "claim_declaration_date"]
    if s.value("legal.promise_form_unknown_interrupts"):
        interruptions.append("last_promise_form_unknown_date")
    if s.value("legal.legacy_filing_interrupts"):
        interruptions.append(_legacy_col(state))
    for col in interruptions:
        start = _latest(start, _date_col(state, col))
    start = _latest(start, ip["service"])
    years_b2b = s.value("legal.prescription_years_b2b")
    years_b2c = s.value("legal.prescription_years_b2c")
    end = np.where(
        b2b, _add_months(start, round(12 * years_b2b)), _add_months(start, round(12 * years_b2c))
    )
    # Titles: a judgment, or a served order not opposed once the month has run.
    opposition = _date_col(state, "opposition_date")
    final = _add_months(ip["service"], int(s.value("legal.opposition_months")))
    opposed = ~np.isnat(opposition) & (np.isnat(ip["service"]) | (opposition >= ip["service"]))
    ip_title = ~np.isnat(ip["service"]) & ~opposed & (final <= day)
    judgment = _date_col(state, "judgment_date")
    title_date = _earliest(judgment, np.where(ip_title, final, np.datetime64("NaT")))
    order_or_service = np.where(np.isnat(ip["order"]), ip["service"], ip["order"])
    title_base = _earliest(judgment, np.where(ip_title, order_or_service, np.datetime64("NaT")))
    title_end = _add_months(title_base, round(12 * s.value("legal.title_enforcement_years")))
    end = np.where(np.isnat(title_base), end, _latest(end, title_end))
    return pd.DataFrame(
        {"prescription_start": start, "prescription_date": end, "title_date": title_date},
        index=state.index,
    )


_COURT_COLUMNS = ("ip_request_date", "ip_order_date", "ip_service_date", "summons_date")


def _legacy_col(state: pd.DataFrame) -> str:
    """The column of unspecified filings: ``legacy_filing_date`` in a state; in an older
    hand-made state with only ``judicial_filing_date``, that one."""
    if "legacy_filing_date" in state or any(c in state for c in _COURT_COLUMNS):
        return "legacy_filing_date"
    return "judicial_filing_date"


def _earliest(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.where(np.isnat(a), b, np.where(np.isnat(b), a, np.minimum(a, b)))


def legal_guards(
    state: pd.DataFrame, schedule: CostSchedule | None = None, *, as_of: Any = None
) -> pd.DataFrame:
    """The legal guards of each claim at ``as_of``.

    Parameters
    ----------
    state : DataFrame
        Claim state (``docs/state-contract.md``); uses ``debtor_type``,
        ``invoice_date``, ``due_date``, and when present the dates of
        :func:`prescription_dates`, ``ip_request_date``, ``opposition_date``,
        ``legacy_filing_date`` (or ``judicial_filing_date``),
        ``open_dispute`` (or ``disputed``), ``insolvency_status``,
        ``insolvency_date``, ``claim_declaration_date``.
    schedule : CostSchedule, optional
    as_of : date, optional
        Defaults to the state's ``as_of`` column.

    Returns
    -------
    DataFrame
        Same index as ``state``: ``prescription_date``, ``days_to_prescription``
        (negative once prescribed), ``title_date``, ``ip_serve_by`` (last day to
        serve an unserved order), ``declaration_deadline`` (« au plus tard »
        date, NaT unless insolvent), ``relief_deadline`` (last day to ask for a
        relevé de forclusion, L622-26), ``insolvency_status``, ``declared``,
        ``ip_in_time`` / ``summons_in_time`` (an injonction / a summons can
        still interrupt prescription in time) and one boolean column per flag
        of :data:`FLAG_CODES` except ``BELOW_COURT_COST`` (named in lower case).

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
    dates = prescription_dates(state, s, as_of=day)
    out = dates[["prescription_date", "title_date"]].copy()
    pres = out["prescription_date"].to_numpy("datetime64[ns]")
    days = (pres - day).astype("timedelta64[D]").astype("float64")
    days[np.isnat(pres)] = np.nan
    out["days_to_prescription"] = days
    out["prescribed"] = days < 0
    out["prescription_urgent"] = (days >= 0) & (days <= s.value("legal.urgent_days"))
    has_title = ~np.isnat(out["title_date"].to_numpy("datetime64[ns]"))
    out["title"] = has_title
    ip = _ip_dates(state, s)
    out["ip_in_time"] = ~(days < s.value("routes.injonction_de_payer.days_to_interrupt"))
    out["summons_in_time"] = ~(days < s.value("routes.action_au_fond.days_to_interrupt"))
    out["ip_too_late"] = out["prescription_urgent"] & ~out["ip_in_time"] & ~has_title

    if "insolvency_status" in state:
        status = state["insolvency_status"].astype("str").fillna("none").str.lower()
    else:
        status = pd.Series("none", index=state.index, dtype="str")
    insolvent = status.isin(_INSOLVENT).to_numpy(dtype=bool)
    ins_date = _date_col(state, "insolvency_date")
    months = int(s.value("legal.declaration_months"))
    if s.value("general.creditor_outside_metropolitan_france"):
        months += int(s.value("legal.declaration_extra_months_outside_metropole"))
    deadline = _add_months(ins_date, months)
    deadline[~insolvent] = np.datetime64("NaT")
    relief = _add_months(ins_date, int(s.value("legal.relief_months")))
    relief[~insolvent] = np.datetime64("NaT")
    declared = ~np.isnat(_date_col(state, "claim_declaration_date"))
    out["declaration_deadline"] = deadline
    out["relief_deadline"] = relief
    out["insolvency_status"] = status.where(insolvent, "none")
    out["declared"] = insolvent & declared
    out["insolvency"] = insolvent
    out["declaration_late"] = insolvent & ~declared & (deadline < day) & ~(relief < day)
    out["foreclosed"] = insolvent & ~declared & (relief < day)
    out["insolvency_date_unknown"] = insolvent & np.isnat(ins_date)

    dispute_col = "open_dispute" if "open_dispute" in state else "disputed"
    if dispute_col in state:
        out["disputed"] = state[dispute_col].astype("boolean").fillna(False).to_numpy(dtype=bool)
    else:
        out["disputed"] = False
    out["not_due"] = _date_col(state, "due_date") >= day
    out["ip_serve_by"] = np.where(ip["unserved"], ip["serve_by"], np.datetime64("NaT"))
    out["ip_order_to_serve"] = ip["unserved"] & (ip["serve_by"] >= day) & ~has_title
    out["ip_order_void"] = ip["unserved"] & (ip["serve_by"] < day) & ~has_title
    # Cases under way: an unspecified filing, a request awaiting its order, a
    # summons or an opposition not yet judged, an order still to serve.
    legacy = _legacy_col(state)
    request = _date_col(state, "ip_request_date")
    waiting = _add_months(request, int(s.value("legal.ip_request_pending_months"))) >= day
    request_open = ~np.isnat(request) & (np.isnat(ip["order"]) | (ip["order"] < request))
    out["ip_refused"] = request_open & ~waiting & ~has_title
    under_way = (
        ~np.isnat(_date_col(state, legacy))
        | (request_open & waiting)
        | ~np.isnat(_date_col(state, "summons_date"))
        | ~np.isnat(_date_col(state, "opposition_date"))
        | out["ip_order_to_serve"].to_numpy()
        | (~np.isnat(ip["service"]) & ~has_title)  # served, month to oppose running
    )
    out["judicial_pending"] = under_way & ~has_title
    unknown = _date_col(state, "last_promise_form_unknown_date")
    start = dates["prescription_start"].to_numpy()
    out["promise_not_provable"] = (
        ~np.isnat(unknown)
        & (unknown > start)
        & ~bool(s.value("legal.promise_form_unknown_interrupts"))
        & ~has_title
    )
    return out


# NAF codes (divisions or classes, without dots) of civil activities, judged by
# the tribunal judiciaire: legal and accounting work, architects, veterinarians,
# health professions, real-estate letting (SCI), associations.
_CIVIL_NAF = ("69", "7111", "75", "86", "6820", "94")
_CIVIL_FORM_WORDS = ("sci", "societe civile", "association", "liberal", "scp", "selarl", "selas")


def court_of(state: pd.DataFrame, schedule: CostSchedule | None = None) -> np.ndarray:
    """Which court judges each claim: ``True`` = tribunal de commerce, else judiciaire.

    Disputes between merchants and commercial companies go to the tribunal de
    commerce (L721-3 C. com.); consumers, liberal professions, associations, SCI
    and civil companies to the tribunal judiciaire. For a B2B debtor the
    ``legal_form`` column (INSEE catégorie juridique code: 65xx civil companies,
    92xx associations; or words such as « SCI », « association ») decides, else
    the ``naf_code`` (69, 71.11, 75, 86, 68.20, 94: civil activities), else
    ``courts.b2b_default_court``.

    Examples
    --------
    >>> st = pd.DataFrame({"debtor_type": ["B2B", "B2B", "B2B", "B2C"],
    ...                    "naf_code": ["47.11B", "86.21Z", None, None],
    ...                    "legal_form": [None, None, "6540", None]})
    >>> court_of(st).tolist()
    [True, False, False, False]
    """
    s = schedule if schedule is not None else load_schedule()
    n = len(state)
    b2b = (state["debtor_type"] == "B2B").to_numpy(dtype=bool)
    default = s.value("courts.b2b_default_court") == "tribunal_de_commerce"
    tc = np.full(n, default)
    if "naf_code" in state:
        naf = state["naf_code"].astype("str").str.replace(r"[\s.]", "", regex=True).str.upper()
        known = naf.notna().to_numpy(dtype=bool) & (naf.str.len() >= 2).fillna(False).to_numpy(bool)
        civil = naf.str.startswith(_CIVIL_NAF).fillna(False).to_numpy(dtype=bool)
        tc = np.where(known, ~civil, tc)
    if "legal_form" in state:
        form = state["legal_form"].astype("str").str.strip().str.casefold()
        form = form.str.replace(r"\.0$", "", regex=True)  # a code read as a number
        code = form.str.fullmatch(r"\d{4}").fillna(False).to_numpy(dtype=bool)
        civil_code = form.str.match(r"^(65|92)").fillna(False).to_numpy(dtype=bool)
        words = form.str.normalize("NFKD").str.replace(r"[\u0300-\u036f]", "", regex=True)
        civil_word = words.str.contains("|".join(_CIVIL_FORM_WORDS)).fillna(False).to_numpy(bool)
        tc = np.where(code, ~civil_code, np.where(civil_word, False, tc))
    return b2b & tc
