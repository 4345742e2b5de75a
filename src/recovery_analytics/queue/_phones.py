"""French phone numbers: validate, normalise and write them the French way.

:func:`check_french_phone` accepts metropolitan numbers in any usual writing,
``+33``/``0033`` prefixes and the DOM international prefixes, and flags
truncated numbers and placeholders; :func:`format_french_phone` writes the
normalised numbers in pairs (``06 12 34 56 78``) for the collectors' files.
A debtor without a valid phone goes to the call queue's "contact details to
check" list (``docs/call-queue.md``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["check_french_phone", "format_french_phone"]

_PHONE_DOM = ("262", "269", "590", "594", "596")  # Réunion, Mayotte, Guadeloupe, Guyane, Martinique


def check_french_phone(phone: pd.Series) -> pd.DataFrame:
    """Validate and normalise French phone numbers (metropolitan, +33 and DOM).

    Accepted: ``06 12 34 56 78``, ``06.12.34.56.78``, ``0612345678``,
    ``+33 6 12 34 56 78``, ``+33 (0)6 ...``, ``0033 6 ...`` and the DOM
    international prefixes ``+262``, ``+269``, ``+590``, ``+594``, ``+596``
    (``+262 692 12 34 56`` is ``0692 12 34 56``). Other international numbers
    (``+44 ...``, 8 to 15 digits) are kept as ``foreign`` and callable.
    Truncated numbers, letters and placeholders such as ``00 00 00 00 00`` or
    ``06 11 11 11 11`` are ``malformed``.

    Parameters
    ----------
    phone : pandas.Series
        Phone numbers as written (missing allowed).

    Returns
    -------
    pandas.DataFrame
        Same index: ``phone_national`` (``0612345678``, ``+44...`` for foreign
        numbers, NA when not valid) and ``phone_status`` (``ok``, ``foreign``,
        ``missing`` or ``malformed``).

    Examples
    --------
    >>> s = pd.Series(["+33 6 12 34 56 78", "+262 692 12 34 56", "06 12 34", None, "0611111111"])
    >>> check_french_phone(s)["phone_status"].tolist()
    ['ok', 'ok', 'malformed', 'missing', 'malformed']
    >>> check_french_phone(s)["phone_national"].tolist()[:2]
    ['0612345678', '0692123456']
    """
    text = phone.astype("str").str.strip()
    missing = text.isna() | (text == "")
    t = text.fillna("").str.replace("(0)", "", regex=False)
    t = t.str.replace(r"^\s*00", "+", regex=True)
    plus = t.str.startswith("+")
    digits = t.str.replace(r"\D", "", regex=True)
    bad_chars = t.str.contains(r"[^\d\s.\-+/()]", regex=True)
    national = pd.Series(pd.NA, index=phone.index, dtype="str")
    fr = plus & digits.str.startswith("33")
    rest = digits.str.slice(2)
    rest = rest.where(~(fr & (rest.str.len() == 10) & rest.str.startswith("0")), rest.str.slice(1))
    national = national.mask(fr & (rest.str.len() == 9), "0" + rest)
    dom = plus & digits.str.slice(0, 3).isin(_PHONE_DOM) & (digits.str.len() == 12)
    national = national.mask(dom, "0" + digits.str.slice(3))
    local = ~plus & (digits.str.len() == 10)
    national = national.mask(local, digits)
    good = national.str.fullmatch(r"0[1-9]\d{8}").fillna(False)
    fake = national.str.slice(2).str.fullmatch(r"(\d)\1{7}").fillna(False)
    ok = good & ~fake & ~bad_chars
    foreign = plus & ~fr & ~dom & digits.str.len().between(8, 15) & ~bad_chars
    foreign &= digits.str.match(r"[1-9]") & ~digits.str.fullmatch(r"(\d)\1+")
    out_national = national.where(ok, pd.NA).mask(foreign, "+" + digits)
    status = np.select(
        [missing.to_numpy(bool), ok.to_numpy(bool), foreign.to_numpy(bool)],
        ["missing", "ok", "foreign"],
        "malformed",
    )
    return pd.DataFrame(
        {"phone_national": out_national.astype("str"), "phone_status": status},
        index=phone.index,
    ).astype({"phone_status": "str"})


def format_french_phone(national: pd.Series) -> pd.Series:
    """Write normalised numbers the French way, in pairs: ``06 12 34 56 78``.

    Foreign numbers (``+44...``) and missing values are returned unchanged.

    Examples
    --------
    >>> format_french_phone(pd.Series(["0612345678", "+442071234567", None])).tolist()
    ['06 12 34 56 78', '+442071234567', nan]
    """
    s = national.astype("str")
    pairs = s.str.replace(r"^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$", r"\1 \2 \3 \4 \5", regex=True)
    return pairs.where(s.str.fullmatch(r"\d{10}").fillna(False), s)
