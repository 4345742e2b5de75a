"""What a FEC does not say, and how to read its journals: the ``[fec]`` mapping section.

Private helper of :func:`recovery_analytics.portfolio.read_fec`; the defaults are
documented in ``docs/input-format.md`` (section "FEC").
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from recovery_analytics.portfolio._schema import DEBTOR_TYPE_ALIASES, DEBTOR_TYPES, InputError

__all__: list[str] = []


@dataclass(frozen=True)
class FecConfig:
    """How to read a FEC (every field may be set under ``[fec]`` in the mapping).

    Examples
    --------
    >>> FecConfig.from_dict({"payment_terms_days": 45}).payment_terms_days
    45
    """

    #: Account prefixes of customer accounts (PCG: 411 clients, 416 clients douteux).
    customer_accounts: tuple[str, ...] = ("411", "416")
    #: Journals of opening entries (à-nouveaux).
    opening_journals: tuple[str, ...] = ("AN", "RAN", "ANO")
    #: Journals read as sales / bank / loss journals whatever their accounts.
    sales_journals: tuple[str, ...] = ()
    bank_journals: tuple[str, ...] = ()
    #: Otherwise an entry is a bank entry if it moves a treasury account (PCG 51, 53),
    treasury_accounts: tuple[str, ...] = ("51", "53")
    #: a sales entry if it moves a sales or output-VAT account (PCG 70, 4457),
    sales_accounts: tuple[str, ...] = ("70", "4457")
    #: and a write-off if it moves a bad-debt loss account (PCG 654, 6714).
    loss_accounts: tuple[str, ...] = ("654", "6714")
    #: Days from invoice to due date when the customer file does not say
    #: (30 days: the legal default of art. L441-10 I C. com.).
    payment_terms_days: int = 30
    #: debtor_type of customers the customer file does not type.
    debtor_type: str = "B2B"
    #: A CSV / Parquet / xlsx file of customers (debtors columns), joined on debtor_id
    #: (= CompAuxNum, or CompteNum without auxiliary accounts); relative to the FEC.
    customers: str | None = None

    @classmethod
    def from_dict(cls, data: dict, origin: str = "mapping") -> FecConfig:
        """Check and build the configuration from the ``[fec]`` section."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, object] = {}
        for key, value in data.items():
            if key not in known:
                raise InputError(
                    f"{origin}: unknown key [fec] {key!r} (expected one of {', '.join(known)})"
                )
            default = known[key].default
            if isinstance(default, tuple):
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise InputError(f'{origin}: [fec] {key} must be a list of strings: ["411"]')
                value = tuple(v.strip().upper() for v in value)
            elif key == "payment_terms_days":
                if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 365:
                    raise InputError(f"{origin}: [fec] payment_terms_days must be 0-365 days")
            elif key == "debtor_type":
                typed = DEBTOR_TYPE_ALIASES.get(str(value).strip().lower(), str(value).upper())
                if typed not in DEBTOR_TYPES:
                    raise InputError(f"{origin}: [fec] debtor_type must be B2B or B2C")
                value = typed
            elif not isinstance(value, str):
                raise InputError(f"{origin}: [fec] {key} must be a file name")
            values[key] = value
        return cls(**values)
