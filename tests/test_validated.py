"""The validated copy: written once by the weekly job, read back exactly as validated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from recovery_analytics.portfolio import InputError, read_portfolio, read_validated, write_validated

FIXTURE = Path(__file__).parent / "fixtures" / "erp_fr"


def test_round_trip_keeps_tables_quarantine_warnings_and_dtypes(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "src")
    with open(tmp_path / "src" / "events.csv", "a", encoding="utf-8") as fh:
        fh.write("F07-0000000;20/05/2026;payment;99 999,00;\n")  # an overpayment: a warning
    p = read_portfolio(tmp_path / "src")
    assert len(p.quarantine) and len(p.warnings)  # something to carry
    q = read_validated(write_validated(p, tmp_path / "v"))
    for name in ("debtors", "claims", "events", "quarantine", "warnings", "counts"):
        pd.testing.assert_frame_equal(getattr(q, name), getattr(p, name), obj=name)
    assert (q.source, q.notes, q.extra_features) == (p.source, p.notes, p.extra_features)
    assert q.fec_lines is None


def test_a_folder_not_written_by_write_validated_is_refused(tmp_path):
    with pytest.raises(InputError, match="is not a validated portfolio"):
        read_validated(tmp_path)
    folder = write_validated(read_portfolio(FIXTURE), tmp_path / "v")
    pd.DataFrame({"claim_id": ["X"]}).to_parquet(folder / "claims.parquet")
    with pytest.raises(InputError, match=r"claims\.parquet holds 1 rows"):
        read_validated(folder)
