"""Legal guards: prescription, insolvency deadlines, disputes, and the French notes."""

from __future__ import annotations

import pandas as pd
import pytest

from recovery_analytics.judicial import (
    describe_flags,
    legal_guards,
    load_schedule,
    prescription_dates,
)

T = pd.Timestamp


def _state(**cols) -> pd.DataFrame:
    base = {
        "claim_id": ["c1"],
        "debtor_id": ["d1"],
        "debtor_type": ["B2B"],
        "invoice_date": [T("2026-01-01")],
        "due_date": [T("2026-02-01")],
    }
    base.update({k: [v] for k, v in cols.items()})
    return pd.DataFrame(base)


def test_b2b_4_years_11_months_past_due_is_urgent():
    # due 1 Aug 2021 + 5 years = 1 Aug 2026; as_of 1 Jul 2026 -> 31 days left (<= 90): urgent
    g = legal_guards(
        _state(invoice_date=T("2021-06-01"), due_date=T("2021-08-01")), as_of="2026-07-01"
    )
    assert g.loc[0, "prescription_date"] == T("2026-08-01")
    assert g.loc[0, "days_to_prescription"] == 31
    assert g.loc[0, "prescription_urgent"] and not g.loc[0, "prescribed"]
    text = describe_flags(g)
    # 31 days < 45 days to obtain and serve an injonction: only a summons interrupts in time
    assert text.loc[0, "legal_flags"] == "PRESCRIPTION_URGENT;IP_TOO_LATE"
    assert text.loc[0, "legal_notes"].startswith("Prescription le 01/08/2026 (dans 31 jours)")
    assert (
        "assigner, l'assignation interrompt la prescription (art. 2241"
        in (text.loc[0, "legal_notes"])
    )


def test_b2c_2_years_1_month_after_invoice_is_prescribed():
    # B2C: 2 years from the invoice date 15 May 2024 -> 15 May 2026; as_of 15 Jun 2026: -31 days
    st = _state(debtor_type="B2C", invoice_date=T("2024-05-15"), due_date=T("2024-06-15"))
    g = legal_guards(st, as_of="2026-06-15")
    assert g.loc[0, "prescription_date"] == T("2026-05-15")
    assert g.loc[0, "days_to_prescription"] == -31
    assert g.loc[0, "prescribed"]
    assert "Créance prescrite depuis le 15/05/2026" in describe_flags(g).loc[0, "legal_notes"]


def test_b2c_starting_point_is_configurable():
    st = _state(debtor_type="B2C", invoice_date=T("2024-05-15"), due_date=T("2024-06-15"))
    s = load_schedule(overrides={"legal.prescription_start_b2c": "due_date"})
    # from the due date: 15 Jun 2024 + 2 years = 15 Jun 2026 -> last day, not yet prescribed
    g = legal_guards(st, s, as_of="2026-06-15")
    assert g.loc[0, "prescription_date"] == T("2026-06-15")
    assert not g.loc[0, "prescribed"] and g.loc[0, "prescription_urgent"]


def test_partial_payment_restarts_prescription():
    # due 1 Mar 2021 -> would be prescribed on 1 Mar 2026; a payment on 10 Jan 2024
    # (acknowledgement, art. 2240) restarts the 5 years: 10 Jan 2029.
    without = legal_guards(
        _state(due_date=T("2021-03-01"), invoice_date=T("2021-01-01")), as_of="2026-06-30"
    )
    assert without.loc[0, "prescribed"]
    st = _state(
        due_date=T("2021-03-01"),
        invoice_date=T("2021-01-01"),
        last_acknowledgement_date=T("2024-01-10"),
    )
    g = legal_guards(st, as_of="2026-06-30")
    assert g.loc[0, "prescription_date"] == T("2029-01-10")
    assert not g.loc[0, "prescribed"]
    # 10 Jan 2029 - 30 Jun 2026 = 925 days (2026-06-30 -> 2028-06-30 = 731, + 194)
    assert g.loc[0, "days_to_prescription"] == 925


def test_formal_notice_does_not_interrupt_but_a_summons_does():
    st = _state(due_date=T("2021-03-01"), formal_notice_date=T("2025-01-01"))
    assert prescription_dates(st).loc[0, "prescription_date"] == T("2026-03-01")
    # a summons (assignation) interrupts, art. 2241 C. civ.: 1 Jan 2025 + 5 years
    st = _state(due_date=T("2021-03-01"), summons_date=T("2025-01-01"))
    assert prescription_dates(st).loc[0, "prescription_date"] == T("2030-01-01")
    # an unspecified judicial_filing may be a mere request: it does not interrupt by
    # default (legal.legacy_filing_interrupts), it does when the setting says so
    st = _state(due_date=T("2021-03-01"), judicial_filing_date=T("2025-01-01"))
    assert prescription_dates(st).loc[0, "prescription_date"] == T("2026-03-01")
    s = load_schedule(overrides={"legal.legacy_filing_interrupts": True})
    assert prescription_dates(st, s).loc[0, "prescription_date"] == T("2030-01-01")


def test_judgment_starts_the_title_time_limit():
    # a judgment on 1 Jun 2022 can be enforced for 10 years (L111-4 CPCE, UNC): 1 Jun 2032
    st = _state(due_date=T("2020-03-01"), judgment_date=T("2022-06-01"))
    assert prescription_dates(st).loc[0, "prescription_date"] == T("2032-06-01")


def test_leap_day_plus_two_years_is_end_of_february():
    st = _state(debtor_type="B2C", invoice_date=T("2024-02-29"), due_date=T("2024-03-31"))
    assert prescription_dates(st).loc[0, "prescription_date"] == T("2026-02-28")


def test_liquidation_declaration_deadline_and_late_flag():
    # BODACC publication 20 May 2026 + 2 months = 20 Jul 2026
    st = _state(insolvency_status="liquidation", insolvency_date=T("2026-05-20"))
    g = legal_guards(st, as_of="2026-06-30")
    assert g.loc[0, "declaration_deadline"] == T("2026-07-20")
    assert g.loc[0, "insolvency"] and not g.loc[0, "declaration_late"]
    note = describe_flags(g).loc[0, "legal_notes"]
    assert note == (
        "Débiteur en liquidation : aucune action individuelle, déclarer la créance au "
        "mandataire judiciaire au plus tard le 20/07/2026 (art. R622-24 C. com.) ; passé ce "
        "délai, relevé de forclusion possible jusqu'au 20/11/2026 (art. L622-26 C. com.)."
    )
    late = legal_guards(st, as_of="2026-08-01")
    assert late.loc[0, "declaration_late"]
    assert describe_flags(late).loc[0, "legal_flags"] == "INSOLVENCY;DECLARATION_LATE"
    assert (
        "relevé de forclusion au plus tard le 20/11/2026"
        in (describe_flags(late).loc[0, "legal_notes"])
    )
    # after the 6 months of L622-26: foreclosed
    gone = legal_guards(st, as_of="2026-11-21")
    assert describe_flags(gone).loc[0, "legal_flags"] == "INSOLVENCY;FORECLOSED"


def test_insolvency_without_date_is_flagged():
    st = _state(insolvency_status="redressement", insolvency_date=pd.NaT)
    g = legal_guards(st, as_of="2026-06-30")
    assert pd.isna(g.loc[0, "declaration_deadline"])
    assert describe_flags(g).loc[0, "legal_flags"] == "INSOLVENCY;INSOLVENCY_DATE_UNKNOWN"


def test_dispute_not_due_and_pending_flags():
    st = pd.concat(
        [
            _state(open_dispute=True),
            _state(due_date=T("2026-09-01"), open_dispute=False),
            _state(judicial_filing_date=T("2026-03-01"), open_dispute=False),
        ],
        ignore_index=True,
    )
    g = legal_guards(st, as_of="2026-06-30")
    assert g["disputed"].tolist() == [True, False, False]
    assert g["not_due"].tolist() == [False, True, False]
    assert g["judicial_pending"].tolist() == [False, False, True]
    assert describe_flags(g)["legal_flags"].tolist() == ["DISPUTED", "NOT_DUE", "JUDICIAL_PENDING"]


def test_as_of_taken_from_state_column_or_required():
    st = _state(as_of=T("2026-06-30"))
    assert (
        legal_guards(st).loc[0, "days_to_prescription"] == (T("2031-02-01") - T("2026-06-30")).days
    )
    with pytest.raises(ValueError, match="as_of"):
        legal_guards(_state())


def test_no_flags_gives_empty_strings():
    text = describe_flags(legal_guards(_state(), as_of="2026-06-30"))
    assert text.loc[0, "legal_flags"] == "" and text.loc[0, "legal_notes"] == ""


# ---------------------------------------------------------------------------
# December 2026 review: what interrupts prescription, titles, insolvency deadlines


def test_unserved_injonction_order_leaves_b2c_claim_time_barred():
    # B2C invoice 10 Jan 2024 -> prescribed on 10 Jan 2026 (L218-2 C. conso.). An IP
    # request (5 Sep 2025) and an order (1 Oct 2025) never served: the request interrupts
    # nothing (Cass. 10/07/1990), the order is void after 6 months (art. 1411 CPC):
    # on 30 Jun 2026 the claim is time-barred.
    st = _state(
        debtor_type="B2C",
        invoice_date=T("2024-01-10"),
        due_date=T("2024-02-10"),
        ip_request_date=T("2025-09-05"),
        ip_order_date=T("2025-10-01"),
        judicial_filing_date=T("2025-09-05"),
    )
    g = legal_guards(st, as_of="2026-06-30")
    assert g.loc[0, "prescription_date"] == T("2026-01-10")
    assert g.loc[0, "prescribed"] and g.loc[0, "ip_order_void"]
    assert pd.isna(g.loc[0, "title_date"])
    text = describe_flags(g).loc[0]
    assert text["legal_flags"] == "PRESCRIBED;IP_ORDER_VOID"
    assert "non avenue" in text["legal_notes"] and "art. 1411 CPC" in text["legal_notes"]


def test_order_served_within_6_months_interrupts_and_becomes_a_title():
    # order 1 Oct 2025 served 15 Oct 2025 (< 6 months, art. 1411 CPC): interruption on
    # 15 Oct 2025; not opposed within a month (art. 1416 CPC): title on 15 Nov 2025,
    # enforceable 10 years from the order (L111-4 CPCE): 1 Oct 2035.
    st = _state(
        debtor_type="B2C",
        invoice_date=T("2024-01-10"),
        due_date=T("2024-02-10"),
        ip_order_date=T("2025-10-01"),
        ip_service_date=T("2025-10-15"),
    )
    g = legal_guards(st, as_of="2026-06-30")
    assert g.loc[0, "title_date"] == T("2025-11-15")
    assert g.loc[0, "prescription_date"] == T("2035-10-01")
    assert g.loc[0, "title"] and not g.loc[0, "judicial_pending"]
    assert describe_flags(g).loc[0, "legal_flags"] == "TITLE"
    # served late (7 months after the order): void, no interruption, no title
    late = legal_guards(st.assign(ip_service_date=T("2026-05-02")), as_of="2026-06-30")
    assert late.loc[0, "ip_order_void"] and late.loc[0, "prescribed"]
    # opposed: no title, the case goes on before the court
    opposed = legal_guards(st.assign(opposition_date=T("2025-11-05")), as_of="2026-06-30")
    assert not opposed.loc[0, "title"] and opposed.loc[0, "judicial_pending"]
    # served 20 days before as_of: the month to oppose still runs, no title yet
    young = legal_guards(
        st.assign(ip_order_date=T("2026-06-01"), ip_service_date=T("2026-06-10")),
        as_of="2026-06-30",
    )
    assert not young.loc[0, "title"] and young.loc[0, "judicial_pending"]


def test_order_still_to_serve_gives_the_last_day():
    # order 1 Jun 2026, not served on 30 Jun 2026: serve by 1 Dec 2026 (art. 1411 CPC)
    st = _state(ip_order_date=T("2026-06-01"))
    g = legal_guards(st, as_of="2026-06-30")
    assert g.loc[0, "ip_order_to_serve"] and g.loc[0, "ip_serve_by"] == T("2026-12-01")
    note = describe_flags(g).loc[0, "legal_notes"]
    assert note.startswith(
        "Ordonnance d'injonction de payer à faire signifier au plus tard le 01/12/2026"
    )


def test_phone_promise_does_not_interrupt_a_written_one_does():
    # art. 2240 C. civ.: an acknowledgement interrupts only if provable. B2C invoice
    # 1 Mar 2024 -> 1 Mar 2026. A promise of unknown form on 1 Feb 2026 leaves the claim
    # prescribed on 30 Jun 2026; a written one restarts 2 years: 1 Feb 2028.
    base = {"debtor_type": "B2C", "invoice_date": T("2024-03-01"), "due_date": T("2024-04-01")}
    oral = legal_guards(_state(**base, last_promise_form_unknown_date=T("2026-02-01")),
                        as_of="2026-06-30")  # fmt: skip
    assert oral.loc[0, "prescribed"] and oral.loc[0, "promise_not_provable"]
    assert "PROMISE_NOT_PROVABLE" in describe_flags(oral).loc[0, "legal_flags"]
    written = legal_guards(_state(**base, last_acknowledgement_date=T("2026-02-01")),
                           as_of="2026-06-30")  # fmt: skip
    assert written.loc[0, "prescription_date"] == T("2028-02-01")
    # the setting for CRMs that log only written promises
    s = load_schedule(overrides={"legal.promise_form_unknown_interrupts": True})
    g = legal_guards(_state(**base, last_promise_form_unknown_date=T("2026-02-01")), s,
                     as_of="2026-06-30")  # fmt: skip
    assert g.loc[0, "prescription_date"] == T("2028-02-01")


def test_b2c_start_at_performance_date_when_given():
    # Civ. 1re 19/05/2021: the B2C period runs from the completion of the service:
    # works done 1 Feb 2024, invoiced 1 Jun 2024 -> prescribed on 1 Feb 2026
    st = _state(debtor_type="B2C", invoice_date=T("2024-06-01"), due_date=T("2024-07-01"),
                performance_date=T("2024-02-01"))  # fmt: skip
    assert prescription_dates(st).loc[0, "prescription_date"] == T("2026-02-01")


def test_redressement_published_10_june_2026_declare_au_plus_tard_10_august():
    # art. R622-24 C. com.: 2 months after the BODACC publication; relevé de forclusion
    # within 6 months (art. L622-26): until 10 Dec 2026.
    st = _state(insolvency_status="redressement", insolvency_date=T("2026-06-10"))
    g = legal_guards(st, as_of="2026-06-30")
    assert g.loc[0, "declaration_deadline"] == T("2026-08-10")
    assert g.loc[0, "relief_deadline"] == T("2026-12-10")
    note = describe_flags(g).loc[0, "legal_notes"]
    assert "au plus tard le 10/08/2026" in note
    assert "relevé de forclusion possible jusqu'au 10/12/2026 (art. L622-26" in note
    # a creditor outside metropolitan France has 2 more months (R622-24): 10 Oct 2026
    s = load_schedule(overrides={"general.creditor_outside_metropolitan_france": True})
    assert legal_guards(st, s, as_of="2026-06-30").loc[0, "declaration_deadline"] == T("2026-10-10")
    # declared: interrupts prescription (L622-25-1 C. com.) and the note says so
    done = legal_guards(st.assign(claim_declaration_date=T("2026-07-01")), as_of="2026-07-02")
    assert describe_flags(done).loc[0, "legal_flags"] == "INSOLVENCY;DECLARED"
