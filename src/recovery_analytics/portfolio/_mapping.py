"""The TOML mapping that tells :func:`~recovery_analytics.portfolio.read_portfolio` how to
read an export.

Private module: :class:`Mapping` and :func:`load_mapping` are public from
:mod:`recovery_analytics.portfolio`. The format is described in
``docs/input-format.md``.
"""

from __future__ import annotations

import codecs
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from recovery_analytics.portfolio import _parse
from recovery_analytics.portfolio._schema import COLUMNS, OPTIONAL_COLUMNS, TABLES, InputError

__all__ = ["Mapping", "load_mapping"]


@dataclass(frozen=True)
class Mapping:
    """How to read a foreign export: file names, read hints, renames, recodes, constants.

    Build it with :func:`load_mapping` (TOML) or :meth:`from_dict`. Column and
    value keys are matched case-, space- and accent-insensitively.

    Examples
    --------
    >>> m = Mapping.from_dict({"claims": {"columns": {"N° facture": "claim_id"}}})
    >>> m.columns["claims"]
    {'n°_facture': 'claim_id'}
    """

    files: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    sep: str | None = None
    decimal: str | None = None
    dayfirst: bool = True
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    values: dict[str, dict[str, dict[str, object]]] = field(default_factory=dict)
    constants: dict[str, dict[str, object]] = field(default_factory=dict)
    currency_rates: dict[str, float] = field(default_factory=dict)
    features: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict, origin: str = "mapping") -> Mapping:
        """Check and build a mapping from a dict shaped like the TOML file."""

        def fail(msg: str) -> InputError:
            return InputError(f"{origin}: {msg}")

        allowed = {"files", "read", "currency_rates", "features", *TABLES}
        for key in data:
            if key not in allowed:
                raise fail(
                    f"unknown section [{key}] (expected one of {', '.join(sorted(allowed))})"
                )
        files = dict(data.get("files", {}))
        for key, value in files.items():
            if key not in TABLES or not isinstance(value, str):
                raise fail(f'[files] {key!r}: expected debtors/claims/events = "file name"')
        read = dict(data.get("read", {}))
        for key in read:
            if key not in ("encoding", "sep", "decimal", "dayfirst"):
                raise fail(
                    f"unknown key [read] {key!r} (expected encoding, sep, decimal, dayfirst)"
                )
        if "encoding" in read:
            try:
                codecs.lookup(read["encoding"])
            except (LookupError, TypeError):
                raise fail(
                    f"[read] encoding {read['encoding']!r} is not a known encoding"
                ) from None
        sep = read.get("sep")
        sep = "\t" if sep in ("tab", "\\t") else sep
        if sep is not None and (not isinstance(sep, str) or len(sep) != 1):
            raise fail(f'[read] sep {sep!r} must be one character (or "tab")')
        if read.get("decimal") not in (None, ",", "."):
            raise fail(f'[read] decimal {read["decimal"]!r} must be "," or "."')
        columns, values, constants = {}, {}, {}
        for table in TABLES:
            section = dict(data.get(table, {}))
            canon = COLUMNS[table]
            for key in section:
                if key not in ("columns", "values", "constants"):
                    raise fail(f"unknown key [{table}.{key}] (expected columns, values, constants)")
            renames = {}
            for src, dst in section.get("columns", {}).items():
                if dst not in canon and dst not in OPTIONAL_COLUMNS[table]:
                    known = [*canon, *OPTIONAL_COLUMNS[table]]
                    raise fail(
                        f"[{table}.columns] {src!r} = {dst!r}: {dst!r} is not a {table} column "
                        f"(expected one of {', '.join(known)})"
                    )
                renames[_parse.norm_name(src)] = dst
            columns[table] = renames
            for name in ("values", "constants"):
                for col in section.get(name, {}):
                    if col not in canon:
                        raise fail(f"[{table}.{name}.{col}]: {col!r} is not a {table} column")
            values[table] = {
                col: {_parse.norm_scalar(k): v for k, v in recode.items()}
                for col, recode in section.get("values", {}).items()
            }
            constants[table] = dict(section.get("constants", {}))
        rates = {}
        for code, rate in data.get("currency_rates", {}).items():
            if not isinstance(rate, int | float) or isinstance(rate, bool) or rate <= 0:
                raise fail(f"[currency_rates] {code} = {rate!r}: expected EUR per unit, > 0")
            rates[str(code).upper()] = float(rate)
        features = {}
        for kind, names in data.get("features", {}).items():
            if kind not in ("numeric", "categorical") or not isinstance(names, list):
                raise fail(f"[features] {kind!r}: expected numeric = [...] or categorical = [...]")
            features[kind] = [str(n) for n in names]
        return cls(
            files=files,
            encoding=read.get("encoding"),
            sep=sep,
            decimal=read.get("decimal"),
            dayfirst=bool(read.get("dayfirst", True)),
            columns=columns,
            values=values,
            constants=constants,
            currency_rates=rates,
            features=features,
        )


def load_mapping(path: str | Path) -> Mapping:
    """Load a TOML mapping file (format in ``docs/input-format.md``).

    Raises :class:`~recovery_analytics.portfolio.InputError` naming the bad key.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "m.toml"
    ...     _ = p.write_text('[read]\\nsep = ";"\\n', encoding="utf-8")
    ...     load_mapping(p).sep
    ';'
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(f"mapping file {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"mapping file {path} is not valid TOML: {exc}") from None
    return Mapping.from_dict(data, origin=f"mapping file {path.name}")
