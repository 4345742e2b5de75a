"""The cost schedule (loading, overrides, validation) and the money rules, in hand-worked euros."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from recovery_analytics.judicial import (
    CostSchedule,
    a444_31_fee,
    a444_32_fee,
    act_cost,
    droit_engagement_fee,
    indemnity_b2b,
    interest_rate_table,
    late_interest,
    load_schedule,
    signification_cost,
)
from recovery_analytics.portfolio import InputError

# ---------------------------------------------------------------------------
# tariffs


def test_a444_32_fee_on_4000_eur():
    # Marginal bands: 125 x 11.73 % = 14.6625; (610 - 125) x 10.75 % = 52.1375;
    # (1525 - 610) x 10.26 % = 93.879; (4000 - 1525) x 3.91 % = 96.7725
    # total 257.4515 -> the "about 257 EUR HT on 4,000 EUR" of the facts file.
    assert float(a444_32_fee(4000.0)) == pytest.approx(257.4515, abs=1e-9)
    # 100 EUR: first band only, 100 x 11.73 % = 11.73, below the A444-32 minimum of
    # 21.28 EUR (fixed up to 188 EUR, earlier text, UNC): 21.28
    assert float(a444_32_fee(100.0)) == pytest.approx(21.28)
    # 188 EUR: 14.6625 + 63 x 10.75 % = 21.435 > 21.28: the bands again
    assert float(a444_32_fee(188.0)) == pytest.approx(21.435)
    without_floor = load_schedule(overrides={"tariffs.a444_32.floor_eur": 0.0})
    assert float(a444_32_fee(100.0, without_floor)) == pytest.approx(11.73)
    # 60,000 EUR: 14.6625 + 52.1375 + 93.879 + (52,400 - 1,525) x 3.91 % = 1,989.2125
    # -> 2,149.8915, + (60,000 - 52,400) x 2.98 % = 226.48 -> 2,376.3715
    assert float(a444_32_fee(60_000.0)) == pytest.approx(2376.3715)
    # cap 5,540 EUR reached for very large amounts
    assert float(a444_32_fee(1e9)) == 5540.0
    assert float(a444_32_fee(0.0)) == 0.0


def test_a444_31_fee_floor_bands_and_cap():
    # 4,000 EUR: 125 x 9.77 % = 12.2125; 485 x 6.35 % = 30.7975; 915 x 3.41 % = 31.2015;
    # 2,475 x 0.29 % = 7.1775 -> 81.389
    assert float(a444_31_fee(4000.0)) == pytest.approx(81.389)
    # <= 44 EUR: 4.30 EUR (44 x 9.77 % = 4.2988 < 4.30)
    np.testing.assert_allclose(a444_31_fee([10.0, 44.0]), [4.30, 4.30])
    assert float(a444_31_fee(1e7)) == 550.0


def test_droit_engagement_des_poursuites():
    # 4,000 EUR: 304 x 5.66 % = 17.2064; 608 x 2.83 % = 17.2064; 2,128 x 1.41 % = 30.0048;
    # 960 x 0.28 % = 2.688 -> 67.1056
    assert float(droit_engagement_fee(4000.0)) == pytest.approx(67.1056)
    assert float(droit_engagement_fee(50.0)) == 4.29  # <= 76 EUR
    assert float(droit_engagement_fee(1e8)) == 268.13  # cap


def test_signification_multiplier_a444_46():
    # 25.79 x multiplier + 9.40 transport: x0.5 up to 128, x1 up to 1,280, x2 above
    got = signification_cost([100.0, 128.0, 128.01, 1000.0, 1280.0, 1280.01, 4000.0])
    want = [22.295, 22.295, 35.19, 35.19, 35.19, 60.98, 60.98]
    np.testing.assert_allclose(got, want)
    # commandement de payer on 4,000 EUR: 20.42 x 2 + 9.40 = 50.24
    assert float(act_cost(4000.0, "commandement_de_payer")) == pytest.approx(50.24)


def test_b2b_indemnity_is_40_eur_per_invoice():
    np.testing.assert_allclose(indemnity_b2b([1, 3]), [40.0, 120.0])


# ---------------------------------------------------------------------------
# interest


def test_rate_table_b2b_is_refi_plus_10_points():
    t = interest_rate_table()
    # H1 2025: refi 3.15 % -> 13.15 %; H2 2025 and H1 2026: refi 2.15 % -> 12.15 %
    np.testing.assert_allclose(t["b2b_rate"], [0.1315, 0.1215, 0.1215])
    # B2C: taux légal "autres cas" (the creditor is a professional)
    np.testing.assert_allclose(t["b2c_rate"], [0.0371, 0.0276, 0.0262])


def test_b2b_interest_across_two_half_years():
    # 10,000 EUR from 1 Jun 2025 to 31 Aug 2025:
    # 30 days in H1 at 13.15 % + 61 days in H2 at 12.15 %
    # = 10,000 x (0.1315 x 30 + 0.1215 x 61) / 365 = 10,000 x 11.3565 / 365 = 311.1370
    got = late_interest(10_000.0, "2025-06-01", "2025-08-31", "B2B")
    assert float(got[0]) == pytest.approx(311.1369863, abs=1e-6)


def test_b2c_interest_at_taux_legal():
    # 1,000 EUR over 100 days of H1 2026 at 2.62 % (autres cas): 1,000 x 0.0262 x 100 / 365 = 7.1781
    got = late_interest([1000.0], ["2026-01-01"], ["2026-04-11"], ["B2C"])
    assert float(got[0]) == pytest.approx(7.178082, abs=1e-6)
    # Creditor category "particuliers" (6.67 %): 1,000 x 0.0667 x 100 / 365 = 18.2740
    s = load_schedule(overrides={"rates.b2c_rate_category": "particuliers"})
    got = late_interest([1000.0], ["2026-01-01"], ["2026-04-11"], ["B2C"], s)
    assert float(got[0]) == pytest.approx(18.273973, abs=1e-6)


def test_b2b_floor_three_times_taux_legal():
    # With a refi of 0 in H1 2025 the rate would be 10 %, below the floor 3 x 3.71 % = 11.13 %:
    # 10,000 x 0.1113 x 30 / 365 = 91.4795
    periods = [
        {"valid_from": pd.Timestamp("2025-01-01").date(), "value": 0.0},
        {"valid_from": pd.Timestamp("2025-07-01").date(), "value": 0.0215},
    ]
    s = load_schedule(overrides={"rates.ecb_refi.periods": periods})
    got = late_interest(10_000.0, "2025-03-01", "2025-03-31", "B2B", s)
    assert float(got[0]) == pytest.approx(91.479452, abs=1e-6)


def test_interest_vectorised_nat_and_reversed_dates():
    got = late_interest(
        [1000.0, 1000.0, 1000.0],
        pd.Series(pd.to_datetime(["2026-01-01", None, "2026-03-01"])),
        pd.Series(pd.to_datetime(["2026-01-01", "2026-02-01", "2026-01-01"])),
        ["B2B", "B2B", "B2C"],
    )
    assert got[0] == 0.0 and np.isnan(got[1]) and got[2] == 0.0


def test_interest_outside_table_uses_nearest_period():
    # 2027 is after the last period (H1 2026, 12.15 %): 365 days -> 12.15 % of 1,000
    got = late_interest(1000.0, "2027-01-01", "2028-01-01", "B2B")
    assert float(got[0]) == pytest.approx(121.5)


# ---------------------------------------------------------------------------
# schedule loading and validation


def test_default_schedule_every_figure_has_a_source():
    frame = load_schedule().to_frame()
    assert (frame["source"].str.len() > 0).all()
    # UNC items of the facts file are flagged
    flagged = set(frame.loc[frame["uncertain"], "key"])
    assert {"routes.injonction_de_payer.refused_rate", "courts.greffe_ip_tj_eur"} <= flagged
    assert "rates.b2b_margin_points" not in flagged


def test_override_single_value_and_dotted_keys():
    s = load_schedule(overrides={"routes.injonction_de_payer.lawyer_fee_eur": 200})
    assert s.value("routes.injonction_de_payer.lawyer_fee_eur") == 200
    s2 = s.with_overrides({"routes": {"agency": {"fee_share": 0.2}}})
    assert s2.value("routes.agency.fee_share") == 0.2
    assert s2.value("routes.injonction_de_payer.lawyer_fee_eur") == 200  # kept
    assert load_schedule().value("routes.agency.fee_share") == 0.15  # default untouched


def test_partial_costs_file_merged_over_default(tmp_path):
    f = tmp_path / "costs.toml"
    f.write_text(
        "[routes.agency]\nfee_share = 0.25\n\n"
        "[tariffs.cj_acts.signification_eur]\nvalue = 30.0\nsource = 'our CJ, 2026'\n"
    )
    s = load_schedule(f)
    assert isinstance(s, CostSchedule) and s.source == "costs.toml"
    assert s.value("routes.agency.fee_share") == 0.25
    # 30 x 2 + 9.40 = 69.40 for a claim above 1,280 EUR
    assert float(signification_cost(4000.0, s)) == pytest.approx(69.40)
    assert s.value("routes.injonction_de_payer.refused_rate") == 0.30


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[routes.injonction_de_payer]\nlawyer_fee_eur = 'abc'\n",
            "costs.toml: routes.injonction_de_payer.lawyer_fee_eur must be a number, got 'abc'",
        ),
        ("[routes.agency]\nfee_shar = 0.2\n", "costs.toml: unknown key routes.agency.fee_shar"),
        (
            "[routes.agency]\nfee_share = 1.5\n",
            "routes.agency.fee_share must be a number between 0",
        ),
        ("[routes.agency\nfee_share = 0.2\n", "costs.toml: not a valid TOML file"),
        ("[tariffs.a444_32]\nbands = [[610.0, 0.1], [125.0, 0.1]]\n", "tariffs.a444_32.bands"),
        ("[legal.prescription_start_b2c]\nvalue = 'payment'\n", "must be one of"),
        ("[legal.legacy_filing_interrupts]\nvalue = 1\n", "must be a boolean"),
    ],
)
def test_invalid_costs_file_names_the_key(tmp_path, text, message):
    f = tmp_path / "costs.toml"
    f.write_text(text)
    with pytest.raises(InputError, match=re.escape(message)):
        load_schedule(f)


def test_missing_costs_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=re.escape("nope.toml: cannot read")):
        load_schedule(tmp_path / "nope.toml")


def test_invalid_override_names_the_key():
    with pytest.raises(
        InputError, match=re.escape("overrides: routes.agency.fee_share must be a number")
    ):
        load_schedule(overrides={"routes.agency.fee_share": "x"})


def test_outdated_figures_after_the_tariff_expiry():
    s = load_schedule()
    assert s.outdated("2026-01-01") == []
    assert "tariffs.a444_32" in s.outdated("2026-06-30")


def test_vat_regime_puts_costs_and_amounts_on_one_basis(tmp_path):
    # A creditor liable to VAT bears the injonction's greffe 38.40 EUR TTC as 32.00 HT and
    # the CJ acts HT; one that is not bears 38.40 and the acts + 20 %.
    from recovery_analytics.judicial import judicial_assessment

    st = pd.DataFrame(
        {"claim_id": ["c"], "debtor_id": ["d"], "debtor_type": ["B2B"],
         "invoice_date": [pd.Timestamp("2026-01-02")], "due_date": [pd.Timestamp("2026-02-01")],
         "outstanding_eur": [4000.0], "n_payments": [1], "p_amicable": [0.5]}
    )  # fmt: skip
    recovers = judicial_assessment(st, as_of="2026-06-01").iloc[0]
    bears = judicial_assessment(
        st, load_schedule(overrides={"general.vat_regime": "bears_vat"}), as_of="2026-06-01"
    ).iloc[0]
    # IP cost = greffe + signification 60.98 + enforcement 161.3456 + A444-32 271.6145 (HT)
    ht = 60.98 + 161.3456 + 257.4515 + (4000 * 0.1215 * 242 / 365 + 40) * 0.0391
    assert recovers["cost_injonction_de_payer_eur"] == pytest.approx(32.00 + ht)
    assert bears["cost_injonction_de_payer_eur"] == pytest.approx(38.40 + 1.2 * ht)
    # the older boolean setting is still read
    old = tmp_path / "old.toml"
    old.write_text("[general]\ncreditor_recovers_vat = false\n", encoding="utf-8")
    assert load_schedule(old).value("general.vat_regime") == "bears_vat"
    assert (
        load_schedule(overrides={"general.creditor_recovers_vat": True}).value("general.vat_regime")
        == "recovers_vat"
    )
