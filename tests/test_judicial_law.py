"""The judicial engine as a French credit manager reads it: events in court, prescription,
titles, plans, petites créances, insolvency (hand-worked, the article named in each test).

Conventions as in ``test_judicial``: d(m) = 1.08 ** (-m / 12) discounts m months.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.judicial import judicial_assessment, score_claims
from recovery_analytics.portfolio import Portfolio, read_portfolio
from recovery_analytics.state import portfolio_state

T = pd.Timestamp
AS_OF = "2026-06-30"


def d(months: float) -> float:
    return 1.08 ** (-months / 12)


def portfolio(debtor_type="B2C", amount=1200.0, invoice="2024-01-10", due="2024-02-10",
              events=(), **debtor) -> Portfolio:  # fmt: skip
    debtors = pd.DataFrame([{"debtor_id": "D1", "debtor_type": debtor_type, **debtor}])
    claims = pd.DataFrame(
        {
            "claim_id": ["C1"],
            "debtor_id": ["D1"],
            "invoice_date": [T(invoice)],
            "due_date": [T(due)],
            "amount": [amount],
        }
    )
    cols = ["claim_id", "date", "type", "amount", "promise_date", "written"]
    ev = pd.DataFrame([("C1", *e) for e in events], columns=cols)
    ev["date"] = pd.to_datetime(ev["date"])
    ev["promise_date"] = pd.to_datetime(ev["promise_date"])
    ev["amount"] = ev["amount"].astype("float64")
    return Portfolio(debtors, claims, ev)


def assess(p: Portfolio, as_of=AS_OF) -> pd.Series:
    state = portfolio_state(p, as_of)
    return judicial_assessment(state, as_of=as_of).iloc[0]


# ---------------------------------------------------------------------------
# events -> prescription (art. 2240-2241 C. civ., art. 1411 CPC, L218-2 C. conso.)


def test_unserved_injonction_order_leaves_a_b2c_claim_time_barred():
    # Invoice 10 Jan 2024, consumer: 2 years (L218-2 C. conso.) -> 10 Jan 2026. The request
    # (5 Sep 2025) interrupts nothing (Cass. 10/07/1990); the order of 1 Oct 2025 was never
    # served and is void after 6 months (art. 1411 CPC). On 30 Jun 2026: time-barred.
    p = portfolio(
        events=[
            ("2025-09-05", "ip_request", None, None, None),
            ("2025-10-01", "ip_order", None, None, None),
        ]
    )
    out = assess(p)
    assert out["prescription_date"] == T("2026-01-10")
    assert out["legal_flags"].split(";")[:2] == ["PRESCRIBED", "IP_ORDER_VOID"]
    assert out["recommended_route"] == "continue_amicable"  # never to court
    assert np.isnan(out["net_injonction_de_payer_eur"]) and np.isnan(out["net_enforce_title_eur"])
    # served on 20 Oct 2025 instead: interrupted and, unopposed for a month (art. 1416
    # CPC), a title to enforce for 10 years (L111-4 CPCE)
    served = portfolio(
        events=[
            ("2025-09-05", "ip_request", None, None, None),
            ("2025-10-01", "ip_order", None, None, None),
            ("2025-10-20", "ip_service", None, None, None),
        ]
    )
    out = assess(served)
    assert out["title_date"] == T("2025-11-20")
    assert out["prescription_date"] == T("2035-10-01")
    assert out["recommended_route"] == "enforce_title"


def test_phone_promise_does_not_interrupt_a_written_one_does():
    # art. 2240 C. civ.: only a provable acknowledgement interrupts. Consumer invoice
    # 1 Mar 2024 -> prescribed 1 Mar 2026; a promise on 1 Feb 2026 for 1 Mar 2026:
    promise = ("2026-02-01", "promise_to_pay", 300.0, "2026-03-01")
    phone = assess(portfolio(invoice="2024-03-01", due="2024-04-01", events=[(*promise, None)]))
    assert phone["prescription_date"] == T("2026-03-01")
    assert "PRESCRIBED" in phone["legal_flags"] and "PROMISE_NOT_PROVABLE" in phone["legal_flags"]
    said_no = assess(portfolio(invoice="2024-03-01", due="2024-04-01", events=[(*promise, "non")]))
    assert said_no["prescription_date"] == T("2026-03-01")
    written = assess(portfolio(invoice="2024-03-01", due="2024-04-01", events=[(*promise, "oui")]))
    assert written["prescription_date"] == T("2028-02-01")  # 1 Feb 2026 + 2 years
    assert "PRESCRIBED" not in written["legal_flags"]
    # a written acknowledgement of debt (reconnaissance de dette) does the same
    acknowledged = [("2026-02-01", "acknowledgement", None, None, None)]
    ack = assess(portfolio(invoice="2024-03-01", due="2024-04-01", events=acknowledged))
    assert ack["prescription_date"] == T("2028-02-01")


def test_partial_payment_interrupts_prescription():
    # art. 2240 C. civ.: a payment, even partial, acknowledges the debt. B2B due 1 Mar 2021
    # (5 years, L110-4 C. com.) -> 1 Mar 2026; 200 EUR paid on 10 Jan 2024 -> 10 Jan 2029.
    p = portfolio("B2B", 5000.0, "2021-01-01", "2021-03-01",
                  events=[("2024-01-10", "payment", 200.0, None, None)])  # fmt: skip
    out = assess(p)
    assert out["prescription_date"] == T("2029-01-10")
    assert out["outstanding_eur"] == 4800.0
    assert "PRESCRIBED" not in out["legal_flags"]


def test_events_after_as_of_are_not_used():
    # the service on 20 Jul 2026 is after as_of: on 30 Jun 2026 the order is still to serve
    p = portfolio("B2B", 3000.0, "2026-01-01", "2026-02-01",
                  events=[("2026-06-01", "ip_order", None, None, None),
                          ("2026-07-20", "ip_service", None, None, None)])  # fmt: skip
    out = assess(p)
    assert out["legal_flags"] == "IP_ORDER_TO_SERVE;JUDICIAL_PENDING"
    assert out["recommended_route"] == "injonction_de_payer"
    assert out["plan"] == "injonction_de_payer (signifier l'ordonnance) > enforce_title"
    assert "au plus tard le 01/12/2026" in out["legal_notes"]  # 6 months, art. 1411 CPC


def test_french_event_names_are_read(tmp_path):
    (tmp_path / "debtors.csv").write_text("debtor_id;debtor_type\nD1;particulier\n")
    (tmp_path / "claims.csv").write_text(
        "claim_id;debtor_id;invoice_date;due_date;amount\nC1;D1;10/01/2024;10/02/2024;1200\n"
    )
    rows = [
        "01/09/2025;Requête en injonction de payer",
        "01/10/2025;Ordonnance d'injonction de payer",
        "15/10/2025;Signification",
        "02/11/2025;OPPOSITION",
        "05/11/2025;Assignation",
        "06/11/2025;reconnaissance de dette",
        "07/11/2025;Déclaration de créance",
    ]
    (tmp_path / "events.csv").write_text(
        "claim_id;date;type;written;amount;promise_date\n"
        + "".join(f"C1;{r};;;\n" for r in rows)
        + "C1;08/11/2025;promesse;peut-être;100;30/11/2025\n"
        + "C1;09/11/2025;promesse;Oui;100;30/11/2025\n"
    )
    p = read_portfolio(tmp_path)
    assert p.events["type"].tolist() == [
        "ip_request", "ip_order", "ip_service", "opposition", "summons", "acknowledgement",
        "claim_declaration",
        "promise_to_pay",
    ]  # fmt: skip
    assert p.events["written"].iloc[-1] == True  # noqa: E712 - a nullable boolean
    assert p.events["written"].iloc[:-1].isna().all()
    # the promise's written value is not a yes/no: quarantined with the reason
    q = p.quarantine
    assert q["column"].tolist() == ["written"] and "not a yes/no value" in q["reason"].iloc[0]


# ---------------------------------------------------------------------------
# routes and plans


def _claim(**cols) -> pd.DataFrame:
    row = {
        "claim_id": "c1",
        "debtor_id": "d1",
        "debtor_type": "B2B",
        "invoice_date": T("2026-01-01"),
        "due_date": T("2026-01-31"),
        "outstanding_eur": 3000.0,
        "open_dispute": False,
    }
    return pd.DataFrame([{**row, **cols}])


def test_served_unopposed_order_goes_to_enforce_title():
    # order 2 Mar 2026, served 16 Mar (art. 1411 CPC), no opposition within a month (art.
    # 1416): title on 16 Apr 2026. Enforcement: saisie-attribution 44 + dénonciation
    # (signification 25.79 x 2 + 9.40 = 60.98) + droit d'engagement on 3,000 EUR
    # (304 x 5.66 % + 608 x 2.83 % + 2,088 x 1.41 % = 63.8536) = 168.8336 EUR HT, advanced
    # and recovered on success (L111-8 CPCE). Cash in 2 months (30 Aug 2026): B2B interest
    # from 31 Jan 2026, 211 days at 12.15 %, + 40 EUR (D441-5 C. com.).
    st = _claim(p_amicable=0.4, ip_order_date=T("2026-03-02"), ip_service_date=T("2026-03-16"))
    out = judicial_assessment(st, as_of=AS_OF).iloc[0]
    acts = 44 + 60.98 + 63.8536
    x = 3000 * 0.1215 * 211 / 365 + 40
    fee32 = 14.6625 + 52.1375 + 93.879 + (3000 + x - 1525) * 0.0391  # A444-32
    p_enf = 0.4 + 0.6 * 0.4  # no solvency signal: 40 % of the non-payers
    net = d(2) * p_enf * (3000 + x + acts - fee32) - acts
    assert out["net_enforce_title_eur"] == pytest.approx(net)  # 1,847.62
    assert out["cost_enforce_title_eur"] == pytest.approx(acts + fee32)
    assert out["recommended_route"] == "enforce_title" and out["plan"] == "enforce_title"
    assert out["title_date"] == T("2026-04-16") and out["legal_flags"] == "TITLE"
    assert "saisie-attribution" in out["legal_notes"]
    # no new court case for a claim that holds a title
    assert all(np.isnan(out[f"net_{r}_eur"]) for r in ("injonction_de_payer", "action_au_fond"))


def test_consumer_title_adds_the_5_points_two_months_after_the_decision():
    # L313-3 C. mon. fin.: taux légal + 5 points two months after the enforceable
    # decision. Judgment 1 Jan 2026 -> raised from 3 Mar 2026 (61 days); cash on 30 Aug
    # 2026: 180 days at +5 %: 3,000 x 0.05 x 180 / 365 = 73.97 EUR more than without.
    base = _claim(debtor_type="B2C", p_amicable=0.4, judgment_date=T("2026-01-01"))
    out = judicial_assessment(base, as_of=AS_OF).iloc[0]
    s_off = {"rates.judgment_majoration_points": 0.0}
    from recovery_analytics.judicial import load_schedule

    flat = judicial_assessment(base, load_schedule(overrides=s_off), as_of=AS_OF).iloc[0]
    extra = 3000 * 0.05 * 180 / 365
    p_enf = 0.4 + 0.6 * 0.4
    # A444-32 on the extra interest at 3.91 % (above 1,525 EUR)
    assert out["net_enforce_title_eur"] - flat["net_enforce_title_eur"] == pytest.approx(
        d(2) * p_enf * extra * (1 - 0.0391)
    )


def test_4900_eur_with_300_eur_interest_is_not_petites_creances():
    # R125-1 CPCE: the 5,000 EUR ceiling is principal AND interest. Due 28 Dec 2025, as_of
    # 30 Jun 2026: 184 days at 12.15 %: 4,900 x 0.1215 x 184 / 365 = 300.12 -> 5,200.12.
    st = _claim(outstanding_eur=4900.0, due_date=T("2025-12-28"), invoice_date=T("2025-12-01"),
                n_formal_notices=1)  # fmt: skip
    assert np.isnan(judicial_assessment(st, as_of=AS_OF).iloc[0]["net_procedure_simplifiee_eur"])
    # 4,600 EUR: + 281.75 of interest = 4,881.75 <= 5,000: eligible
    ok = judicial_assessment(st.assign(outstanding_eur=4600.0), as_of=AS_OF).iloc[0]
    assert not np.isnan(ok["net_procedure_simplifiee_eur"])


def test_redressement_declare_au_plus_tard_and_never_write_off_undeclared():
    # BODACC publication 10 Jun 2026: declare at the latest on 10 Aug 2026 (R622-24 C. com.),
    # relevé de forclusion until 10 Dec 2026 (L622-26)
    st = _claim(outstanding_eur=8000.0, insolvency_status="redressement",
                insolvency_date=T("2026-06-10"))  # fmt: skip
    out = judicial_assessment(st, as_of=AS_OF).iloc[0]
    assert out["recommended_route"] == "declare_claim"
    assert out["declaration_deadline"] == T("2026-08-10")
    assert out["relief_deadline"] == T("2026-12-10")
    assert "au plus tard le 10/08/2026" in out["legal_notes"]
    assert "relevé de forclusion possible jusqu'au 10/12/2026" in out["legal_notes"]
    assert np.isnan(out["net_write_off_eur"])  # not declared: no write-off
    # liquidation with a worthless dividend: still declared, never written off undeclared
    liq = judicial_assessment(
        st.assign(insolvency_status="liquidation"),
        load_schedule_overrides({"routes.declare_claim.dividend_liquidation": 0.0}),
        as_of=AS_OF,
    ).iloc[0]
    assert liq["recommended_route"] == "declare_claim"
    # declared: writing off becomes possible (and the note says the claim was declared)
    done = judicial_assessment(st.assign(claim_declaration_date=T("2026-06-20")), as_of=AS_OF)
    assert not np.isnan(done.loc[0, "net_write_off_eur"])
    assert "DECLARED" in done.loc[0, "legal_flags"]


def load_schedule_overrides(over):
    from recovery_analytics.judicial import load_schedule

    return load_schedule(overrides=over)


def test_refused_request_leaves_the_amicable_chance_unchanged_and_opens_au_fond():
    # a request of 1 Feb 2026 with no order 3 months later is taken as refused: the debtor
    # never learnt of it, so continuing amicably is worth the same; no new injonction, but
    # au fond (or a référé) stays open
    st = _claim(outstanding_eur=30_000.0, p_amicable=0.4, n_formal_notices=1)
    refused = st.assign(ip_request_date=T("2026-02-01"))
    before = judicial_assessment(st, as_of=AS_OF).iloc[0]
    after = judicial_assessment(refused, as_of=AS_OF).iloc[0]
    assert after["net_continue_amicable_eur"] == before["net_continue_amicable_eur"]
    assert "IP_REFUSED" in after["legal_flags"]
    assert np.isnan(after["net_injonction_de_payer_eur"])
    assert not np.isnan(after["net_action_au_fond_eur"])
    # a request of 15 Jun 2026 is still awaiting its order: follow it
    waiting = judicial_assessment(st.assign(ip_request_date=T("2026-06-15")), as_of=AS_OF)
    assert "JUDICIAL_PENDING" in waiting.loc[0, "legal_flags"]


@pytest.mark.parametrize("amount", [8_000.0, 20_000.0, 50_000.0, 150_000.0])
def test_undisputed_claim_injonction_plan_chance_not_below_au_fond(amount):
    # the same undisputed claim: where au fond is worth more than stopping after a refused
    # or opposed injonction, the injonction plan gets a title at least as often as au fond
    # alone (0.7 x 0.95 + 0.335 x 0.9 = 0.9665 >= 0.9); it is never au fond first
    st = _claim(outstanding_eur=amount, n_formal_notices=1, n_payments=1)
    out = judicial_assessment(st, as_of=AS_OF).iloc[0]
    assert out["recommended_route"] in ("injonction_de_payer", "refere_provision")
    if amount >= 50_000:
        assert out["plan"].endswith("(opposition ou rejet : action_au_fond)")
        assert out["plan_p_title"] == pytest.approx(0.9665)


def test_score_table_shows_the_decision_inputs():
    p = portfolio("B2B", 4000.0, "2026-01-02", "2026-02-01",
                  events=[("2026-05-25", "formal_notice", None, None, None)])  # fmt: skip
    table = score_claims(p, AS_OF)
    row = table.iloc[0]
    for col in ("p_amicable_used", "plan", "next_step_date", "legal_notes"):
        assert col in table.columns
    assert row["recommended_route"] == row["plan"].split(" > ")[0]


def test_jurisdiction_from_naf_code_and_legal_form():
    # L721-3 C. com.: merchants at the tribunal de commerce; a doctor (NAF 86.21Z), an SCI
    # (catégorie juridique 6540) or a consumer at the tribunal judiciaire
    st = pd.concat(
        [
            _claim(claim_id="shop", debtor_id="a", naf_code="47.11B"),
            _claim(claim_id="doctor", debtor_id="b", naf_code="86.21Z"),
            _claim(claim_id="sci", debtor_id="c", legal_form="6540"),
            _claim(claim_id="asso", debtor_id="d", legal_form="Association loi 1901"),
            _claim(claim_id="person", debtor_id="e", debtor_type="B2C"),
        ],
        ignore_index=True,
    ).assign(n_formal_notices=1)
    out = judicial_assessment(st, as_of=AS_OF).set_index("claim_id")
    assert out["court"].to_dict() == {
        "asso": "tribunal_judiciaire", "doctor": "tribunal_judiciaire",
        "person": "tribunal_judiciaire", "sci": "tribunal_judiciaire",
        "shop": "tribunal_de_commerce",
    }  # fmt: skip
    # the injonction's greffe: 38.40 EUR TTC (32.00 HT for a creditor that recovers VAT)
    # at the TC, none at the TJ (UNC): the doctor's injonction costs 32.00 less
    diff = (
        out.loc["shop", "cost_injonction_de_payer_eur"]
        - out.loc["doctor", "cost_injonction_de_payer_eur"]
    )
    assert diff == pytest.approx(32.00)


def test_art_750_1_conciliation_before_refere_or_au_fond_at_the_tj_up_to_5000_eur():
    # art. 750-1 CPC: at the tribunal judiciaire, <= 5,000 EUR, a prior conciliation for a
    # référé or au fond (2 months, assumption), not for an injonction de payer
    from recovery_analytics.judicial import load_schedule

    none = load_schedule(overrides={"courts.conciliation_750_1_months": 0.0})
    tj = _claim(debtor_type="B2C", outstanding_eur=4000.0, n_formal_notices=1,
                formal_notice_date=T("2026-04-01"))  # fmt: skip
    with_step = judicial_assessment(tj, as_of=AS_OF).iloc[0]
    without = judicial_assessment(tj, none, as_of=AS_OF).iloc[0]
    assert with_step["net_refere_provision_eur"] < without["net_refere_provision_eur"]
    assert with_step["net_injonction_de_payer_eur"] == without["net_injonction_de_payer_eur"]
    # above 5,000 EUR, or at the tribunal de commerce: no step
    for st in (tj.assign(outstanding_eur=6000.0), tj.assign(debtor_type="B2B")):
        a = judicial_assessment(st, as_of=AS_OF).iloc[0]
        b = judicial_assessment(st, none, as_of=AS_OF).iloc[0]
        assert a["net_refere_provision_eur"] == b["net_refere_provision_eur"]
    # a référé chosen at the TJ (lawyer at 50 EUR/h, no injonction or petites créances
    # that could succeed) shows the step first in its plan
    cheap = load_schedule(
        overrides={
            "routes.injonction_de_payer.refused_rate": 1.0,
            "routes.procedure_simplifiee.acceptance_rate": 0.0,
            "lawyers.hourly_rate_eur": 50.0,
        }
    )
    out = judicial_assessment(tj, cheap, as_of=AS_OF).iloc[0]
    assert out["recommended_route"] == "refere_provision"
    assert out["plan"] == (
        "conciliation (art. 750-1 CPC) > refere_provision > enforce_title (rejet : action_au_fond)"
    )


def test_legal_form_column_reaches_the_court_through_the_state():
    p = portfolio("B2B", 3000.0, "2026-01-01", "2026-02-01", legal_form="SCI", naf_code="47.11B")
    assert assess(p)["court"] == "tribunal_judiciaire"
    p = portfolio("B2B", 3000.0, "2026-01-01", "2026-02-01", naf_code="47.11B")
    assert assess(p)["court"] == "tribunal_de_commerce"


def test_a_mapping_may_name_the_optional_written_column(tmp_path):
    (tmp_path / "debtors.csv").write_text("debtor_id;debtor_type\nD1;pro\n")
    (tmp_path / "claims.csv").write_text(
        "claim_id;debtor_id;invoice_date;due_date;amount\nC1;D1;01/01/2026;01/02/2026;100\n"
    )
    (tmp_path / "events.csv").write_text(
        "claim_id;date;type;amount;promise_date;Écrit\nC1;05/02/2026;promesse;50;20/02/2026;oui\n"
    )
    mapping = tmp_path / "map.toml"
    mapping.write_text('[events.columns]\n"Écrit" = "written"\n', encoding="utf-8")
    p = read_portfolio(tmp_path, mapping)
    assert p.events["written"].tolist() == [True] and len(p.quarantine) == 0
    # the written promise interrupts: 5 Feb 2026 + 5 years (B2B)
    assert assess(p)["prescription_date"] == T("2031-02-05")


def test_the_issue_s_4000_eur_claim_180_days_late_two_broken_promises_goes_to_injonction():
    # B2B 4,000 EUR, solvent (no insolvency), 180 days late, mise en demeure sent, two
    # broken promises (poor solvency signal), prior p_amicable 40 % at 180 days: an
    # injonction de payer (about 100 EUR of fees), not an agency at 15 %
    st = _claim(
        invoice_date=T("2025-12-02"),
        due_date=T("2026-01-01"),
        outstanding_eur=4000.0,
        n_formal_notices=1,
        formal_notice_date=T("2026-03-01"),
        n_promises_broken=2,
    )
    out = judicial_assessment(st, as_of=AS_OF).iloc[0]
    assert out["p_amicable_used"] == pytest.approx(0.40)
    assert out["solvency_signal"] == "poor"
    assert out["recommended_route"] == "injonction_de_payer"
    assert out["net_injonction_de_payer_eur"] > out["net_agency_eur"]
    # without the mise en demeure: that first, the injonction next in the plan
    first = judicial_assessment(
        st.assign(n_formal_notices=0, formal_notice_date=pd.NaT), as_of=AS_OF
    ).iloc[0]
    assert first["plan"] == "formal_notice > injonction_de_payer > enforce_title"


def test_legal_form_code_read_as_a_number_still_decides_the_court():
    from recovery_analytics.judicial import court_of

    st = pd.DataFrame({"debtor_type": ["B2B", "B2B", "B2B"], "legal_form": [6540.0, 5499.0, None]})
    # 6540 = SCI (civil: tribunal judiciaire), 5499 = SARL (tribunal de commerce)
    assert court_of(st).tolist() == [False, True, True]


def test_declarations_due_leave_out_declared_and_foreclosed_claims():
    from recovery_analytics.judicial import declarations_due

    r = pd.DataFrame(
        {
            "claim_id": list("abcd"),
            "debtor_id": ["d1", "d2", "d3", "d4"],
            "as_of": T(AS_OF),
            "outstanding_eur": [100.0, 50.0, 80.0, 30.0],
            "legal_flags": [
                "INSOLVENCY",
                "INSOLVENCY;DECLARED",
                "INSOLVENCY;FORECLOSED",
                "INSOLVENCY;DECLARATION_LATE",
            ],
            "declaration_deadline": pd.to_datetime(
                ["2026-08-10", "2026-08-10", "2025-08-10", "2026-06-10"]
            ),
        }
    )
    # d1 to declare by 10/08/2026 (R622-24), d4 late but within the relevé window (L622-26)
    assert declarations_due(r)["debtor_id"].tolist() == ["d4", "d1"]


def test_docs_list_every_uncertain_figure_of_the_schedule():
    from pathlib import Path

    from recovery_analytics.judicial import load_schedule

    doc = (Path(__file__).parents[1] / "docs" / "judicial.md").read_text("utf-8")
    section = doc[doc.index("## Assumptions and uncertain figures") :]
    section = section[: section.index("\n## ", 5)]
    table = load_schedule().to_frame()
    listed = {line.split("`")[1] for line in section.splitlines() if line.startswith("| `")}
    assert listed == set(table.loc[table["uncertain"], "key"])
