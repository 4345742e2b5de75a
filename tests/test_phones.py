"""French phone numbers: validation, normalisation, French writing."""

from __future__ import annotations

import pandas as pd

from recovery_analytics.queue import check_french_phone, format_french_phone


def test_french_phone_numbers_are_validated_and_normalised():
    raw = pd.Series(
        [
            "06 12 34 56 78",
            "06.12.34.56.78",
            "+33 6 12 34 56 78",
            "+33 (0)1 23 45 67 89",
            "0033 612345678",
            "+262 692 12 34 56",  # Réunion mobile
            "+596 596 12 34 56",  # Martinique landline
            "+44 20 7123 4567",  # foreign, callable
            "06 12 34",  # truncated
            "00 00 00 00 00",  # placeholder
            "06 11 11 11 11",  # fake
            "tel 0612345678",  # letters
            "",
            None,
        ]
    )
    out = check_french_phone(raw)
    assert out["phone_status"].tolist() == [
        "ok", "ok", "ok", "ok", "ok", "ok", "ok", "foreign",
        "malformed", "malformed", "malformed", "malformed", "missing", "missing",
    ]  # fmt: skip
    assert out["phone_national"].tolist()[:8] == [
        "0612345678", "0612345678", "0612345678", "0123456789", "0612345678",
        "0692123456", "0596123456", "+442071234567",
    ]  # fmt: skip
    assert out["phone_national"].iloc[8:].isna().all()
    formatted = format_french_phone(out["phone_national"])
    assert formatted.iloc[0] == "06 12 34 56 78"
    assert formatted.iloc[5] == "06 92 12 34 56"
    assert formatted.iloc[7] == "+442071234567"
