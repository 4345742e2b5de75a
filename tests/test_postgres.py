"""A portfolio in PostgreSQL, on a real server (``make test`` starts one).

The server comes from ``scripts/test-postgres.sh`` through ``RA_TEST_POSTGRES_URL``
(fixture ``postgres_url`` in conftest: skipped without it, failed under CI=true).
Each test works in its own schema.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from tests._helpers import copy_tables

from recovery_analytics.cli import main
from recovery_analytics.demo import generate_demo
from recovery_analytics.portfolio import (
    InputError,
    Mapping,
    read_portfolio,
    write_portfolio,
    write_sql_table,
)
from recovery_analytics.portfolio._sources import _sql_tables

pytestmark = pytest.mark.postgres


@pytest.fixture
def schema(postgres_url):
    """A fresh schema, dropped after the test."""
    name = "t_" + uuid.uuid4().hex[:10]
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    yield name
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
    engine.dispose()


def _url(postgres_url: str, schema: str) -> str:
    return f"{postgres_url}?schema={schema}"


def test_read_a_portfolio_from_postgres_with_the_schema_in_the_url_or_the_mapping(
    postgres_url, schema
):
    demo = generate_demo(200, seed=3)
    copy_tables(
        postgres_url, schema, {t: getattr(demo, t) for t in ("debtors", "claims", "events")}
    )
    p = read_portfolio(_url(postgres_url, schema))
    assert len(p.quarantine) == 0
    for table in ("debtors", "claims"):
        got = getattr(p, table)[list(getattr(demo, table).columns)]
        pd.testing.assert_frame_equal(got, getattr(demo, table), check_dtype=False)
    pd.testing.assert_frame_equal(
        p.events[list(demo.events.columns)].reset_index(drop=True),
        demo.events.reset_index(drop=True),
        check_dtype=False,
    )
    assert p.claims["invoice_date"].dtype == "datetime64[ns]"  # typed columns read as such
    via_mapping = read_portfolio(postgres_url, Mapping.from_dict({"read": {"schema": schema}}))
    pd.testing.assert_frame_equal(via_mapping.claims, p.claims)
    assert p.counts["rows_read"].tolist() == [200, len(demo.claims), len(demo.events)]


def test_an_unknown_schema_or_a_refused_connection_is_one_clear_error(postgres_url):
    with pytest.raises(InputError, match="schema 'no_such_schema' does not exist"):
        read_portfolio(_url(postgres_url, "no_such_schema"))
    bad = sa.engine.make_url(postgres_url).set(password="s3cret", port=1)
    with pytest.raises(InputError, match="cannot connect") as err:
        read_portfolio(bad.render_as_string(hide_password=False))
    assert "s3cret" not in str(err.value)


def _with_bad_rows(tmp_path: Path) -> Path:
    """A small demo as CSV, with one bad row of each kind appended."""
    folder = tmp_path / "csv"
    write_portfolio(generate_demo(60, seed=2), folder)
    claims = (folder / "claims.csv").read_text("utf-8").splitlines()
    first = claims[1].split(",")
    extra = [
        ",".join(["FBAD1", first[1], "2026-01-10", "2026-02-31", "100", "EUR", "False", ""]),
        ",".join(["FBAD2", first[1], "2026-01-10", "2026-02-10", "-12.5", "EUR", "False", ""]),
        ",".join(["FBAD3", "NO-SUCH-DEBTOR", "2026-01-10", "2026-02-10", "10", "", "", ""]),
        claims[1],  # a duplicate id
    ]
    (folder / "claims.csv").write_text("\n".join([*claims, *extra]) + "\n", "utf-8")
    events = (folder / "events.csv").read_text("utf-8").splitlines()
    more = ["FBAD1,2026-03-01,payment,10,", f"{first[0]},2026-03-01,telepathy,,"]
    (folder / "events.csv").write_text("\n".join([*events, *more]) + "\n", "utf-8")
    return folder


def test_bad_rows_are_quarantined_exactly_as_from_files(postgres_url, schema, tmp_path):
    folder = _with_bad_rows(tmp_path)
    # an ERP replica: every column text, the values as exported
    tables = {
        t: pd.read_csv(folder / f"{t}.csv", dtype=str, keep_default_na=False)
        for t in ("debtors", "claims", "events")
    }
    tables = {t: df.replace("", None) for t, df in tables.items()}
    copy_tables(postgres_url, schema, tables)
    from_files = read_portfolio(folder)  # with the folder's mapping.toml (feature columns)
    from_sql = read_portfolio(_url(postgres_url, schema), folder / "mapping.toml")
    cols = ["table", "record_id", "column", "value", "reason", "check"]
    qf, qs = from_files.quarantine, from_sql.quarantine
    assert len(qf) == 6
    # the same rows, checks and reasons; line numbers differ by the CSV header
    record = qf["reason"].str.replace(
        r"first seen on line (\d+)", lambda m: f"first seen on line {int(m[1]) - 1}", regex=True
    )
    pd.testing.assert_frame_equal(qf[cols].assign(reason=record), qs[cols])
    # CSV lines count the header; SQL rows are record numbers
    assert (qf["line"] - 1).tolist() == qs["line"].tolist()
    assert set(qs["source"]) == {f"{schema}.claims", f"{schema}.events"}
    for table in ("debtors", "claims", "events"):
        pd.testing.assert_frame_equal(getattr(from_files, table), getattr(from_sql, table))


def test_reads_stream_by_chunks_through_a_server_side_cursor(postgres_url, schema):
    demo = generate_demo(120, seed=4)
    copy_tables(postgres_url, schema, {"debtors": demo.debtors, "claims": demo.claims})
    mapping = Mapping.from_dict({"read": {"schema": schema}})
    tables, (conn, engine, _) = _sql_tables(postgres_url, mapping, chunksize=100)
    try:
        assert conn.get_execution_options()["stream_results"] is True
        sizes = [len(chunk) for chunk in tables["claims"].chunks]
        lines = np.arange(1, len(demo.claims) + 1)
        assert sum(sizes) == len(demo.claims) and max(sizes) == 100 and len(sizes) > 3
        assert tables["events"] is None and tables["claims"].label == f"{schema}.claims"
        assert lines[-1] == len(demo.claims)
    finally:
        conn.close()
        engine.dispose()


@pytest.mark.slow
def test_100k_claims_from_postgres_equal_the_parquet_read(postgres_url, schema, tmp_path):
    demo = generate_demo(17_700, seed=5)
    assert len(demo.claims) >= 100_000
    copy_tables(
        postgres_url, schema, {t: getattr(demo, t) for t in ("debtors", "claims", "events")}
    )
    write_portfolio(demo, tmp_path / "pq", fmt="parquet")
    from_sql = read_portfolio(_url(postgres_url, schema), chunksize=25_000)
    from_parquet = read_portfolio(tmp_path / "pq")
    assert len(from_sql.claims) == len(demo.claims) and len(from_sql.quarantine) == 0
    # a database returns rows in no set order (COPY fills free space): compare sorted
    for table in ("debtors", "claims", "events"):
        a, b = getattr(from_sql, table), getattr(from_parquet, table)
        keys = list(a.columns[:3]) if table == "events" else [a.columns[0]]
        keys += ["amount"] if table == "events" else []
        a = a.sort_values(keys, kind="stable").reset_index(drop=True)
        b = b.sort_values(keys, kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_write_sql_table_replaces_by_as_of_appends_or_replaces(postgres_url, schema):
    rows = pd.DataFrame({"claim_id": ["F1", "F2", "F3"], "p_amicable": [0.1, 0.5, 0.9]})
    target = f"{postgres_url}#{schema}.scores"
    write_sql_table(rows, target, as_of="2026-06-23")
    write_sql_table(rows, target, as_of="2026-06-30")
    write_sql_table(rows.head(2), target, as_of="2026-06-30")  # the week run again
    engine = sa.create_engine(postgres_url)

    def counts() -> dict:
        query = f'select as_of::date, count(*) from "{schema}".scores group by 1 order by 1'
        with engine.connect() as conn:
            return {str(d): n for d, n in conn.execute(sa.text(query))}

    assert counts() == {"2026-06-23": 3, "2026-06-30": 2}
    write_sql_table(rows, target + "?append", as_of="2026-06-30")
    assert counts() == {"2026-06-23": 3, "2026-06-30": 5}
    write_sql_table(rows, target + "?replace", as_of="2026-07-07")
    assert counts() == {"2026-07-07": 3}
    engine.dispose()
    with pytest.raises(InputError, match="name the table after '#'"):
        write_sql_table(rows, postgres_url)


def test_score_and_call_queue_write_back_to_postgres(postgres_url, schema, tmp_path):
    from recovery_analytics.reports import ensure_model

    demo = generate_demo(150, seed=7)
    copy_tables(
        postgres_url, schema, {t: getattr(demo, t) for t in ("debtors", "claims", "events")}
    )
    src = _url(postgres_url, schema)
    model = ensure_model(demo, tmp_path / "model", progress=False, n_estimators=20, num_threads=1)
    runner = CliRunner()
    for as_of in ("2026-06-23", "2026-06-30", "2026-06-30"):
        result = runner.invoke(
            main,
            ["score", "--portfolio", src, "--model", str(model), "--as-of", as_of,
             "--out", f"{postgres_url}#{schema}.scores", "--reasons", "0"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    result = runner.invoke(
        main,
        ["call-queue", "--portfolio", src, "--model", str(model), "--as-of", "2026-06-30",
         "--collectors", "2", "--calls-per-collector", "10",
         "--out", f"{postgres_url}#{schema}.call_queue"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    engine = sa.create_engine(postgres_url)
    scores = pd.read_sql_table("scores", engine, schema=schema)
    queue = pd.read_sql_table("call_queue", engine, schema=schema)
    engine.dispose()
    assert sorted(scores["as_of"].dt.strftime("%Y-%m-%d").unique()) == ["2026-06-23", "2026-06-30"]
    per_day = scores.groupby("as_of")["claim_id"].agg(["size", "nunique"])
    assert (per_day["size"] == per_day["nunique"]).all()  # the week run twice: not doubled
    file_out = tmp_path / "scores.parquet"
    result = runner.invoke(
        main,
        ["score", "--portfolio", src, "--model", str(model), "--as-of", "2026-06-30",
         "--out", str(file_out), "--reasons", "0"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    same = scores.loc[scores["as_of"] == "2026-06-30"].set_index("claim_id").sort_index()
    expected = pd.read_parquet(file_out).set_index("claim_id").sort_index()
    assert same.index.tolist() == expected.index.tolist()
    np.testing.assert_allclose(same["p_amicable"], expected["p_amicable"])
    np.testing.assert_allclose(same["outstanding_eur"], expected["outstanding_eur"])
    assert len(queue) == 20 and set(queue["as_of"].dt.strftime("%Y-%m-%d")) == {"2026-06-30"}
