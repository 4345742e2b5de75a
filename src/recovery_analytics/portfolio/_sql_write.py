"""Write a result table (scores, a call queue) to a SQL table, week after week.

The target is a SQLAlchemy URL with the table after ``#``:
``postgresql+psycopg://user@host/db#scores`` or ``…#schema.scores``, and an
optional mode after ``?`` in the fragment: ``#scores?replace``. Modes:

``as_of`` (default)
    the rows of the same ``as_of`` are replaced, the other dates kept: running
    the same week twice gives the same table, and the table keeps the history.
``replace``
    the table is dropped and written anew.
``append``
    the rows are added.
"""

from __future__ import annotations

import re

import pandas as pd

from recovery_analytics.portfolio._schema import InputError

__all__ = ["is_sql_target", "write_sql_table"]

_MODES = ("as_of", "replace", "append")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def is_sql_target(target: object) -> bool:
    """Whether ``target`` is a SQLAlchemy URL (``scheme://…``) rather than a file name."""
    return "://" in str(target)


def _parse(target: str) -> tuple[str, str | None, str, str]:
    url, sep, fragment = target.partition("#")
    if not sep or not fragment:
        raise InputError(
            f"{target.split('@')[-1]}: name the table after '#', e.g. "
            "postgresql+psycopg://user@host/db#scores (or #schema.scores, #scores?replace)"
        )
    name, _, mode = fragment.partition("?")
    mode = mode or "as_of"
    if mode not in _MODES:
        raise InputError(f"#{fragment}: unknown mode {mode!r} (expected {', '.join(_MODES)})")
    schema, _, table = name.rpartition(".")
    for part in (p for p in (schema, table) if p):
        if not _NAME.match(part):
            raise InputError(f"#{fragment}: {part!r} is not a plain SQL name (letters, digits, _)")
    return url, schema or None, table, mode


def write_sql_table(
    df: pd.DataFrame, target: str, *, as_of: object = None, chunksize: int = 10_000
) -> str:
    """Write ``df`` to the SQL table named in ``target`` (see the module docstring).

    Parameters
    ----------
    df : pandas.DataFrame
        The rows; in ``as_of`` mode they must have an ``as_of`` column (added
        from ``as_of`` when missing).
    target : str
        ``<SQLAlchemy URL>#[schema.]table[?as_of|replace|append]``.
    as_of : date, optional
        The date of the rows, when ``df`` has no ``as_of`` column.
    chunksize : int
        Rows per insert batch.

    Returns
    -------
    str
        The table written (``schema.table``) and the mode, for messages.

    Examples
    --------
    >>> import tempfile, pathlib, sqlalchemy as sa
    >>> with tempfile.TemporaryDirectory() as d:
    ...     url = f"sqlite:///{pathlib.Path(d) / 'out.db'}"
    ...     rows = pd.DataFrame({"claim_id": ["F1", "F2"], "p": [0.5, 0.25]})
    ...     _ = write_sql_table(rows, url + "#scores", as_of="2026-06-23")
    ...     _ = write_sql_table(rows, url + "#scores", as_of="2026-06-30")
    ...     _ = write_sql_table(rows.head(1), url + "#scores", as_of="2026-06-30")
    ...     engine = sa.create_engine(url)
    ...     with engine.connect() as conn:
    ...         n = conn.execute(sa.text("select as_of, count(*) from scores group by as_of"))
    ...         print([(str(a)[:10], c) for a, c in n])
    ...     engine.dispose()
    [('2026-06-23', 2), ('2026-06-30', 1)]
    """
    import sqlalchemy as sa

    url, schema, table, mode = _parse(str(target))
    df = df.copy()
    if "as_of" not in df and as_of is not None:
        df.insert(0, "as_of", pd.Timestamp(as_of))
    if mode == "as_of" and "as_of" not in df:
        raise InputError(f"#{table}: the rows have no as_of column to replace by")
    for col in df.columns:  # lists and dicts (e.g. flags) as text
        if df[col].dtype == object and df[col].map(lambda v: isinstance(v, list | dict)).any():
            df[col] = df[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, list) else v)
    from recovery_analytics.portfolio._sources import _masked

    try:
        engine = sa.create_engine(url)
    except Exception as exc:  # bad URL, missing driver
        raise InputError(f"cannot write to {_masked(url)}: {exc}") from None
    label = f"{schema}.{table}" if schema else table
    try:
        with engine.begin() as conn:
            if schema and engine.dialect.name == "postgresql":
                conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            exists = sa.inspect(conn).has_table(table, schema=schema)
            if exists and mode == "as_of":
                cols = {c["name"] for c in sa.inspect(conn).get_columns(table, schema=schema)}
                if "as_of" not in cols:
                    raise InputError(f"{label} has no as_of column: write with #{table}?replace")
                target_table = sa.Table(table, sa.MetaData(), autoload_with=conn, schema=schema)
                days = pd.to_datetime(df["as_of"]).dt.normalize().unique()
                for day in days:
                    conn.execute(
                        target_table.delete().where(
                            target_table.c.as_of == pd.Timestamp(day).to_pydatetime()
                        )
                    )
            df.to_sql(
                table,
                conn,
                schema=schema,
                if_exists="replace" if mode == "replace" else "append",
                index=False,
                chunksize=chunksize,
            )
    except InputError:
        raise
    except Exception as exc:  # connection refused, permissions, type clashes
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot write {label} to {_masked(url)}: {message}") from None
    finally:
        engine.dispose()
    return f"{label} ({mode})"
