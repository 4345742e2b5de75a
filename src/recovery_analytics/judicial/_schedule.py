"""The French cost schedule as data: load, merge a user's overrides, validate.

The schedule (``schedule_fr.toml``, shipped with the package) holds every
figure the judicial economics use, each with its unit, source and validity
dates; :func:`load_schedule` reads it, merges a user's partial file or a dict
of overrides over it and validates the result. The pure money rules that read
it (A444-31/32, droit d'engagement, acts with the A444-46 multiplier, the B2B
indemnity, late interest by half-year) are in ``_money``.

Tariff functions return euros **HT** (before VAT); see ``docs/judicial.md``.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from recovery_analytics.portfolio import InputError

__all__ = [
    "CostSchedule",
    "load_schedule",
    "tariff_warning",
]

_DEFAULT_FILE = "schedule_fr.toml"
# Descriptive keys a user file may add to any figure.
_META = frozenset({"source", "note", "unit", "uncertain", "valid_from", "valid_to"})


@dataclass(frozen=True, eq=False)
class CostSchedule:
    """A validated cost schedule.

    Attributes
    ----------
    data : dict
        The nested tables of the TOML file (after merging any overrides).
    source : str
        Where it came from (``"default"``, a file name, ``"+overrides"``).

    Examples
    --------
    >>> s = load_schedule()
    >>> s.value("routes.agency.fee_share")
    0.15
    """

    data: dict
    source: str = "default"

    def item(self, key: str) -> Any:
        """The table or value at a dotted ``key`` (``KeyError`` if absent)."""
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"cost schedule has no key {key!r}")
            node = node[part]
        return node

    def value(self, key: str) -> Any:
        """The ``value`` of the figure at ``key`` (the item itself if it has none)."""
        node = self.item(key)
        return node["value"] if isinstance(node, dict) and "value" in node else node

    def with_overrides(self, overrides: Mapping[str, Any]) -> CostSchedule:
        """A new schedule with ``overrides`` (dotted keys or nested dicts) merged in."""
        data = copy.deepcopy(self.data)
        _merge(data, _legacy(_nest(overrides, "overrides")), "", "overrides")
        _validate(data, "overrides")
        return CostSchedule(data, f"{self.source}+overrides")

    def to_frame(self) -> pd.DataFrame:
        """Every figure as a tidy table.

        Columns ``key, value, unit, source, valid_from, valid_to, uncertain``
        (bands and rate periods are shown as their text).
        """
        rows = [
            {
                "key": key,
                "value": node.get(
                    "value", node.get("bands", node.get("periods", node.get("points")))
                ),
                "unit": node.get("unit", ""),
                "source": node.get("source", ""),
                "valid_from": node.get("valid_from"),
                "valid_to": node.get("valid_to"),
                "uncertain": bool(node.get("uncertain", False)),
            }
            for key, node in _figures(self.data, "")
        ]
        out = pd.DataFrame(rows)
        out["value"] = out["value"].astype(str)
        return out

    def outdated(self, as_of: Any) -> list[str]:
        """Keys of figures whose ``valid_to`` is before ``as_of``."""
        day = pd.Timestamp(as_of).date()
        return [
            k
            for k, node in _figures(self.data, "")
            if isinstance(node.get("valid_to"), dt.date) and node["valid_to"] < day
        ]


# ---------------------------------------------------------------------------
# loading and validation


@lru_cache(maxsize=1)
def _default_data() -> dict:
    text = resources.files("recovery_analytics.judicial").joinpath(_DEFAULT_FILE).read_text("utf-8")
    data = tomllib.loads(text)
    _validate(data, _DEFAULT_FILE)
    return data


def load_schedule(
    path: str | Path | None = None, overrides: Mapping[str, Any] | None = None
) -> CostSchedule:
    """Load the shipped schedule, merge a partial user file and overrides over it.

    Parameters
    ----------
    path : str or Path, optional
        A TOML file holding only the keys to change (``--costs FILE``). A
        figure may be a plain value or a table with ``value``; lists (rate
        periods, bands) replace the default list.
    overrides : dict, optional
        Dotted keys (``{"routes.agency.fee_share": 0.2}``) or nested dicts,
        merged last.

    Returns
    -------
    CostSchedule

    Raises
    ------
    InputError
        Unreadable or invalid TOML, an unknown key, a value of the wrong type
        or out of range; the message names the file and the key.

    Examples
    --------
    >>> load_schedule(overrides={"routes.injonction_de_payer.lawyer_fee_eur": 200}).value(
    ...     "routes.injonction_de_payer.lawyer_fee_eur")
    200
    """
    data = copy.deepcopy(_default_data())
    source = "default"
    if path is not None:
        path = Path(path)
        try:
            user = tomllib.loads(path.read_text("utf-8"))
        except OSError as exc:
            raise InputError(f"{path.name}: cannot read the cost schedule ({exc})") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{path.name}: not a valid TOML file ({exc})") from exc
        _merge(data, _legacy(user), "", path.name)
        _validate(data, path.name)
        source = path.name
    schedule = CostSchedule(data, source)
    return schedule.with_overrides(overrides) if overrides else schedule


def _legacy(user: dict) -> dict:
    """Translate keys of older schedules: ``general.creditor_recovers_vat`` (a boolean)
    became ``general.vat_regime``."""
    general = user.get("general")
    if isinstance(general, dict) and "creditor_recovers_vat" in general:
        general = dict(general)
        old = general.pop("creditor_recovers_vat")
        value = old.get("value") if isinstance(old, Mapping) else old
        if isinstance(value, bool):
            general["vat_regime"] = "recovers_vat" if value else "bears_vat"
        else:
            general["creditor_recovers_vat"] = old  # refused with the key named
        user = {**user, "general": general}
    return user


def _nest(flat: Mapping[str, Any], where: str) -> dict:
    out: dict = {}
    for key, val in flat.items():
        parts = str(key).split(".")
        node = out
        for p in parts[:-1]:
            node = node.setdefault(p, {})
            if not isinstance(node, dict):
                raise InputError(f"{where}: {key} conflicts with another override")
        node[parts[-1]] = _nest(val, where) if isinstance(val, Mapping) else val
    return out


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "a boolean (true/false)"
    if isinstance(v, int | float):
        return "a number"
    if isinstance(v, str):
        return "a text"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dt.date):
        return "a date"
    return "a table"


def _merge(base: dict, over: Mapping, prefix: str, where: str) -> None:
    for key, new in over.items():
        path = prefix.rstrip(".") if key == "value" else f"{prefix}{key}"
        if key not in base:
            if key in _META and any(k in base for k in ("value", "bands", "periods", "points")):
                base[key] = new
                continue
            raise InputError(f"{where}: unknown key {path}")
        old = base[key]
        if isinstance(old, dict) and "value" in old and not isinstance(new, Mapping):
            new = {"value": new}  # shorthand: a plain value for a figure
        if isinstance(old, dict):
            if not isinstance(new, Mapping):
                raise InputError(f"{where}: {path} must be a table, got {new!r}")
            _merge(old, new, f"{path}.", where)
        elif _kind(old) != _kind(new):
            raise InputError(f"{where}: {path} must be {_kind(old)}, got {new!r}")
        else:
            base[key] = new


def _figures(data: dict, prefix: str):
    for key, node in data.items():
        if not isinstance(node, dict):
            continue
        path = f"{prefix}{key}"
        if any(k in node for k in ("value", "bands", "periods", "points")):
            yield path, node
        yield from _figures(node, f"{path}.")


def _is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and not math.isnan(v)


def _validate(data: dict, where: str) -> None:
    """Semantic checks of a merged schedule; raise InputError naming the key."""
    for key, node in _figures(data, ""):
        unit = str(node.get("unit", ""))
        if "value" in node:
            v = node["value"]
            if "choices" in node and v not in node["choices"]:
                raise InputError(
                    f"{where}: {key}.value must be one of {node['choices']}, got {v!r}"
                )
            if unit in ("probability", "share") and not (_is_num(v) and 0 <= v <= 1):
                raise InputError(f"{where}: {key} must be a number between 0 and 1, got {v!r}")
            if _is_num(v) and v < 0:
                raise InputError(f"{where}: {key} must not be negative, got {v!r}")
        if "bands" in node:
            bands = node["bands"]
            ok = (
                isinstance(bands, list)
                and bands
                and all(
                    isinstance(b, list) and len(b) == 2 and all(_is_num(x) and x >= 0 for x in b)
                    for b in bands
                )
            )
            uppers = [b[0] for b in bands] if ok else []
            if not ok or any(b <= a for a, b in itertools.pairwise(uppers)):
                raise InputError(
                    f"{where}: {key}.bands must be a list of [upper_bound, rate] pairs of "
                    f"non-negative numbers with increasing bounds, got {bands!r}"
                )
            if uppers[-1] != math.inf:
                raise InputError(f"{where}: {key}.bands must end with an upper bound of inf")
        if "periods" in node:
            periods = node["periods"]
            if not isinstance(periods, list) or not periods:
                raise InputError(f"{where}: {key}.periods must be a non-empty list")
            for i, p in enumerate(periods):
                if not isinstance(p, dict) or not isinstance(p.get("valid_from"), dt.date):
                    raise InputError(f"{where}: {key}.periods[{i}].valid_from must be a date")
                if not (_is_num(p.get("value")) and 0 <= p["value"] < 1):
                    raise InputError(
                        f"{where}: {key}.periods[{i}].value must be a rate between 0 and 1, "
                        f"got {p.get('value')!r}"
                    )
            starts = [p["valid_from"] for p in periods]
            if starts != sorted(set(starts)):
                raise InputError(f"{where}: {key}.periods must be sorted by valid_from")
        if "points" in node:
            pts = node["points"]
            ok = (
                isinstance(pts, list)
                and pts
                and all(
                    isinstance(p, list)
                    and len(p) == 2
                    and _is_num(p[0])
                    and _is_num(p[1])
                    and 0 <= p[1] <= 1
                    for p in pts
                )
            )
            if not ok or any(b[0] <= a[0] for a, b in itertools.pairwise(pts)):
                raise InputError(
                    f"{where}: {key}.points must be [x, probability] pairs with increasing x"
                )


def tariff_warning(schedule: CostSchedule | None, as_of: Any, lang: str = "en") -> str:
    """A warning naming the tariffs whose validity ended before ``as_of`` ("" if none).

    Printed by the ``judicial``, ``score``, ``call-queue`` and ``weekly`` commands
    and shown as a banner in report 11 (``lang="fr"``): the figures are still
    used, but a newer order may have changed them (replace them with
    ``--costs FILE``).

    Examples
    --------
    >>> tariff_warning(load_schedule(), "2026-01-31")
    ''
    >>> print(tariff_warning(load_schedule(), "2026-06-30")[:86])
    warning: tariffs outdated on 2026-06-30, still used: tariffs.cj_acts.signification_eur
    """
    s = _schedule(schedule)
    keys = s.outdated(as_of)
    if not keys:
        return ""
    ends = sorted({str(s.item(k)["valid_to"]) for k in keys})
    day = pd.Timestamp(as_of)
    if lang == "fr":
        ends_fr = ", ".join(pd.Timestamp(e).strftime("%d/%m/%Y") for e in ends)
        return (
            f"Barèmes périmés au {day:%d/%m/%Y}, encore utilisés : {', '.join(keys)} "
            f"(fin de validité : {ends_fr}). Aucun barème plus récent n'a été trouvé : "
            "vérifiez ces montants et fournissez ceux en vigueur avec --costs FICHIER."
        )
    return (
        f"warning: tariffs outdated on {day.date()}, still used: {', '.join(keys)} "
        f"(valid to {', '.join(ends)}); no newer order was found: check them and pass "
        "--costs FILE with the figures in force"
    )


def _schedule(schedule: CostSchedule | None) -> CostSchedule:
    return schedule if schedule is not None else load_schedule()


# ---------------------------------------------------------------------------
# tariffs


# ---------------------------------------------------------------------------
# interest
