"""Judicial economics: hand-worked euros per route, legal guards in the verdict, invariants.

Conventions of the hand calculations (all figures from the shipped schedule):
d(m) = 1.08 ** (-m / 12) discounts a flow m months ahead (cost of capital 8 %);
a court route's net = d * p_title * p_enf * (O + X + recovered - F)
                      - upfront - d * p_title * E + d * (1 - p_title) * 0.5 * R_am
with p_enf = p_am + (1 - p_am) * s(signal) (s = 0.6 good / 0.4 unknown / 0.15 poor),
X = interest + B2B 40 EUR, E = enforcement acts, F = A444-32 fee on O + X,
R_am = p_am * O; continuing amicably = d(2) * R_am.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st_

from recovery_analytics.judicial import (
    COURT_ROUTES,
    ROUTES,
    SENSITIVITY_PARAMETERS,
    break_even_amount,
    break_even_curves,
    judicial_assessment,
    load_schedule,
    sensitivity,
)
from recovery_analytics.judicial.plots import (
    SENSITIVITY_LABELS_FR,
    plot_break_even,
    plot_tornado,
    sensitivity_label,
)
from recovery_analytics.style import ROUTE_COLORS, format_eur

T = pd.Timestamp
SCHEDULE = load_schedule()


def d(months: float) -> float:
    return 1.08 ** (-months / 12)


def claim(claim_id="c1", debtor_id="d1", **cols) -> dict:
    row = {
        "claim_id": claim_id,
        "debtor_id": debtor_id,
        "debtor_type": "B2B",
        "invoice_date": T("2026-01-02"),
        "due_date": T("2026-02-01"),
        "outstanding_eur": 1000.0,
        "open_dispute": False,
    }
    row.update(cols)
    return row


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def assess(*rows: dict, as_of="2026-06-01", schedule=SCHEDULE) -> pd.DataFrame:
    return judicial_assessment(frame(*rows), schedule, as_of=as_of)


# ---------------------------------------------------------------------------
# hand-worked cases


def ip_plan(file, serve, w_ip, v_fond, stay, fb, refused=0.30, opposed=0.05, months=4):
    """An injonction de payer as a plan (art. 1405-1416 CPC): refused within a month (no
    service paid, the debtor never knew: amicable chance unchanged) -> best of au fond and
    staying amicable; granted -> served; opposed within a month -> best of au fond and
    the amicable fallback; not opposed -> a title, cash after ``months``."""
    return (
        -file
        + refused * d(1) * max(v_fond, stay)
        + (1 - refused)
        * (-serve + opposed * d(2) * max(v_fond, fb) + (1 - opposed) * d(months) * w_ip)
    )


def _b2b_4000(**cols):
    return claim(**{"outstanding_eur": 4000.0, "n_payments": 1, "p_amicable": 0.5, **cols})


def test_4000_eur_solvent_b2b_injonction_de_payer_once_a_notice_was_sent():
    # mise en demeure sent on 25 May 2026 (7 days before as_of): the injonction is next,
    # after the notice's 15-day deadline
    out = assess(_b2b_4000(n_formal_notices=1, formal_notice_date=T("2026-05-25"))).iloc[0]
    # IP at the tribunal de commerce, filed in-house:
    #   filing = greffe 38.40 TTC = 32.00 HT (the creditor recovers VAT); service =
    #   signification 25.79 x 2 + 9.40 = 60.98 (dépens)
    #   enforcement E = commandement 20.42 x 2 + 9.40 = 50.24 + saisie 44 + droit d'engagement
    #       67.1056 = 161.3456
    #   months 4 -> cash on 1 Oct 2026 (122 days); B2B interest from the due date 1 Feb 2026:
    #       242 days at 12.15 %: 4000 x 0.1215 x 242 / 365 = 322.2247; X = 322.2247 + 40 = 362.2247
    #   A444-32 on 4,362.2247: 257.4515 + 362.2247 x 3.91 % = 271.6145
    x, e, u = 4000 * 0.1215 * 242 / 365 + 40, 50.24 + 44 + 67.1056, 32.00 + 60.98
    f = 257.4515 + (x + 4000 - 4000) * 0.0391
    assert out["cost_injonction_de_payer_eur"] == pytest.approx(u + e + f)  # 525.94
    assert out["cost_injonction_de_payer_eur"] == pytest.approx(525.94, abs=0.005)
    # Au fond at the TC: 9 months -> cash 2 Mar 2027, interest 394 days; acts assignation
    # 18.28 x 2 + 9.40 = 45.96 and signification 60.98; lawyer 10 h x 250 = 2,500
    x_f = 4000 * 0.1215 * 394 / 365 + 40
    f_f = 257.4515 + x_f * 0.0391
    # greffe of an assignation at the TC: 66.70 EUR TTC (2016 tariff, not the IP fee),
    # 55.58 HT for a creditor that recovers VAT
    g_f = 66.70 / 1.2
    u_f = g_f + 45.96 + 60.98 + 2500
    # p_enf = 0.5 + 0.5 x 0.6 = 0.8 (good signal: a payment); R_am = 2000
    w_f = 0.8 * (4000 + x_f + g_f + 45.96 + 60.98 + e - f_f) - e
    v_fond = -u_f + d(9) * 0.9 * w_f + d(9) * 0.1 * 0.5 * 2000
    assert out["net_action_au_fond_eur"] == pytest.approx(v_fond)  # 425.87: the lawyer
    # costs more than au fond brings: on refusal the plan stays amicable (1,974.51), on
    # opposition it takes the amicable fallback (1,000)
    w_ip = 0.8 * (4000 + x + u + e - f) - e
    net = ip_plan(32.00, 60.98, w_ip, v_fond, d(2) * 2000, 0.5 * 2000)
    assert out["net_injonction_de_payer_eur"] == pytest.approx(net)
    assert out["net_continue_amicable_eur"] == pytest.approx(d(2) * 2000)
    assert out["recommended_route"] == "injonction_de_payer"
    assert out["judicial_route"] == "injonction_de_payer"
    assert out["plan"] == "injonction_de_payer > enforce_title"
    assert out["next_step_date"] == T("2026-06-09")  # 25 May + 15 days
    assert out["plan_p_title"] == pytest.approx(0.7 * 0.95)  # no au fond in this plan
    assert out["judicial_expected_net_eur"] == pytest.approx(net)
    assert out["expected_gain_eur"] == pytest.approx(net - d(2) * 2000)
    assert out["legal_flags"] == ""


def test_4000_eur_solvent_b2b_without_notice_starts_with_a_mise_en_demeure():
    out = assess(_b2b_4000()).iloc[0]
    # the notice makes 10 % of the non-payers pay: p = 0.55, R_am = 2,200; then, 15 days
    # later, the best court plan valued with that chance (less the 100 EUR margin), or
    # amicable: d(1.5) x 2,200
    after = assess(_b2b_4000(n_formal_notices=1, p_amicable=0.55)).iloc[0]
    best = max(after[f"net_{r}_eur"] for r in COURT_ROUTES if not np.isnan(after[f"net_{r}_eur"]))
    d_deadline = d(15 / (365.25 / 12))
    expected = max(d_deadline * best - 100, d(1.5) * 2200) - 8
    assert out["net_formal_notice_eur"] == pytest.approx(expected)
    assert out["recommended_route"] == "formal_notice"
    assert out["plan"] == "formal_notice > injonction_de_payer > enforce_title"
    assert out["next_step_date"] == T("2026-06-01")
    assert out["judicial_route"] == "injonction_de_payer"  # the court step of the plan


def test_50000_eur_undisputed_b2b_injonction_or_refere_first_au_fond_only_as_fallback():
    out = assess(
        claim(
            outstanding_eur=50_000.0,
            n_payments=1,
            n_formal_notices=1,
            formal_notice_date=T("2026-04-01"),
        )
    ).iloc[0]
    assert out["recommended_route"] in ("injonction_de_payer", "refere_provision")
    assert out["plan"].endswith("action_au_fond)")  # au fond only on refusal / opposition
    assert out["net_action_au_fond_eur"] < out["plan_expected_net_eur"]
    assert out["plan_p_title"] >= 0.9  # not below au fond's chance of a title


def test_300_eur_b2c_claim_court_not_worth_it():
    out = assess(
        claim(
            debtor_type="B2C",
            invoice_date=T("2026-03-01"),
            due_date=T("2026-04-01"),
            outstanding_eur=300.0,
        ),
        as_of="2026-07-01",
    ).iloc[0]
    # prior p_amicable at 91 days: 0.55 - 0.15 / 90 = 0.548333
    p = 0.55 - 0.15 / 90
    assert out["p_amicable_used"] == pytest.approx(p)
    # IP at the tribunal judiciaire: no greffe fee; signification 25.79 + 9.40 = 35.19 (x1, 300 EUR)
    # E = 20.42 + 9.40 + 44 + 300 x 5.66 % = 90.80
    # B2C interest at the taux légal from the filing (no mise en demeure): 122 days at 2.62 %
    #   300 x 0.0262 x 122 / 365 = 2.6272; A444-32 = 125 x 11.73 % + 177.6272 x 10.75 % = 33.7574
    x = 300 * 0.0262 * 122 / 365
    f = 14.6625 + (300 + x - 125) * 0.1075
    assert out["cost_injonction_de_payer_eur"] == pytest.approx(35.19 + 90.80 + f)  # 159.75
    p_enf = p + (1 - p) * 0.4
    # au fond costs more than the claim: refused -> stay amicable, opposed -> fallback
    w_ip = p_enf * (300 + x + 35.19 + 90.80 - f) - 90.80
    net = ip_plan(0.0, 35.19, w_ip, -np.inf, d(2) * p * 300, 0.5 * p * 300)
    assert out["net_injonction_de_payer_eur"] == pytest.approx(net)  # 154.34 < amicable 162.40
    assert out["net_continue_amicable_eur"] == pytest.approx(d(2) * p * 300)
    assert out["recommended_route"] not in COURT_ROUTES


@pytest.mark.parametrize("signal", ["good", "unknown", "poor"])
def test_300_eur_b2c_claim_never_court_whatever_p_amicable(signal):
    rows = [
        claim(
            f"c{i}",
            f"d{i}",
            debtor_type="B2C",
            outstanding_eur=300.0,
            p_amicable=p,
            solvency_signal=signal,
        )
        for i, p in enumerate(np.linspace(0, 1, 21))
    ]
    out = assess(*rows)
    assert not out["recommended_route"].isin(COURT_ROUTES).any()


def test_12000_eur_disputed_claim_no_injonction():
    out = assess(
        claim(
            invoice_date=T("2025-12-01"),
            due_date=T("2026-01-01"),
            outstanding_eur=12_000.0,
            p_amicable=0.4,
            open_dispute=True,
        )
    ).iloc[0]
    assert np.isnan(out["net_injonction_de_payer_eur"])
    assert out["legal_flags"] == "DISPUTED"
    # Action au fond: upfront = greffe of an assignation at the TC 66.70 TTC (2016
    #   tariff) = 55.5833 HT + assignation 18.28 x 2 + 9.40 = 45.96 + signification 60.98
    #   + lawyer 10 h x 250 = 2,500 -> 2,662.5233 (162.5233 recoverable)
    # E = 50.24 + 44 + droit d'engagement(12,000) 89.5056 = 183.7456
    # 9 months -> 274 days; interest from 1 Jan 2026: 151 + 274 = 425 days at 12.15 %
    #   = 1,697.6712; X = 1,737.6712; A444-32 on 13,737.6712 = 257.4515 + 9,737.6712 x 3.91 %
    x = 12_000 * 0.1215 * 425 / 365 + 40
    f = 257.4515 + (12_000 + x - 4000) * 0.0391
    e = 50.24 + 44 + (17.2064 + 17.2064 + 30.0048 + (12_000 - 3040) * 0.0028)
    up, rec = 66.70 / 1.2 + 45.96 + 60.98 + 2500, 66.70 / 1.2 + 45.96 + 60.98
    assert out["cost_action_au_fond_eur"] == pytest.approx(up + e + f)  # 3,484.46
    # disputed: p_title 0.5; p_enf = 0.4 + 0.6 x 0.4 = 0.64; R_am = 4,800
    net = d(9) * 0.5 * 0.64 * (12_000 + x + rec + e - f) - up - d(9) * 0.5 * e
    net += d(9) * 0.5 * 0.5 * 4800
    assert out["net_action_au_fond_eur"] == pytest.approx(net)  # 2,294.25
    # keep negotiating: mise en demeure d(1.5) x (4,800 + 7,200 x 10 %) - 8 = 5,458.91
    assert out["net_formal_notice_eur"] == pytest.approx(d(1.5) * 5520 - 8)
    assert out["recommended_route"] == "formal_notice"
    assert out["judicial_route"] == "action_au_fond"


def test_claim_32_days_from_prescription_gets_a_summons_that_interrupts_in_time():
    # due 30 Jul 2021 + 5 years (L110-4 C. com.) = 30 Jul 2026; as_of 28 Jun 2026: 32 days.
    # An injonction needs ~45 days to be granted and served (only its service interrupts);
    # a summons is served within ~10 days and interrupts (art. 2241 C. civ.). No time for a
    # mise en demeure first, although none was sent.
    out = assess(
        claim(invoice_date=T("2021-06-01"), due_date=T("2021-07-30"), outstanding_eur=3000.0),
        as_of="2026-06-28",
    ).iloc[0]
    assert out["days_to_prescription"] == 32
    assert out["prescription_date"] == T("2026-07-30")
    assert out["legal_flags"] == "PRESCRIPTION_URGENT;IP_TOO_LATE"
    assert np.isnan(out["net_injonction_de_payer_eur"])
    assert out["recommended_route"] in ("refere_provision", "action_au_fond")
    assert out["next_step_date"] == T("2026-06-28")
    assert "assigner, l'assignation interrompt la prescription (art. 2241" in out["legal_notes"]


def test_claim_4_years_11_months_past_due_can_still_get_an_injonction():
    # 60 days left (> 45 days to obtain and serve an order): urgent, IP still possible
    out = assess(
        claim(invoice_date=T("2021-06-01"), due_date=T("2021-08-01"), outstanding_eur=2000.0),
        as_of="2026-06-02",
    ).iloc[0]
    assert out["legal_flags"] == "PRESCRIPTION_URGENT"
    assert out["days_to_prescription"] == 60
    assert not np.isnan(out["net_injonction_de_payer_eur"])


def test_b2c_claim_2_years_1_month_after_invoice_is_prescribed_never_court():
    out = assess(
        claim(
            debtor_type="B2C",
            invoice_date=T("2024-05-15"),
            due_date=T("2024-06-15"),
            outstanding_eur=8000.0,
            p_amicable=0.01,
        ),
        as_of="2026-06-15",
    ).iloc[0]
    assert out["legal_flags"] == "PRESCRIBED"
    assert all(np.isnan(out[f"net_{r}_eur"]) for r in COURT_ROUTES)
    assert np.isnan(out["net_formal_notice_eur"]) and np.isnan(out["net_agency_eur"])
    assert pd.isna(out["judicial_route"])
    # 8000 x 0.01 x d(2) = 78.97 > 0 = write off
    assert out["recommended_route"] == "continue_amicable"


def test_debtor_in_liquidation_declares_with_deadline():
    out = assess(
        claim(
            outstanding_eur=5000.0,
            insolvency_status="liquidation",
            insolvency_date=T("2026-05-20"),
        ),
        as_of="2026-06-30",
    ).iloc[0]
    assert out["recommended_route"] == "declare_claim"
    assert out["declaration_deadline"] == T("2026-07-20")
    # dividend 5 % in 24 months, and the VAT of the 95 % definitively lost at the closing
    # comes back (art. 272 CGI): (5000 x 0.05 + 4750 x 20/120) / 1.08^2 = 893.06
    assert out["net_declare_claim_eur"] == pytest.approx((250 + 4750 / 6) / 1.08**2)
    # a creditor not liable to VAT gets none back
    bears = SCHEDULE.with_overrides({"general.vat_regime": "bears_vat"})
    no_vat = assess(
        claim(outstanding_eur=5000.0, insolvency_status="liquidation",
              insolvency_date=T("2026-05-20")),
        as_of="2026-06-30", schedule=bears,
    ).iloc[0]  # fmt: skip
    assert no_vat["net_declare_claim_eur"] == pytest.approx(250 / 1.08**2)
    assert np.isnan(out["net_write_off_eur"])  # not declared yet: no write-off
    assert np.isnan(out["net_continue_amicable_eur"])
    assert all(np.isnan(out[f"net_{r}_eur"]) for r in COURT_ROUTES)
    assert "20/07/2026" in out["legal_notes"]


def test_partial_payment_restarts_prescription_and_keeps_court_open():
    base = claim(invoice_date=T("2021-01-01"), due_date=T("2021-03-01"), outstanding_eur=3000.0)
    paid = dict(base, last_acknowledgement_date=T("2024-01-10"), n_payments=1)
    out = assess(base, as_of="2026-06-30").iloc[0]
    assert out["legal_flags"] == "PRESCRIBED" and pd.isna(out["judicial_route"])
    out = assess(paid, as_of="2026-06-30").iloc[0]
    assert out["prescription_date"] == T("2029-01-10") and out["legal_flags"] == ""
    assert out["judicial_route"] == "injonction_de_payer"


def test_one_injonction_per_debtor_costs_shared_pro_rata():
    # Two undisputed claims of one debtor, 1,000 + 3,000: one IP on 4,000 EUR.
    # greffe 38.40 TTC = 32.00 HT + signification at 4,000 (60.98) = 92.98, shared 25 % /
    # 75 % (alone, the 1,000 EUR claim would pay 32.00 + 35.19 = 67.19).
    a = claim("a", outstanding_eur=1000.0, p_amicable=0.5)
    b = claim("b", outstanding_eur=3000.0, p_amicable=0.5)
    out = assess(a, b).set_index("claim_id")
    alone = assess(a).set_index("claim_id")
    x = lambda o: o * 0.1215 * 242 / 365 + 40  # noqa: E731  (interest to 1 Oct 2026 + 40 EUR)
    e = 50.24 + 44 + 67.1056
    f = 257.4515 + (x(1000) + x(3000)) * 0.0391
    assert out.loc["a", "cost_injonction_de_payer_eur"] == pytest.approx(0.25 * (92.98 + e + f))
    assert out.loc["b", "cost_injonction_de_payer_eur"] == pytest.approx(0.75 * (92.98 + e + f))
    e1 = 20.42 + 9.40 + 44 + (17.2064 + 17.2064 + 88 * 0.0141)
    f1 = 14.6625 + 52.1375 + (1000 + x(1000) - 610) * 0.1026
    assert alone.loc["a", "cost_injonction_de_payer_eur"] == pytest.approx(67.19 + e1 + f1)


def test_dossiers_are_per_creditor():
    a = claim("a", creditor_id="k1", outstanding_eur=1000.0)
    b = claim("b", creditor_id="k2", outstanding_eur=1000.0)
    out = assess(a, b)
    alone = assess(claim("a", outstanding_eur=1000.0))
    np.testing.assert_allclose(
        out["cost_injonction_de_payer_eur"], alone["cost_injonction_de_payer_eur"].iloc[0]
    )


def test_minimum_margin_decides_between_court_and_amicable():
    row = claim(outstanding_eur=1500.0, p_amicable=0.65, n_formal_notices=1)  # gap ~ 58 EUR
    out = assess(row).iloc[0]
    gap = out["net_injonction_de_payer_eur"] - out["net_continue_amicable_eur"]
    assert 0 < gap < 100  # IP better, but by less than the 100 EUR margin
    assert out["recommended_route"] not in COURT_ROUTES
    s = SCHEDULE.with_overrides(
        {"general.minimum_margin_eur": 0.0, "routes.formal_notice.uplift": 0.0}
    )
    assert assess(row, schedule=s).iloc[0]["recommended_route"] == "injonction_de_payer"


def test_tiny_claim_below_court_cost_and_not_due_claim():
    out = assess(
        claim("tiny", outstanding_eur=20.0),
        claim("future", due_date=T("2026-07-01"), outstanding_eur=5000.0),
    ).set_index("claim_id")
    assert out.loc["tiny", "legal_flags"] == "BELOW_COURT_COST"
    assert pd.isna(out.loc["tiny", "judicial_route"])
    assert out.loc["future", "legal_flags"] == "NOT_DUE"
    assert out.loc["future", "recommended_route"] == "continue_amicable"


def test_closed_claims_are_dropped_and_output_columns():
    out = assess(claim("open"), claim("closed", outstanding_eur=0.0))
    assert out["claim_id"].tolist() == ["open"]
    for col in [
        "claim_id",
        "debtor_id",
        "recommended_route",
        "judicial_route",
        "judicial_cost_eur",
        "judicial_expected_net_eur",
        "amicable_expected_net_eur",
        "legal_flags",
        "legal_notes",
        "prescription_date",
        "days_to_prescription",
        "declaration_deadline",
        *(f"net_{r}_eur" for r in ROUTES),
        *(f"cost_{r}_eur" for r in ROUTES),
    ]:
        assert col in out
    empty = judicial_assessment(frame(claim()).iloc[:0], as_of="2026-06-01")
    assert len(empty) == 0 and "recommended_route" in empty


def test_expected_recovery_column_is_used_for_amicable():
    out = assess(claim(outstanding_eur=1000.0, p_amicable=0.5, expected_recovery_eur=300.0))
    assert out.loc[0, "net_continue_amicable_eur"] == pytest.approx(d(2) * 300)


# ---------------------------------------------------------------------------
# invariants


def _grid_state(amounts, p, debtor_type="B2B", signal="unknown", disputed=False):
    return frame(
        *[
            claim(
                f"c{i:05d}",
                f"d{i:05d}",
                debtor_type=debtor_type,
                outstanding_eur=float(a),
                p_amicable=float(q),
                solvency_signal=signal,
                open_dispute=disputed,
            )
            for i, (a, q) in enumerate(zip(amounts, p, strict=True))
        ]
    )


@pytest.mark.parametrize("debtor_type", ["B2B", "B2C"])
def test_nets_monotone_in_amount_within_tariff_bands(debtor_type):
    # The A444-46 multiplier steps at 128 and 1,280 EUR (x0.5 -> x1 -> x2) are the only
    # places a route's net may drop, by at most the extra signification + commandement
    # emoluments (25.79 + 20.42 = 46.21 EUR).
    amounts = np.unique(
        np.concatenate([np.linspace(20, 60_000, 600), [128, 128.01, 1280, 1280.01]])
    )
    out = judicial_assessment(
        _grid_state(amounts, np.full(len(amounts), 0.3), debtor_type), as_of="2026-06-01"
    )
    out = out.sort_values("outstanding_eur")
    a = out["outstanding_eur"].to_numpy()
    steps = np.isin(a[1:], [128.01, 1280.01])
    for route in ROUTES:
        net = out[f"net_{route}_eur"].to_numpy()
        ok = ~np.isnan(net)
        diff = np.diff(net)
        valid = ok[1:] & ok[:-1]
        assert (diff[valid & ~steps] >= -1e-9).all(), route
        assert (diff[valid & steps] >= -46.21).all(), route


def test_nets_monotone_in_probability_of_success():
    p = np.linspace(0, 1, 41)
    for signal in ("good", "unknown", "poor"):
        out = judicial_assessment(
            _grid_state(np.full(41, 5000.0), p, signal=signal), as_of="2026-06-01"
        )
        for route in ("continue_amicable", "formal_notice", "agency", *COURT_ROUTES):
            net = out[f"net_{route}_eur"].to_numpy()
            ok = ~np.isnan(net)
            assert (np.diff(net)[ok[1:] & ok[:-1]] >= -1e-9).all(), route
        # 5,000 EUR + interest is above the petites créances ceiling (R125-1 CPCE)
        assert out["net_procedure_simplifiee_eur"].isna().all()
    # and in the enforcement success share
    nets = [
        judicial_assessment(
            _grid_state([5000.0], [0.3]),
            SCHEDULE.with_overrides({"enforcement.success_share_unknown": s}),
            as_of="2026-06-01",
        ).loc[0, "net_injonction_de_payer_eur"]
        for s in np.linspace(0, 1, 11)
    ]
    assert (np.diff(nets) > 0).all()


@settings(max_examples=40, deadline=None)
@given(
    st_.lists(
        st_.tuples(
            st_.floats(1.0, 20_000.0),
            st_.floats(0.0, 1.0),
            st_.sampled_from(["B2B", "B2C"]),
            st_.sampled_from(["good", "unknown", "poor"]),
            st_.booleans(),
            st_.integers(-20, 2500),
            st_.integers(0, 3),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_court_only_when_cost_below_amount_and_probabilities_valid(rows):
    day = T("2026-06-01")
    st = frame(
        *[
            claim(
                f"c{i}",
                f"d{debtor}",
                debtor_type=dt,
                due_date=day - pd.Timedelta(days=dpd),
                invoice_date=day - pd.Timedelta(days=dpd + 30),
                outstanding_eur=a,
                p_amicable=p,
                solvency_signal=sig,
                open_dispute=disp,
            )
            for i, (a, p, dt, sig, disp, dpd, debtor) in enumerate(rows)
        ]
    )
    out = judicial_assessment(st, as_of=day)
    court = out["recommended_route"].isin(COURT_ROUTES).to_numpy()
    cost = np.array(
        [
            out.loc[i, f"cost_{r}_eur"] if c else 0.0
            for i, (r, c) in enumerate(zip(out["recommended_route"], court, strict=True))
        ]
    )
    assert (cost[court] < out["outstanding_eur"].to_numpy()[court]).all()
    assert out["p_amicable_used"].between(0, 1).all()
    assert out["recommended_route"].isin(ROUTES).all()
    # the recommendation is never worse than continuing amicably (or writing off)
    assert (out["expected_gain_eur"] >= -1e-9).all()
    # same result whatever the input row order
    shuffled = judicial_assessment(st.sample(frac=1.0, random_state=1), as_of=day)
    pd.testing.assert_frame_equal(out, shuffled)


# ---------------------------------------------------------------------------
# break-even, sensitivity, plots


def test_break_even_amount_is_where_the_route_starts_to_win():
    # same profile as claim(): due 1 Feb 2026, i.e. 120 days past due on 1 Jun 2026
    be = break_even_amount(
        "injonction_de_payer", p_amicable=0.3, days_past_due=120, as_of="2026-06-01"
    )
    assert 100 < be < 5000
    out = judicial_assessment(_grid_state([be - 1.0, be + 0.01], [0.3, 0.3]), as_of="2026-06-01")
    gap = out["net_injonction_de_payer_eur"] - out["net_continue_amicable_eur"]
    assert gap.iloc[0] < 100 <= gap.iloc[1]
    assert break_even_amount("write_off", as_of="2026-06-01") == np.inf
    with pytest.raises(ValueError, match="no break-even"):
        break_even_amount("continue_amicable")


def test_break_even_curves_rise_with_p_amicable():
    df = break_even_curves(
        routes=("injonction_de_payer",), p_amicable=(0.1, 0.4, 0.7), as_of="2026-06-01"
    )
    assert list(df.columns) == ["route", "debtor_type", "p_amicable", "break_even_eur"]
    for _, part in df.groupby("debtor_type"):
        assert part["break_even_eur"].is_monotonic_increasing


def test_sensitivity_table_and_direction():
    rows = [
        claim(f"c{i}", f"d{i}", outstanding_eur=a, p_amicable=0.3)
        for i, a in enumerate([800.0, 4000.0, 15_000.0])
    ]
    st = frame(*rows)
    tab = sensitivity(st, rel_range=0.2, as_of="2026-06-01")
    base = judicial_assessment(st, as_of="2026-06-01")["expected_gain_eur"].sum()
    assert np.allclose(tab["gain_base_eur"], base)
    row = tab.set_index("parameter").loc["routes.injonction_de_payer.refused_rate"]
    assert row["low_value"] == pytest.approx(0.24) and row["high_value"] == pytest.approx(0.36)
    assert row["gain_low_eur"] >= base >= row["gain_high_eur"]  # more refusals, less gain
    assert tab["swing_eur"].is_monotonic_decreasing


def test_plots_return_axes_with_french_euros():
    assert format_eur(12345.0) == "12\u202f345\u00a0€"  # the one French euro format
    df = break_even_curves(
        routes=("injonction_de_payer",), p_amicable=(0.2, 0.5), as_of="2026-06-01"
    )
    ax = plot_break_even(df)
    assert "amiable" in ax.get_title()
    ax.figure.canvas.draw()
    assert any("€" in t.get_text() for t in ax.get_yticklabels())
    tab = sensitivity(frame(claim(outstanding_eur=4000.0)), as_of="2026-06-01")
    ax = plot_tornado(tab, lang="en")
    assert "20 %" in ax.get_title()
    assert len(ax.get_yticklabels()) == len(tab)


def test_tornado_names_each_assumption_in_french_with_its_base_value():
    assert set(SENSITIVITY_LABELS_FR) == {*SENSITIVITY_PARAMETERS, "p_amicable"}
    assert len(set(SENSITIVITY_LABELS_FR.values())) == len(SENSITIVITY_LABELS_FR)
    tab = sensitivity(
        frame(claim(outstanding_eur=4000.0)),
        as_of="2026-06-01",
        parameters=(
            "routes.agency.fee_share",
            "lawyers.hourly_rate_eur",
            "courts.greffe_ip_tc_eur",
        ),
    )
    ax = plot_tornado(tab)
    ax.figure.canvas.draw()
    names = {t.get_text().replace("\u00a0", " ") for t in ax.get_yticklabels()}
    assert "Commission de l'agence de recouvrement (15 %)" in names  # schedule: 0.15
    assert "Taux horaire de l'avocat (250 €)" in names  # schedule: 250 EUR
    assert "Frais de greffe d'une injonction de payer (38,40 €)" in names  # 38.40 EUR TTC
    assert not any("." in n.split(" (")[0] for n in names)  # no schedule key left
    assert sensitivity_label("routes.injonction_de_payer.months_to_cash", 4.0) == (
        "Délai d'encaissement d'une injonction de payer (4 mois)"
    )
    assert sensitivity_label("unknown.key") == "unknown.key"
    plt.close("all")


def test_break_even_lines_take_the_route_colours_and_dash_b2c():
    df = break_even_curves(
        routes=("injonction_de_payer", "action_au_fond"), p_amicable=(0.2, 0.5), as_of="2026-06-01"
    )
    styles = {
        line.get_label(): (line.get_color(), line.get_linestyle())
        for line in plot_break_even(df).get_lines()
    }
    assert styles == {
        "action au fond (B2B)": (ROUTE_COLORS["action_au_fond"], "-"),
        "action au fond (B2C)": (ROUTE_COLORS["action_au_fond"], "--"),
        "injonction de payer (B2B)": (ROUTE_COLORS["injonction_de_payer"], "-"),
        "injonction de payer (B2C)": (ROUTE_COLORS["injonction_de_payer"], "--"),
    }
    one_type = plot_break_even(df[df["debtor_type"] == "B2C"], lang="en").get_lines()
    assert [(ln.get_label(), ln.get_linestyle()) for ln in one_type] == [
        ("action_au_fond (B2C)", "-"),
        ("injonction_de_payer (B2C)", "-"),
    ]
    plt.close("all")


@pytest.mark.slow
def test_one_million_claims_in_seconds():
    import time

    n = 1_000_000
    rng = np.random.default_rng(0)
    day = T("2026-06-30")
    due = day - pd.to_timedelta(rng.integers(-30, 2000, n), unit="D")
    st = pd.DataFrame(
        {
            "claim_id": pd.Series(np.arange(n)).astype("str").str.zfill(8),
            "debtor_id": pd.Series(rng.integers(0, 150_000, n)).astype("str"),
            "debtor_type": np.where(rng.random(n) < 0.6, "B2B", "B2C"),
            "invoice_date": due - pd.Timedelta(days=45),
            "due_date": due,
            "outstanding_eur": rng.lognormal(7, 1.3, n),
            "p_amicable": rng.random(n),
            "open_dispute": rng.random(n) < 0.05,
            "n_payments": rng.integers(0, 3, n),
        }
    )
    t0 = time.perf_counter()
    out = judicial_assessment(st, as_of=day)
    assert len(out) == n
    assert time.perf_counter() - t0 < 60
