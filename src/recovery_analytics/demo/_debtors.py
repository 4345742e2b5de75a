"""Debtors of the demo portfolio: visible attributes and latent payment traits.

Private helper of :mod:`recovery_analytics.demo`. Everything is drawn from one
``numpy.random.Generator`` passed in, in a fixed order, with vectorised numpy /
pandas operations (no Python loop over debtors).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from recovery_analytics.demo._lists import _DEPTS, _FIRST_F, _FIRST_M, _SECTORS, _SURNAMES

__all__: list[str] = []

# -- reference lists (small, fixed; loops over them do not grow with the portfolio) ------


_SEGMENTS = ("grand compte", "PME", "TPE", "particulier")
#: mean number of invoices per debtor over the history, by segment
SEGMENT_CLAIMS = np.array([30.0, 10.0, 4.0, 2.5])
_B2B_SEGMENT_P = np.array([0.06, 0.34, 0.60])
B2B_SHARE = 0.6
_SEGMENT_QUALITY = np.array([0.5, 0.2, -0.2, -0.1])
_B2C_DOMAINS = (
    "gmail.com",
    "orange.fr",
    "free.fr",
    "hotmail.fr",
    "laposte.net",
    "sfr.fr",
    "wanadoo.fr",
    "yahoo.fr",
)
_B2B_MAILBOX = ("contact", "compta", "comptabilite", "facturation", "direction", "accueil")

INSOLVENCY = ("none", "sauvegarde", "redressement", "liquidation")
#: multiplier of the probability that a debtor goes through a distress episode in the span
DISTRESS_SCALE = 1.2


def _slug(word: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return ascii_.lower().replace(" ", "-")


def _strs(values) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=object), dtype="str")


def _siren(rng: np.random.Generator, n: int) -> pd.Series:
    """Nine-digit SIREN numbers whose last digit is the Luhn check digit."""
    body = rng.integers(0, 10, size=(n, 8))
    body[:, 0] = rng.integers(3, 10, size=n)  # real SIREN rarely start with 0-2
    weighted = body.copy()
    doubled = weighted[:, 1::2] * 2  # from the right, positions 2, 4, 6, 8 are doubled
    weighted[:, 1::2] = doubled - 9 * (doubled > 9)
    check = (10 - weighted.sum(axis=1) % 10) % 10
    number = body @ (10 ** np.arange(8, 0, -1)) + check
    return pd.Series(number.astype(str), dtype="str")


def _phones(rng, n, landline, mobile, use_mobile) -> tuple[pd.Series, np.ndarray]:
    """French phone numbers in the formats found in real files; 0 ok, 1 missing, 2 malformed."""
    prefix = np.where(use_mobile, mobile, landline)
    mobile7 = use_mobile & (mobile == "06") & (rng.random(n) < 0.3)
    prefix = np.where(mobile7, "07", prefix)
    rest = rng.integers(0, 10**8, size=n).astype(str)
    digits = (_strs(prefix) + _strs(rest).str.zfill(8)).str[:10]
    pairs = [digits.str[i : i + 2] for i in range(0, 10, 2)]
    spaced = pairs[0] + " " + pairs[1] + " " + pairs[2] + " " + pairs[3] + " " + pairs[4]
    dotted = pairs[0] + "." + pairs[1] + "." + pairs[2] + "." + pairs[3] + "." + pairs[4]
    intl = "+33 " + digits.str[1:2] + " " + pairs[1] + " " + pairs[2] + " " + pairs[3] + " "
    intl = intl + pairs[4]
    fmt = rng.choice(4, size=n, p=[0.6, 0.2, 0.12, 0.08])
    phone = spaced.where(fmt == 0, digits.where(fmt == 1, intl.where(fmt == 2, dotted)))
    status = rng.choice(3, size=n, p=[0.88, 0.10, 0.02])
    bad_kind = rng.random(n) < 0.5
    malformed = (spaced.str[:11]).where(bad_kind, "00 00 00 00 00")
    phone = phone.where(status != 2, malformed).where(status != 1, pd.NA)
    return phone, status


@dataclass
class DebtorDraw:
    """The debtors table plus the latent traits the simulation needs (one entry per debtor)."""

    table: pd.DataFrame
    is_b2b: np.ndarray
    segment: np.ndarray  # index into _SEGMENTS
    sector: np.ndarray  # index into _SECTORS, -1 for B2C
    quality: np.ndarray  # latent credit quality (higher = better payer)
    chronic: np.ndarray  # chronic late payer
    noise: np.ndarray  # (n, 4) debtor-specific noise for reach / resp / keep / formal notice
    distress_start: np.ndarray  # day (relative to as_of) a deterioration starts, inf if none
    distress_end: np.ndarray  # day it ends (insolvency, exit or recovery), inf if none
    last_invoice: np.ndarray  # last day the debtor is invoiced (<= 0)
    insolvency_day: np.ndarray  # day of the BODACC publication, inf if none (<= 0 if any)
    insolvency_code: np.ndarray  # index into INSOLVENCY
    phone_status: np.ndarray  # 0 ok, 1 missing, 2 malformed
    mobile: np.ndarray  # the phone is a mobile (SMS possible)
    has_email: np.ndarray
    terms: np.ndarray  # payment terms in days
    creditor: np.ndarray  # index of the creditor (agency client)
    n_claims: np.ndarray
    dispute_mult: np.ndarray
    amount_mult: np.ndarray
    habit: np.ndarray  # the debtor's own payment delay multiplier (its habit)
    slow_bias: np.ndarray  # the debtor's own leaning to pay months late or never
    drift_day: np.ndarray  # day its habit changes (inf: never)
    drift: np.ndarray  # the habit multiplier after drift_day
    responder: np.ndarray  # index into RESPONDER_TYPES: how the debtor responds to a call


def draw_debtors(rng: np.random.Generator, n: int, history_days: int, span_days: int) -> DebtorDraw:
    """Draw ``n`` debtors with visible attributes and latent behaviour.

    Invoices are simulated over ``span_days`` before as_of (the exported
    ``history_days`` plus a burn-in); ``n_claims`` counts them over the span.
    """
    is_b2b = rng.random(n) < B2B_SHARE
    segment = np.where(is_b2b, rng.choice(3, size=n, p=_B2B_SEGMENT_P), 3)
    w = np.array([s[0] for s in _SECTORS])
    sector = np.where(is_b2b, rng.choice(len(_SECTORS), size=n, p=w / w.sum()), -1)
    sec = np.maximum(sector, 0)
    sector_q = np.array([s[1] for s in _SECTORS])[sec] * is_b2b
    quality = rng.standard_normal(n) + sector_q + _SEGMENT_QUALITY[segment]
    chronic = rng.random(n) < 1 / (1 + np.exp(2.0 + 0.8 * quality))
    noise = rng.standard_normal((n, 4))

    # distress: an episode that starts at some date (spread evenly over the simulated span,
    # so that the share of debtors in distress does not drift) and ends after 4-24 months:
    # 60 % of the distressed B2B debtors end in a collective procedure published in the
    # BODACC; the others either stop buying (exit) or recover.
    p_distress = 1 / (1 + np.exp(2.6 + 0.9 * quality)) * np.where(is_b2b, 1.0, 0.6)
    distressed = rng.random(n) < p_distress * DISTRESS_SCALE
    start = rng.uniform(-span_days - 720, 0, size=n)
    distress_start = np.where(distressed, start, np.inf)
    ins_day = np.floor(start + rng.uniform(120, 540, size=n))
    insolvent = distressed & is_b2b & (rng.random(n) < 0.6) & (ins_day <= 0)
    insolvent &= ins_day > -span_days + 30
    insolvency_day = np.where(insolvent, ins_day, np.inf)
    code = np.where(insolvent, rng.choice([1, 2, 3], size=n, p=[0.1, 0.3, 0.6]), 0)
    end = np.where(insolvent, ins_day, np.floor(start + rng.uniform(180, 720, size=n)))
    distress_end = np.where(distressed, end, np.inf)
    exits = distressed & ~insolvent & (rng.random(n) < 0.5) & (end > -span_days + 30)
    last_invoice = np.where(insolvent, ins_day - 1, np.where(exits & (end < 0), end, 0.0))

    depts = list(_DEPTS)
    dw = np.array([_DEPTS[d][0] for d in depts])
    dept = rng.choice(len(depts), size=n, p=dw / dw.sum())
    landline = np.array([_DEPTS[d][1] for d in depts])[dept]
    mobile_pfx = np.array([_DEPTS[d][2] for d in depts])[dept]
    mobile = rng.random(n) < np.where(is_b2b, 0.3, 0.85)
    phone, phone_status = _phones(rng, n, landline, mobile_pfx, mobile)

    surname_i = rng.integers(0, len(_SURNAMES), size=n)
    female = rng.random(n) < 0.5
    first_f = rng.integers(0, len(_FIRST_F), size=n)
    first_m = rng.integers(0, len(_FIRST_M), size=n)
    surnames = np.array(_SURNAMES, dtype=object)[surname_i]
    first = np.where(
        female, np.array(_FIRST_F, dtype=object)[first_f], np.array(_FIRST_M, dtype=object)[first_m]
    )
    first_slug = np.where(
        female,
        np.array([_slug(x) for x in _FIRST_F], dtype=object)[first_f],
        np.array([_slug(x) for x in _FIRST_M], dtype=object)[first_m],
    )
    sur_slug = np.array([_slug(x) for x in _SURNAMES], dtype=object)[surname_i]
    # B2B: a sector template around the surname; B2C: civility, first name, surname
    templates = [(k, t) for k, s in enumerate(_SECTORS) for t in s[5]]
    t_sector = np.array([k for k, _ in templates])
    t_pick = rng.random(n)
    counts = np.bincount(t_sector, minlength=len(_SECTORS))
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    t_idx = offsets[sec] + np.minimum((t_pick * counts[sec]).astype(int), counts[sec] - 1)
    prefix = np.array([t.split("|")[0] for _, t in templates], dtype=object)[t_idx]
    suffix = np.array([t.split("|")[1] for _, t in templates], dtype=object)[t_idx]
    b2b_name = _strs(prefix) + _strs(surnames) + _strs(suffix)
    civ = np.where(female, "Mme ", "M. ")
    b2c_name = _strs(civ) + _strs(first) + " " + _strs(surnames)
    name = b2b_name.str.strip().where(is_b2b, b2c_name)

    sector_word = np.array([s[6] for s in _SECTORS], dtype=object)[sec]
    box = np.array(_B2B_MAILBOX, dtype=object)[rng.integers(0, len(_B2B_MAILBOX), size=n)]
    b2b_mail = _strs(box) + "@" + _strs(sur_slug) + "-" + _strs(sector_word) + ".fr"
    num = rng.integers(0, 100, size=n)
    num_s = _strs(np.where(rng.random(n) < 0.4, num.astype(str), ""))
    dom = np.array(_B2C_DOMAINS, dtype=object)[rng.integers(0, len(_B2C_DOMAINS), size=n)]
    b2c_mail = _strs(first_slug) + "." + _strs(sur_slug) + num_s + "@" + _strs(dom)
    has_email = rng.random(n) < np.where(is_b2b, 0.85, 0.7)
    email = b2b_mail.where(is_b2b, b2c_mail).where(has_email, pd.NA)

    naf_pick = rng.random(n)
    naf_all = [(k, c) for k, s in enumerate(_SECTORS) for c in s[4]]
    n_counts = np.bincount([k for k, _ in naf_all], minlength=len(_SECTORS))
    n_off = np.concatenate([[0], np.cumsum(n_counts)[:-1]])
    n_idx = n_off[sec] + np.minimum((naf_pick * n_counts[sec]).astype(int), n_counts[sec] - 1)
    naf = _strs(np.array([c for _, c in naf_all], dtype=object)[n_idx]).where(is_b2b, pd.NA)

    siren = _siren(rng, n).where(is_b2b, pd.NA)
    # bureau score 1..10 (10 = best): informative about quality and distress, but noisy
    # (as of as_of: debtors in distress now or during the last year)
    drop = ((distress_start <= 0) & (distress_end > -365)).astype(float)
    raw = 5.5 + 1.6 * (0.7 * quality + 0.7 * rng.standard_normal(n)) - drop
    score = np.clip(np.rint(raw), 1, 10)
    score = np.where(rng.random(n) < np.where(is_b2b, 0.1, 0.25), np.nan, score)

    terms = np.where(
        is_b2b,
        rng.choice([0, 30, 45, 60], size=n, p=[0.05, 0.40, 0.30, 0.25]),
        rng.choice([0, 30, 45], size=n, p=[0.55, 0.40, 0.05]),
    )
    creditor = rng.choice(5, size=n, p=[0.35, 0.25, 0.18, 0.14, 0.08])
    # invoices at a constant rate per debtor while it is a customer: SEGMENT_CLAIMS per
    # `history_days` on average (1 + (m - 1) x activity), over its active part of the span
    mean = SEGMENT_CLAIMS[segment]
    activity = rng.gamma(2.0, 0.5, size=n)
    active_days = np.maximum(last_invoice + span_days, 0.0)
    rate = (1 + (mean - 1) * activity) / history_days
    n_claims = rng.poisson(rate * active_days)

    width = max(6, len(str(n)))
    ids = pd.Series(np.arange(1, n + 1).astype(str), dtype="str").str.zfill(width)
    table = pd.DataFrame(
        {
            "debtor_id": "D" + ids,
            "debtor_type": _strs(np.where(is_b2b, "B2B", "B2C")),
            "name": name,
            "siren": siren,
            "naf_code": naf,
            "department": _strs(np.array(depts, dtype=object)[dept]),
            "phone": phone,
            "email": email,
            "insolvency_status": _strs(np.array(INSOLVENCY, dtype=object)[code]),
            "segment": _strs(np.array(_SEGMENTS, dtype=object)[segment]),
            "bureau_score": score.astype("float64"),
        }
    )
    return DebtorDraw(
        table=table,
        is_b2b=is_b2b,
        segment=segment,
        sector=sector,
        quality=quality,
        chronic=chronic,
        noise=noise,
        distress_start=distress_start,
        distress_end=distress_end,
        last_invoice=last_invoice,
        insolvency_day=insolvency_day,
        insolvency_code=code,
        phone_status=phone_status,
        mobile=mobile,
        has_email=has_email,
        terms=terms,
        creditor=creditor,
        n_claims=n_claims,
        dispute_mult=np.where(is_b2b, np.array([s[2] for s in _SECTORS])[sec], 0.6),
        amount_mult=np.where(is_b2b, np.array([s[3] for s in _SECTORS])[sec], 1.0),
        **_habits(rng, n, span_days),
        responder=_responders(rng, quality, chronic),
    )


def _habits(rng: np.random.Generator, n: int, span_days: int) -> dict[str, np.ndarray]:
    """Payment habits a customer keeps from one invoice to the next (and sometimes changes).

    Every customer has its own delay multiplier (some pay at 10 days, others
    at 60, whatever their credit quality) and its own leaning to let invoices
    run for months; one customer in six changes habit once during the span.
    Drawn last, so that the other traits of a seed are those drawn before.
    """
    habit = np.exp(0.9 * rng.standard_normal(n))
    slow_bias = 1.2 * rng.standard_normal(n)
    drifts = rng.random(n) < 1 / 6
    drift_day = np.where(drifts, np.floor(rng.uniform(-span_days, 0, n)), np.inf)
    drift = np.exp(0.7 * rng.standard_normal(n))
    return {"habit": habit, "slow_bias": slow_bias, "drift_day": drift_day, "drift": drift}


#: How a debtor responds to a call (latent): ``ordinary``; ``sure_thing`` pays anyway
#: (quickly, a call changes little); ``persuadable`` is solvent but forgetful (lets
#: invoices run, pays when someone asks); ``lost_cause`` cannot pay (a call does nothing,
#: its promises are broken).
RESPONDER_TYPES: tuple[str, ...] = ("ordinary", "sure_thing", "persuadable", "lost_cause")

#: Shifts of each responder type (ordinary, sure_thing, persuadable, lost_cause): delay
#: multiplier, and logit shifts of never / slow / responsiveness / promise / keeping it.
RESPONDER_SHIFTS: dict[str, tuple[float, ...]] = {
    "typical": (1.0, 0.5, 2.0, 1.5),
    "never": (0.0, -2.0, 0.5, 2.5),
    "slow": (0.0, -1.5, 1.5, 1.0),
    "resp": (0.0, -1.5, 1.8, -3.0),
    "promise": (0.0, -0.5, 1.0, 0.5),
    "keep": (0.0, 0.5, 1.5, -3.5),
}


def _responders(rng: np.random.Generator, quality: np.ndarray, chronic: np.ndarray) -> np.ndarray:
    """Responder type of every debtor, leaning on its quality (drawn after the habits).

    Good payers are more often sure things, weak ones more often lost causes;
    persuadables are spread over every quality (forgetfulness is not credit risk),
    a little more among chronic late payers.
    """
    n = quality.size
    logits = np.column_stack(
        [
            np.zeros(n),
            -0.9 + 0.9 * quality,
            -0.5 + 0.4 * chronic,
            -1.6 - 1.0 * quality,
        ]
    )
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    u = rng.random(n)
    return (u[:, None] > np.cumsum(p, axis=1)).sum(axis=1).astype(np.int64)


#: exported claims per claim invoiced in the history: the book carried over from before
#: it, net of the debtors that stopped buying (measured on 1M claims, seed 0)
CARRIED_OVER = 1.046


def mean_claims_per_debtor() -> float:
    """Expected number of exported claims per debtor."""
    b2b = float(_B2B_SEGMENT_P @ SEGMENT_CLAIMS[:3])
    return (B2B_SHARE * b2b + (1 - B2B_SHARE) * float(SEGMENT_CLAIMS[3])) * CARRIED_OVER
