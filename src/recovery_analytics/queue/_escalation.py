"""Next best action: the step of the escalation scenario due on every open claim.

The scenario (:class:`EscalationPolicy`, days after the due date): a courtesy
reminder before the due date for large or risky invoices, reminder letter,
call, second letter, visit (optional), mise en demeure, then the court route
chosen by the judicial module. :func:`next_best_action` gives each open claim
its next step and date; insolvency, court cases, disputes and pending promises
come before the ladder. The letters, emails and formal notices of the week are
the call queue's ``letters`` list (:data:`LETTER_ACTIONS`). See
``docs/call-queue.md`` section 5.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ACTIONS", "LETTER_ACTIONS", "EscalationPolicy", "next_best_action"]

_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class EscalationPolicy:
    """The escalation scenario, in days relative to the due date.

    Steps in order: courtesy reminder before the due date (large or risky
    invoices), reminder letter, call, second letter, visit (optional),
    mise en demeure, court route (the judicial module's recommendation).
    Defaults follow the recommended practice of the facts file (section 6):
    reminder day 7, call day 15, last notice day 30, a 10-day deadline after
    the mise en demeure.

    Parameters
    ----------
    courtesy_days_before : int
        Courtesy reminder this many days before the due date ...
    courtesy_min_eur, courtesy_max_p : float
        ... for invoices of at least this amount, or whose ``p_amicable`` is
        below this (risky).
    reminder_day, call_day, second_letter_day, visit_day, formal_notice_day, court_day : int
        Earliest day after the due date of each step.
    visit_min_eur : float or None
        Visits only for B2B debtors owing at least this (None: no visits).
    notice_deadline_days : int
        Days left to the debtor after a mise en demeure before court.
    min_gap_days : int
        Minimum days between two actions on a claim.
    promise_grace_days : int
        Wait this long after a promised date before acting again.
    recall_days : int
        When court is not worth it, call again this many days after the last action.
    catch_up_days : int
        A claim more than this many days past the day of a step it never had
        (an old claim of a ledger that logs no reminders, a file taken over)
        moves to the step proper to its age, planned from ``as_of`` (not
        "late" since the day of the first reminder); never to court without a
        formal notice.

    Examples
    --------
    >>> EscalationPolicy(call_day=10).call_day
    10
    """

    courtesy_days_before: int = 5
    courtesy_min_eur: float = 5000.0
    courtesy_max_p: float = 0.5
    reminder_day: int = 7
    call_day: int = 15
    second_letter_day: int = 30
    visit_day: int = 40
    formal_notice_day: int = 45
    court_day: int = 60
    visit_min_eur: float | None = 10_000.0
    notice_deadline_days: int = 10
    min_gap_days: int = 7
    promise_grace_days: int = 3
    recall_days: int = 14
    catch_up_days: int = 30


#: Next-best-action codes -> (channel, French label, English label).
ACTIONS: dict[str, tuple[str, str, str]] = {
    "courtesy_reminder": ("email", "rappel de courtoisie avant échéance", "courtesy reminder"),
    "reminder_letter": ("letter", "lettre de relance", "reminder letter"),
    "call": ("phone", "appel", "call"),
    "second_letter": ("letter", "seconde lettre de relance", "second reminder letter"),
    "visit": ("visit", "visite", "visit"),
    "formal_notice": ("registered_letter", "mise en demeure (LRAR)", "formal notice"),
    "court": ("court", "procédure judiciaire", "court route"),
    "agency": ("agency", "confier à une agence", "hand to an agency"),
    "declare_claim": ("declaration", "déclarer la créance", "declare the claim"),
    "write_off": ("internal", "passer en perte", "write off"),
    "resolve_dispute": ("phone", "résoudre le litige", "resolve the dispute"),
    "wait_promise": ("none", "attendre la promesse", "wait for the promise"),
    "follow_court_case": ("court", "suivre la procédure", "follow the court case"),
    "not_due": ("none", "pas encore échue", "not yet due"),
}
#: Actions that are a letter, an email or a formal notice (the ``letters`` list).
LETTER_ACTIONS: tuple[str, ...] = (
    "courtesy_reminder",
    "reminder_letter",
    "second_letter",
    "formal_notice",
)


def _action_labels(lang: str) -> dict[str, str]:
    """Action code -> its French (``lang="fr"``) or English label."""
    return {k: v[1 if lang == "fr" else 2] for k, v in ACTIONS.items()}


_LADDER = ("reminder_letter", "call", "second_letter", "visit", "formal_notice", "court")


def _col(df: pd.DataFrame, name: str, default: Any) -> pd.Series:
    return df[name] if name in df.columns else pd.Series(default, index=df.index)


def next_best_action(
    state: pd.DataFrame,
    judicial: pd.DataFrame | None = None,
    policy: EscalationPolicy | None = None,
) -> pd.DataFrame:
    """The next step of the escalation scenario for every open claim, and when.

    Rules, first match wins: insolvency -> declare the claim (by the
    declaration deadline) or write it off when the judicial module says so;
    a court filing exists -> follow the court case; open dispute -> resolve
    it; not yet due -> a courtesy reminder ``courtesy_days_before`` the due
    date for large (``courtesy_min_eur``) or risky (``p_amicable <
    courtesy_max_p``) invoices not reminded yet, else nothing; a promise
    pending -> wait until the promised date + grace; otherwise the step after
    the furthest one done (reminder, call, second letter, visit, mise en
    demeure, court). A step is dated ``due_date + its day``, at least
    ``min_gap_days`` after the last action (court: after the notice deadline);
    a claim more than ``catch_up_days`` past a step's day moves to the step
    proper to its age, planned from ``as_of``.
    At the court step the judicial module's ``recommended_route`` decides: a
    court route, write-off, an agency, or (continuing amicably) another call
    ``recall_days`` after the last action.

    Parameters
    ----------
    state : pandas.DataFrame
        Claim state (``docs/state-contract.md``), optionally with ``p_amicable``;
        only rows with ``is_open`` are used.
    judicial : pandas.DataFrame, optional
        :func:`~recovery_analytics.judicial.judicial_assessment` output
        (``claim_id, recommended_route, declaration_deadline``). Without it
        the court step means "court" with no route named.
    policy : EscalationPolicy, optional

    Returns
    -------
    pandas.DataFrame
        One row per open claim, sorted by ``claim_id``: ``claim_id, debtor_id,
        as_of, outstanding_eur, days_past_due, action`` (a key of
        :data:`ACTIONS`), ``channel, action_date, late`` (the action was due
        before as_of), ``route`` (the court route, or NA).

    Examples
    --------
    >>> st = pd.DataFrame({"claim_id": ["C1"], "debtor_id": ["D1"], "is_open": [True],
    ...     "as_of": [pd.Timestamp("2026-06-30")], "due_date": [pd.Timestamp("2026-06-20")],
    ...     "outstanding_eur": [800.0], "days_past_due": [10], "n_reminders": [0]})
    >>> out = next_best_action(st)
    >>> out.loc[0, "action"], str(out.loc[0, "action_date"].date())
    ('reminder_letter', '2026-06-27')
    """
    pol = policy or EscalationPolicy()
    st = state[_col(state, "is_open", True).to_numpy(dtype=bool)]
    st = st.sort_values("claim_id", kind="stable").reset_index(drop=True)
    as_of = _dates(st, "as_of")
    due = _dates(st, "due_date")
    dpd = st["days_past_due"].to_numpy(dtype="int64")
    n_reminders = _col(st, "n_reminders", 0).fillna(0).to_numpy(dtype="float64")
    rec, deadline = _judicial_route(st, judicial)
    filed = ~np.isnat(_dates(st, "judicial_filing_date")) | (
        _col(st, "stage_rank", 0).fillna(0).to_numpy(dtype="float64") >= 5
    )
    ladder, planned = _ladder(st, pol, rec, filed)

    insolvent = _col(st, "insolvency_status", "none").fillna("none").astype("str") != "none"
    insolvent = insolvent.to_numpy(dtype=bool)
    dispute = _col(st, "open_dispute", False).fillna(False).to_numpy(dtype=bool)
    pending = _col(st, "promise_pending", False).fillna(False).to_numpy(dtype=bool)
    p_am = _col(st, "p_amicable", np.nan).to_numpy(dtype="float64")
    amount = _col(st, "amount", 0.0).fillna(0).to_numpy(dtype="float64")
    outstanding = st["outstanding_eur"].to_numpy(dtype="float64")
    courtesy = (np.maximum(amount, outstanding) >= pol.courtesy_min_eur) | (
        p_am < pol.courtesy_max_p
    )
    courtesy &= n_reminders == 0
    promise = _dates(st, "next_promise_date") + pol.promise_grace_days * _DAY
    # first match wins: (condition, action, date)
    rules = [
        (insolvent & (rec == "write_off"), "write_off", as_of),
        (insolvent, "declare_claim", np.where(np.isnat(deadline), as_of, deadline)),
        (rec == "enforce_title", "court", as_of),  # a title to enforce
        (filed, "follow_court_case", as_of),
        (dispute, "resolve_dispute", as_of),
        ((dpd <= 0) & courtesy, "courtesy_reminder", due - pol.courtesy_days_before * _DAY),
        (dpd <= 0, "not_due", due + _DAY),
        (pending, "wait_promise", promise),
    ]
    conds = [r[0] for r in rules]
    action = np.select(conds, [r[1] for r in rules], ladder)
    when = np.select(conds, [r[2] for r in rules], planned)
    route = np.where(action == "court", rec, None)
    return pd.DataFrame(
        {
            "claim_id": st["claim_id"].astype("str"),
            "debtor_id": st["debtor_id"].astype("str"),
            "as_of": pd.to_datetime(st["as_of"]).astype("datetime64[ns]"),
            "outstanding_eur": outstanding,
            "days_past_due": dpd,
            "action": pd.Series(action, dtype="str"),
            "channel": pd.Series(action).map({k: v[0] for k, v in ACTIONS.items()}).astype("str"),
            "action_date": pd.Series(when).astype("datetime64[ns]"),
            "late": when < as_of,
            "route": pd.Series(route, dtype="str"),
        }
    )


def _dates(st: pd.DataFrame, name: str) -> np.ndarray:
    return pd.to_datetime(_col(st, name, pd.NaT)).to_numpy(dtype="datetime64[D]")


def _judicial_route(st: pd.DataFrame, judicial: pd.DataFrame | None):
    """Per claim of ``st``: the judicial module's recommended route and declaration deadline."""
    rec = np.full(len(st), "continue_amicable", dtype=object)
    deadline = np.full(len(st), np.datetime64("NaT"), dtype="datetime64[D]")
    if judicial is not None and len(judicial):
        j = judicial.drop_duplicates("claim_id").set_index("claim_id")
        route = j["recommended_route"].reindex(st["claim_id"]).fillna("continue_amicable")
        rec = route.astype("str").to_numpy(dtype=object)
        if "declaration_deadline" in j:
            dl = pd.to_datetime(j["declaration_deadline"].reindex(st["claim_id"]))
            deadline = dl.to_numpy(dtype="datetime64[D]")
    return rec, deadline


def _ladder(st: pd.DataFrame, pol: EscalationPolicy, rec: np.ndarray, filed: np.ndarray):
    """The step after the furthest one done on each claim, and its planned date."""
    from recovery_analytics.judicial import COURT_ROUTES

    num = {
        c: _col(st, c, 0).fillna(0).to_numpy(dtype="float64")
        for c in ("n_reminders", "n_call_attempts", "n_formal_notices", "stage_rank")
    }
    done = np.column_stack(
        [
            num["n_reminders"] >= 1,
            num["n_call_attempts"] >= 1,
            (num["n_reminders"] >= 2) & (num["n_call_attempts"] >= 1),
            num["stage_rank"] >= 3,
            (num["n_formal_notices"] >= 1) | (num["stage_rank"] >= 4),
            filed,
        ]
    ).reshape(len(st), len(_LADDER))
    reached = np.where(done, np.arange(1, len(_LADDER) + 1), 0).max(axis=1, initial=0)
    exposure = _col(st, "debtor_open_exposure_eur", 0.0).fillna(0).to_numpy(dtype="float64")
    b2b = _col(st, "debtor_type", "B2B").astype("str").to_numpy(dtype=object) == "B2B"
    visit_ok = (pol.visit_min_eur is not None) & b2b & (exposure >= (pol.visit_min_eur or 0))
    offsets = np.array([0, pol.reminder_day, pol.call_day, pol.second_letter_day, pol.visit_day,
                        pol.formal_notice_day, pol.court_day])  # fmt: skip
    # a claim far past a step (more than `catch_up_days` after its day) moves to the step
    # proper to its age -- never to court without a formal notice -- planned from as_of
    dpd = st["days_past_due"].to_numpy(dtype="int64")
    by_age = (offsets[1:][None, :] + pol.catch_up_days <= dpd[:, None]).sum(axis=1)
    noticed = (num["n_formal_notices"] >= 1) | (num["stage_rank"] >= 4) | filed
    by_age = np.where(noticed, by_age, np.minimum(by_age, 5))
    step = np.minimum(reached + 1, len(_LADDER))
    caught_up = by_age > step
    step = np.maximum(step, by_age)
    step = np.where((step == 4) & ~visit_ok, 5, step)
    due = _dates(st, "due_date")
    last_action = _dates(st, "last_action_date")
    gap = np.where(np.isnat(last_action), due, last_action + pol.min_gap_days * _DAY)
    planned = np.maximum(due + offsets[step] * _DAY, gap)
    planned = np.where(caught_up, np.maximum(_dates(st, "as_of"), gap), planned)
    notice = _dates(st, "formal_notice_date")
    planned = np.where(
        (step == 6) & ~np.isnat(notice),
        np.maximum(planned, notice + pol.notice_deadline_days * _DAY),
        planned,
    )
    ladder = np.asarray(_LADDER, dtype=object)[step - 1]
    # at the court step, the judicial module's recommendation decides
    court_step = step == 6
    is_court = np.isin(rec, COURT_ROUTES)
    ladder = np.where(court_step & is_court, "court", ladder)
    ladder = np.where(court_step & (rec == "write_off"), "write_off", ladder)
    ladder = np.where(court_step & (rec == "agency"), "agency", ladder)
    recall = court_step & ~is_court & ~np.isin(rec, ["write_off", "agency"])
    ladder = np.where(recall, "call", ladder)
    planned = np.where(
        recall, np.maximum(planned, gap + (pol.recall_days - pol.min_gap_days) * _DAY), planned
    )
    return ladder, planned
