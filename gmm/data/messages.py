"""How the CSV loader's notes and error messages word lists, counts and shared advice.

Shared by every step of ``load_csv`` and by the built-in data sets, so that a list of
column names or line numbers, or a piece of advice, reads the same in every message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

CHOOSE_A_TABLE = "Choose a CSV file with a header row and at least one row of numbers."
"""What to do next when a file holds no data at all (empty, blank or only comments)."""


def quoted(names: Iterable[object], limit: int = 8) -> str:
    """``'a', 'b', 'c'``, or ``'a', …, and 12 more`` past ``limit`` names."""
    names = [str(name) for name in names]
    shown = ", ".join(repr(name) for name in names[:limit])
    return shown + (f" and {len(names) - limit:,} more" if len(names) > limit else "")


def listing(numbers: Sequence[int], limit: int = 8) -> str:
    """``3, 7, 9``, or ``3, 7, … (12 in all)`` past ``limit`` numbers."""
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (f", … ({len(numbers):,} in all)" if len(numbers) > limit else "")


def count(n: int, noun: str) -> str:
    """``1 row``, ``2 rows``, ``1,234 rows``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def name_range(names: Sequence[str]) -> str:
    """``x1``, ``x1 and x2``, or ``x1 to x5``."""
    if len(names) <= 2:
        return " and ".join(names)
    return f"{names[0]} to {names[-1]}"
