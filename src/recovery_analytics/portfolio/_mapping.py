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
from recovery_analytics.portfolio._checks import MAX_AMOUNT_EUR, check_ceiling, check_rates
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
    schema: str | None = None
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    values: dict[str, dict[str, dict[str, object]]] = field(default_factory=dict)
    constants: dict[str, dict[str, object]] = field(default_factory=dict)
    currency_rates: dict[str, float] = field(default_factory=dict)
    features: dict[str, list[str]] = field(default_factory=dict)
    fec: dict[str, object] = field(default_factory=dict)
    max_amount_eur: float = MAX_AMOUNT_EUR

    @classmethod
    def from_dict(cls, data: dict, origin: str = "mapping") -> Mapping:
        """Check and build a mapping from a dict shaped like the TOML file.

        Every value is type-checked: a wrong type raises
        :class:`~recovery_analytics.portfolio.InputError` naming the key
        (``dayfirst = "false"`` is an error, not a true value).
        """

        def fail(msg: str) -> InputError:
            return InputError(f"{origin}: {msg}")

        def table_of(value: object, where: str) -> dict:
            if not isinstance(value, dict):
                raise fail(f"{where} must be a table (a [section] or {{ key = value }}), "
                           f"not {value!r}")  # fmt: skip
            return value

        allowed = {"files", "read", "checks", "currency_rates", "features", "fec", *TABLES}
        data = table_of(data, "the mapping")
        for key in data:
            if key not in allowed:
                raise fail(
                    f"unknown section [{key}] (expected one of {', '.join(sorted(allowed))})"
                )
        files = table_of(data.get("files", {}), "[files]")
        for key, value in files.items():
            if key not in TABLES or not isinstance(value, str):
                raise fail(f'[files] {key!r}: expected debtors/claims/events = "file name"')
        read = table_of(data.get("read", {}), "[read]")
        for key, value in read.items():
            if key not in ("encoding", "sep", "decimal", "dayfirst", "schema"):
                raise fail(
                    f"unknown key [read] {key!r} (expected encoding, sep, decimal, dayfirst, "
                    "schema)"
                )
            kind, word = (bool, "true or false") if key == "dayfirst" else (str, "a string")
            if not isinstance(value, kind):
                raise fail(f"[read] {key} = {value!r}: expected {word}")
        if "encoding" in read:
            try:
                text = getattr(codecs.lookup(read["encoding"]), "_is_text_encoding", True)
            except LookupError:
                raise fail(
                    f"[read] encoding {read['encoding']!r} is not a known encoding"
                ) from None
            if not text:
                raise fail(f"[read] encoding {read['encoding']!r} is not a text encoding "
                           "(expected e.g. utf-8, cp1252, latin-1)")  # fmt: skip
        sep = read.get("sep")
        sep = "\t" if sep in ("tab", "\\t") else sep
        if sep is not None and (not isinstance(sep, str) or len(sep) != 1):
            raise fail(f'[read] sep {sep!r} must be one character (or "tab")')
        if read.get("decimal") not in (None, ",", "."):
            raise fail(f'[read] decimal {read["decimal"]!r} must be "," or "."')
        checks = table_of(data.get("checks", {}), "[checks]")
        for key in checks:
            if key != "max_amount_eur":
                raise fail(f"unknown key [checks] {key!r} (expected max_amount_eur)")
        ceiling = MAX_AMOUNT_EUR
        if "max_amount_eur" in checks:
            try:
                ceiling = check_ceiling(checks["max_amount_eur"], "[checks] max_amount_eur")
            except InputError as exc:
                raise fail(str(exc)) from None
        columns, values, constants = {}, {}, {}
        for table in TABLES:
            section = table_of(data.get(table, {}), f"[{table}]")
            canon = COLUMNS[table]
            for key in section:
                if key not in ("columns", "values", "constants"):
                    raise fail(f"unknown key [{table}.{key}] (expected columns, values, constants)")
            renames = {}
            for src, dst in table_of(section.get("columns", {}), f"[{table}.columns]").items():
                known = [*canon, *OPTIONAL_COLUMNS[table]]
                if not isinstance(dst, str) or (
                    dst not in known and (table, dst) != ("debtors", "payment_terms_days")
                ):
                    raise fail(
                        f"[{table}.columns] {src!r} = {dst!r}: {dst!r} is not a {table} column "
                        f"(expected one of {', '.join(known)})"
                    )
                renames[_parse.norm_name(src)] = dst
            columns[table] = renames
            for name in ("values", "constants"):
                for col, item in table_of(section.get(name, {}), f"[{table}.{name}]").items():
                    if col not in canon:
                        raise fail(f"[{table}.{name}.{col}]: {col!r} is not a {table} column")
                    if name == "values":
                        table_of(item, f"[{table}.values.{col}]")
                    elif not isinstance(item, str | int | float | bool):
                        raise fail(f"[{table}.constants] {col} = {item!r}: expected one value")
            values[table] = {
                col: {_parse.norm_scalar(k): v for k, v in recode.items()}
                for col, recode in section.get("values", {}).items()
            }
            constants[table] = dict(section.get("constants", {}))
        try:
            rates = check_rates(table_of(data.get("currency_rates", {}), "[currency_rates]"))
        except InputError as exc:
            raise fail(str(exc)) from None
        features = {}
        for kind, names in table_of(data.get("features", {}), "[features]").items():
            if kind not in ("numeric", "categorical") or not isinstance(names, list):
                raise fail(f"[features] {kind!r}: expected numeric = [...] or categorical = [...]")
            features[kind] = [str(n) for n in names]
        fec = dict(table_of(data.get("fec", {}), "[fec]"))
        if fec:
            from recovery_analytics.portfolio._fec_config import FecConfig

            FecConfig.from_dict(fec, origin)  # checked now: a bad key stops before reading
        return cls(
            fec=fec,
            files=dict(files),
            encoding=read.get("encoding"),
            sep=sep,
            decimal=read.get("decimal"),
            dayfirst=read.get("dayfirst", True),
            schema=read.get("schema"),
            columns=columns,
            values=values,
            constants=constants,
            currency_rates=rates,
            features=features,
            max_amount_eur=ceiling,
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
    except UnicodeDecodeError:
        raise InputError(f"mapping file {path} is not UTF-8 text (save it as UTF-8)") from None
    except IsADirectoryError:
        raise InputError(f"mapping file {path} is a folder, not a TOML file") from None
    return Mapping.from_dict(data, origin=f"mapping file {path.name}")
