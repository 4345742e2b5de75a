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
    assert text.loc[0, "legal_flags"] == "PRESCRIPTION_URGENT"
    assert text.loc[0, "legal_notes"].startswith("Prescription le 01/08/2026 (dans 31 jours)")


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


def test_formal_notice_does_not_interrupt_but_a_filing_does():
    st = _state(due_date=T("2021-03-01"), formal_notice_date=T("2025-01-01"))
    assert prescription_dates(st).loc[0, "prescription_date"] == T("2026-03-01")
    st = _state(due_date=T("2021-03-01"), judicial_filing_date=T("2025-01-01"))
    assert prescription_dates(st).loc[0, "prescription_date"] == T("2030-01-01")


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
        "mandataire judiciaire avant le 20/07/2026."
    )
    late = legal_guards(st, as_of="2026-08-01")
    assert late.loc[0, "declaration_late"]
    assert describe_flags(late).loc[0, "legal_flags"] == "INSOLVENCY;DECLARATION_LATE"


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
