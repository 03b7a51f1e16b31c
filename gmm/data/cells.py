"""What a cell of text means as a number, for sniffing and for parsing alike.

A cell may be a number with a decimal point or a decimal comma, with thousands
separators (``1,234.5``, ``1.234,5``), quoted or padded with blanks, or one of the
``MISSING_TOKENS`` that mean "no value". Everything else is text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

MISSING_TOKENS = frozenset(
    {"", "na", "n/a", "nan", "-nan", "?", "-", "--", ".", "null", "none", "#n/a", "<na>"}
)
"""Cell texts meaning "no value" (compared without surrounding blanks/quotes, any case)."""

PANDAS_NA_VALUES = sorted(
    {variant for t in MISSING_TOKENS for variant in (t, t.upper(), t.title())}
)
"""The same tokens in the spellings ``pandas.read_csv`` compares exactly (its ``na_values``)."""

_COMMA_NUMBER = r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?"
_POINT_NUMBER = r"[+-]?\d*\.\d+(?:[eE][+-]?\d+)?"
_GROUPED_NUMBER = {  # decimal mark -> (number with thousands separators, that separator)
    ".": (r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", ","),
    ",": (r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?", "."),
}


def parse_numbers(cells: np.ndarray, decimal: str) -> tuple[np.ndarray, np.ndarray]:
    """Read numbers from cells of any type, vectorised.

    Parameters
    ----------
    cells : ndarray of object, any shape
        Strings (blanks and quotes around them are ignored; thousands separators are
        allowed, as in ``1,234.5`` or ``1.234,5``), numbers or None/NaN.
    decimal : {".", ","}
        Decimal mark.

    Returns
    -------
    numbers : ndarray of float64, same shape
        The numbers (±inf included), NaN where a cell is missing or not a number.
    missing : ndarray of bool, same shape
        Where a cell is missing (``MISSING_TOKENS``, None, NaN).
    """
    text = pd.Series(cells.ravel(), dtype=object).astype(str)
    text = text.str.strip().str.strip("\"'").str.strip()
    missing = text.isna() | text.str.lower().isin(MISSING_TOKENS)
    grouped, thousands = _GROUPED_NUMBER[decimal]
    text = text.mask(text.str.fullmatch(grouped), text.str.replace(thousands, "", regex=False))
    if decimal == ",":
        text = text.str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text.mask(missing), errors="coerce")
    return (
        numbers.to_numpy(dtype=np.float64, na_value=np.nan).reshape(cells.shape),
        missing.to_numpy(dtype=bool).reshape(cells.shape),
    )


def has_decimal_commas(rows: Iterable[Sequence[str]]) -> bool:
    """True when more cells look like ``1,5`` than like ``1.5``."""
    cells = pd.Series([cell for row in rows for cell in row], dtype=object).astype(str)
    cells = cells.str.strip().str.strip("\"'")
    commas = cells.str.fullmatch(_COMMA_NUMBER).sum()
    return bool(commas > cells.str.fullmatch(_POINT_NUMBER).sum())
