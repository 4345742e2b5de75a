"""The collectors' call queue: who to call today, why, and what else to send this week.

:func:`build_call_queue` turns a portfolio at an ``as_of`` date into a
:class:`CallQueue`: one line per debtor to call (all of its overdue claims in
one call), ranked by the euros a call is expected to bring net of its cost per
minute of collector time, cut to the team's capacity and assigned to
collectors; every other debtor with an overdue claim is in ``excluded`` with a
visible reason. The letters, emails and formal notices due this week go to
their own list.

The pieces live in their own modules of the stage: ``_phones`` (French phone
numbers), ``_escalation`` (the next best action of every open claim),
``_value`` (the uplift of a reached call from the history and the value of a
call), ``_debtors`` (the debtor frame and the eligibility rules) and
``_tables`` (the output tables). The method and its limits are in ``docs/call-queue.md``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from recovery_analytics.portfolio import Portfolio
from recovery_analytics.queue import _debtors as _qd
from recovery_analytics.queue import _tables as _qt
from recovery_analytics.queue._escalation import (
    EscalationPolicy,
    next_best_action,
)
from recovery_analytics.queue._policy_eval import learned_vs_largest_first
from recovery_analytics.queue._uplift import CallEffects, estimate_call_effects
from recovery_analytics.queue._value import estimate_call_uplift

__all__ = [
    "CHANNEL_COSTS",
    "DEFAULT_CALL_MINUTES",
    "CallQueue",
    "build_call_queue",
]

#: Cost of a letter and of a formal notice (registered letter), euros: assumptions.
CHANNEL_COSTS: dict[str, float] = {"letter": 1.50, "formal_notice": 8.00}

#: Talk minutes of a reached call, looked up by ``segment`` then ``debtor_type``.
DEFAULT_CALL_MINUTES: dict[str, float] = {"grand compte": 12.0, "B2B": 8.0, "B2C": 6.0}


@dataclass
class CallQueue:
    """The team's week: the call queue and every list that goes with it.

    Attributes
    ----------
    queue : pandas.DataFrame
        One row per debtor to call, ranked (``rank`` 1 = call first), with its
        ``collector`` (columns in ``docs/call-queue.md``).
    claims : pandas.DataFrame
        The overdue open claims behind each queue line.
    excluded : pandas.DataFrame
        Every other debtor with an overdue open claim, with ``reason``
        (a key of :data:`EXCLUSION_REASONS`), ``reason_label`` and ``detail``.
    disputes : pandas.DataFrame
        Open disputed claims (the disputes to resolve), oldest first.
    contact_to_check : pandas.DataFrame
        Debtors whose phone is missing or malformed, largest outstanding first.
    letters : pandas.DataFrame
        Letters, emails and formal notices due this week (as_of to as_of + 6
        days, or late), one row per debtor and action.
    summary : pandas.DataFrame
        One row per collector: debtors, expected minutes, capacity, euros.
    actions : pandas.DataFrame
        :func:`next_best_action` for every open claim.
    uplift : pandas.DataFrame
        :func:`estimate_call_uplift` used for the values.
    debtors : pandas.DataFrame
        One row per debtor with an overdue open claim (queue + excluded):
        ``debtor_id, open_claims, total_outstanding_eur,
        oldest_days_past_due, callable_claims, callable_outstanding_eur,
        p_amicable, expected_recovery_eur, reach_rate, call_eur, net_eur,
        value_per_minute, letter_eur, formal_notice_eur`` (NA where the
        history does not allow them) ``, best_channel, reason`` (NA when
        queued) ``, collector`` (NA when excluded); no personal data.
    as_of : pandas.Timestamp
    parameters : dict
    timings : dict
        Seconds spent in each stage (``state, score, judicial, actions,
        uplift, queue, reasons``).
    effects : CallEffects or None
        The effects of a call learned from the history
        (:func:`estimate_call_effects`); its ``method`` says whether they or
        the age-bucket lift (the fallback, with its reason) valued the calls.
    channel_effects : dict
        ``letter`` / ``formal_notice`` -> the same learner on those actions;
        ``parameters["channels"]`` says which the history allows to use.
    """

    queue: pd.DataFrame
    claims: pd.DataFrame
    excluded: pd.DataFrame
    disputes: pd.DataFrame
    contact_to_check: pd.DataFrame
    letters: pd.DataFrame
    summary: pd.DataFrame
    actions: pd.DataFrame
    uplift: pd.DataFrame
    debtors: pd.DataFrame
    as_of: pd.Timestamp
    parameters: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    effects: CallEffects | None = None
    channel_effects: dict[str, CallEffects] = field(default_factory=dict)


def _assign(
    cand: pd.DataFrame,
    names: list[str],
    calls_cap: int | None,
    minutes_cap: float | None,
    skills: Mapping[str, Sequence[str]] | None,
    max_per_segment: Mapping[str, int] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Greedy assignment in rank order; returns (collector or None, reason or None)."""
    k = len(names)
    n_calls = np.zeros(k, dtype=int)
    minutes = np.zeros(k)
    euros = np.zeros(k)
    seg_count: list[dict[str, int]] = [{} for _ in range(k)]
    types, langs = [], []
    for nm in names:
        sk = {str(s) for s in (skills or {}).get(nm, ())}
        t = {s.upper() for s in sk if s.upper() in ("B2B", "B2C")}
        types.append(t)
        langs.append({s.lower() for s in sk if s.upper() not in ("B2B", "B2C")})
    caps = max_per_segment or {}
    collector = np.full(len(cand), None, dtype=object)
    reason = np.full(len(cand), None, dtype=object)
    dt = cand["debtor_type"].to_numpy(dtype=object)
    lang = cand["language"].to_numpy(dtype=object)
    seg = cand["segment"].to_numpy(dtype=object)
    mins = cand["expected_minutes"].to_numpy(dtype="float64")
    eur = cand["call_eur"].to_numpy(dtype="float64")
    prev = cand["previous_collector"].to_numpy(dtype=object)
    full = np.zeros(k, dtype=bool)
    for i in range(len(cand)):
        if full.all():
            reason[i:] = "below_capacity"
            break
        skilled = [
            j
            for j in range(k)
            if (not types[j] or dt[i] in types[j])
            and (not langs[j] or str(lang[i]).lower() in langs[j])
        ]
        if not skilled:
            reason[i] = "no_matching_collector"
            continue
        room = [
            j
            for j in skilled
            if (calls_cap is None or n_calls[j] < calls_cap)
            and (minutes_cap is None or minutes[j] + mins[i] <= minutes_cap)
        ]
        ok = [j for j in room if seg[i] not in caps or seg_count[j].get(seg[i], 0) < caps[seg[i]]]
        if not ok:
            reason[i] = "segment_cap" if room else "below_capacity"
            continue
        by_name = [j for j in ok if names[j] == prev[i]]
        j = by_name[0] if by_name else min(ok, key=lambda q: (euros[q], n_calls[q], q))
        collector[i] = names[j]
        n_calls[j] += 1
        minutes[j] += mins[i]
        euros[j] += eur[i]
        seg_count[j][seg[i]] = seg_count[j].get(seg[i], 0) + 1
        full[j] = (calls_cap is not None and n_calls[j] >= calls_cap) or (
            minutes_cap is not None and minutes[j] + 1.0 > minutes_cap
        )
    return collector, reason


def _not_kept_reason(check: dict) -> str:
    """Why learned effects are not used, in words (translated by ``_summary._reason_fr``)."""
    if not check["weeks"]:
        return "learned effects not checked: no week of the history to compare"
    return (
        "learned effects do not beat largest first on the history: doubly robust difference "
        f"{check['dr_diff_eur']:+.0f} EUR a week [{check['dr_diff_low']:+.0f}; "
        f"{check['dr_diff_high']:+.0f}] over {check['weeks']} weeks at {check['capacity']} calls"
    )


def build_call_queue(
    portfolio: Portfolio,
    model: Any,
    as_of: Any,
    *,
    collectors: int | Sequence[str] = 3,
    calls_per_collector: int | None = 40,
    minutes_per_day: float | None = None,
    cooloff_days: int = 7,
    max_attempts_30d: int = 4,
    call_minutes: Mapping[str, float] | None = None,
    minute_cost_eur: float = 0.60,
    call_cost_eur: float = 0.0,
    judicial: pd.DataFrame | bool | None = None,
    schedule: Any = None,
    lang: str = "fr",
    skills: Mapping[str, Sequence[str]] | None = None,
    max_per_segment: Mapping[str, int] | None = None,
    policy: EscalationPolicy | None = None,
    uplift: pd.DataFrame | None = None,
    broken_promise_boost: float = 1.25,
    reasons: bool = True,
    effects: CallEffects | bool | None = None,
    channel_costs: Mapping[str, float] | None = None,
    check_effects: bool = True,
) -> CallQueue:
    """Build the prioritised call queue of the day, and the week's other lists.

    Parameters
    ----------
    portfolio : Portfolio
    model : AmicableModel or None
        Fitted amicable model. None: the judicial module's prior by days past
        due gives ``p_amicable`` and ``expected_recovery_eur = p x outstanding``.
    as_of : date-like
    collectors : int or sequence of str, default 3
        Number of collectors (named ``C01``, ``C02``...) or their names.
    calls_per_collector : int or None, default 40
    minutes_per_day : float or None
        Expected minutes per collector (both caps apply when both are given).
    cooloff_days : int, default 7
        No call to a debtor called (dialled) fewer than this many days ago.
    max_attempts_30d : int, default 4
        No call to a debtor dialled on this many distinct days in the last 30.
    call_minutes : mapping, optional
        Talk minutes of a reached call by ``segment`` or ``debtor_type``
        (``"default"`` for the rest); default :data:`DEFAULT_CALL_MINUTES`.
        Half a minute is added per extra claim (at most 10).
    minute_cost_eur, call_cost_eur : float
        Cost of a collector minute and fixed cost of a dial.
    judicial : DataFrame, bool or None
        A :func:`~recovery_analytics.judicial.judicial_assessment` frame; None
        computes it; False skips it (no claim is routed to court).
    schedule : CostSchedule, optional
        Cost schedule of the judicial assessment computed here (default: shipped).
    lang : {"fr", "en"}
        Language of labels, suggested actions and talking points.
    skills : mapping, optional
        ``collector -> skills``: ``"B2B"``/``"B2C"`` and language codes
        (``"fr"``, ``"en"``; a debtor's language is the ``language`` column of
        ``debtors``, else ``fr``). A collector without a kind of skill takes all.
    max_per_segment : mapping, optional
        ``segment -> maximum calls per collector`` (``segment`` column of
        ``debtors``, else ``debtor_type``).
    policy : EscalationPolicy, optional
    uplift : DataFrame, optional
        :func:`estimate_call_uplift` output (computed if None).
    broken_promise_boost : float, default 1.25
        A debtor with a broken promise on a callable claim has its call value
        multiplied by this (it moves up the queue).
    reasons : bool, default True
        Compute the model's reasons (talking points) for the queued debtors.
    effects : CallEffects, bool or None
        The incremental euros of a call learned from the history
        (:func:`estimate_call_effects`, computed if None); False values calls
        with the age-bucket lift alone. When the history has too little
        variation the lift is used and ``parameters["call_value_method"]``
        says so, with ``parameters["call_value_fallback"]``. When the call
        effects are learned here, the effects of a letter and of a formal
        notice are learned the same way; where the history allows (the
        learner fitted, at least half of today's claims inside its overlap),
        the debtor's ``best_channel`` compares the call's net euros with
        theirs net of ``channel_costs``, and the suggested action says when a
        letter or a formal notice would bring more.
    channel_costs : mapping, optional
        Cost of a ``letter`` and of a ``formal_notice`` (default
        :data:`CHANNEL_COSTS`: 1.50 € and 8.00 €, assumptions).
    check_effects : bool, default True
        Use learned effects only when they beat largest-first on the history
        (:func:`learned_vs_largest_first` at the team's weekly capacity: the
        interval of the paired doubly robust difference above zero);
        otherwise the lift values the calls and the fallback says why
        (``parameters["call_value_check"]`` holds the comparison).

    Returns
    -------
    CallQueue

    Examples
    --------
    >>> from recovery_analytics.demo import generate_demo
    >>> cq = build_call_queue(generate_demo(150, seed=2), None, "2026-06-30",
    ...                       collectors=2, calls_per_collector=5)
    >>> len(cq.queue) <= 10, sorted(cq.summary["collector"])
    (True, ['C01', 'C02'])
    """
    from recovery_analytics.amicable import attach_attributes
    from recovery_analytics.judicial import judicial_assessment
    from recovery_analytics.state import HISTORY_DAYS, portfolio_state

    if lang not in _qt._TEXT:
        raise ValueError(f"lang must be 'fr' or 'en', got {lang!r}")
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def tick(name: str) -> None:
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 4)
        clock[0] = now

    as_of = pd.Timestamp(as_of).normalize()
    names = (
        [f"C{i:02d}" for i in range(1, int(collectors) + 1)]
        if isinstance(collectors, int)
        else [str(c) for c in collectors]
    )
    # The model's features are computed as in its training: same look-back of
    # the debtor history, and every column it needs (extra features included).
    history_days = getattr(model, "history_days_", HISTORY_DAYS) if model else HISTORY_DAYS
    state = portfolio_state(portfolio, as_of, history_days=history_days)
    open_ = attach_attributes(
        state[state["is_open"].to_numpy()].reset_index(drop=True),
        portfolio,
        columns=model.required_columns() if model is not None else (),
    )
    tick("state")
    if model is not None:
        sc = model.score_frame(open_)
        open_["p_amicable"] = sc["p_amicable"].to_numpy()
        open_["expected_recovery_eur"] = sc["expected_recovery_eur"].to_numpy()
    tick("score")
    jud = judicial if isinstance(judicial, pd.DataFrame) else None
    if jud is None and (judicial is None or model is None):
        jud = judicial_assessment(open_, schedule, as_of=as_of)
    if model is None:
        p = jud.set_index("claim_id")["p_amicable_used"].reindex(open_["claim_id"]).to_numpy()
        open_["p_amicable"] = p
        open_["expected_recovery_eur"] = p * open_["outstanding_eur"].to_numpy()
    if judicial is False:
        jud = None
    tick("judicial")
    actions = next_best_action(open_, jud, policy)
    tick("actions")
    up = uplift if uplift is not None else estimate_call_uplift(portfolio, as_of)
    fx = effects if isinstance(effects, CallEffects) else None
    channel_fx: dict[str, CallEffects] = {}
    if effects is None:
        fx = estimate_call_effects(portfolio, as_of)
        if fx.method != "age_bucket_lift":
            channel_fx = {c: estimate_call_effects(portfolio, as_of, channel=c)
                          for c in ("letter", "formal_notice")}  # fmt: skip
    tick("uplift")

    cl, overdue, callable_ = _qd._claims(open_, actions, up)
    learned = fx is not None and fx.method != "age_bucket_lift"
    check, not_kept = None, None
    if learned and check_effects:
        # the team's calls a week (a minutes budget read as calls of ~8 minutes)
        per = calls_per_collector or max(1, int((minutes_per_day or 0) // 8))
        check = learned_vs_largest_first(fx, len(names) * per)
        if not check["beats"]:
            learned, not_kept = False, _not_kept_reason(check)
    if learned:
        eff = fx.claims.set_index("claim_id")["effect_eur"]
        callable_ = callable_.assign(
            effect_eur=eff.reindex(callable_["claim_id"]).fillna(0.0).to_numpy()
        )
    deb = _qd._debtors(portfolio, as_of, state, cl, overdue, callable_)
    minutes_map = dict(DEFAULT_CALL_MINUTES if call_minutes is None else call_minutes)
    deb = _qd._value(
        deb,
        callable_,
        up,
        minutes_map,
        minute_cost_eur=minute_cost_eur,
        call_cost_eur=call_cost_eur,
        broken_promise_boost=broken_promise_boost,
    )
    costs = {**CHANNEL_COSTS, **dict(channel_costs or {})}
    deb, channels = _qd._channels(deb, callable_, channel_fx, costs)
    deb["reason"] = _qd._reasons(deb, as_of, cooloff_days, max_attempts_30d)
    cand = deb[pd.isna(deb["reason"]).to_numpy()].sort_values(
        ["value_per_minute", "debtor_id"], ascending=[False, True], kind="stable"
    )
    collector, why = _assign(
        cand, names, calls_per_collector, minutes_per_day, skills, max_per_segment
    )
    deb.loc[cand.index, "reason"] = why
    deb["collector"] = pd.Series(pd.NA, index=deb.index, dtype="str")
    deb.loc[cand.index, "collector"] = collector
    tick("queue")

    queued = deb.loc[cand.index[pd.notna(collector)]].copy()
    queued["rank"] = np.arange(1, len(queued) + 1)
    queued["collector_rank"] = queued.groupby("collector").cumcount() + 1
    queue = _qt._queue_table(queued, callable_, overdue, model, open_, lang, reasons)
    tick("reasons")
    lists = _qt._lists(deb, cl, actions, as_of, portfolio.debtors)
    params = {
        "collectors": names,
        "calls_per_collector": calls_per_collector,
        "minutes_per_day": minutes_per_day,
        "cooloff_days": cooloff_days,
        "max_attempts_30d": max_attempts_30d,
        "call_minutes": minutes_map,
        "minute_cost_eur": minute_cost_eur,
        "call_cost_eur": call_cost_eur,
        "lang": lang,
        "broken_promise_boost": broken_promise_boost,
        "call_value_method": fx.method if learned else "age_bucket_lift",
        "call_value_fallback": (
            None
            if learned
            else not_kept
            or (fx.fallback_reason if fx is not None else "call effects not asked for")
        ),
        "call_value_check": check,
        "channels": channels,
        "channel_costs": costs,
    }
    return CallQueue(
        queue=queue,
        claims=_qt._claims_table(queue, overdue),
        excluded=_qt._excluded_table(deb, lang),
        disputes=lists["disputes"],
        contact_to_check=lists["contact_to_check"],
        letters=lists["letters"],
        summary=_qt._summary(queue, names, calls_per_collector, minutes_per_day),
        actions=actions,
        uplift=up,
        debtors=deb[list(_qt._DEBTOR_COLUMNS)].astype({"reason": "str"}),
        as_of=as_of,
        parameters=params,
        timings=timings,
        effects=fx,
        channel_effects=channel_fx,
    )
