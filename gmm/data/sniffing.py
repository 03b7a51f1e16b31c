"""Step 4 of ``load_csv``: how a text file is laid out as a table.

``skip_preamble`` finds the blank, comment (``#``) and ``sep=`` lines at the top;
``sniff`` reads the first ``SAMPLE_LINES`` lines after them and guesses the column
separator, the decimal mark and whether the first row is a header: the ``Layout`` that
parsing then uses for the whole file.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple

import numpy as np

from gmm.data.cells import has_decimal_commas, parse_numbers
from gmm.data.messages import CHOOSE_A_TABLE, count
from gmm.errors import DataError

SEPARATORS = (",", ";", "\t", "|", r"\s+")
"""Candidate column separators, in order of preference when they fit equally well."""

SAMPLE_LINES = 50
"""Number of non-blank lines looked at to guess the separator, decimal mark and header."""

_PREAMBLE_LINE = re.compile(
    r"[ \t]*(?:#[^\r\n]*|sep=[^\r\n]?)?[ \t]*(?:\r\n|\r|\n|\Z)", re.IGNORECASE
)


@dataclass(frozen=True)
class Layout:
    """How a text file is laid out as a table (the result of sniffing its first lines).

    Attributes
    ----------
    sep : str
        Column separator, for ``pandas.read_csv`` (``r"\\s+"`` means runs of blanks).
    decimal : str
        Decimal mark, ``"."`` or ``","``.
    n_columns : int
        Number of columns of the table.
    header : tuple of str or None
        The header row's cells, stripped, or None when the first row is data.
    """

    sep: str
    decimal: str
    n_columns: int
    header: tuple[str, ...] | None


def skip_preamble(text: str, notes: list[str]) -> tuple[int, int]:
    """Find the lines to skip at the top: blank, comment (``#``) and Excel's ``sep=;``.

    Returns
    -------
    start : int
        Index in ``text`` of the first line after them.
    n_lines : int
        How many lines they are.
    """
    start = n_lines = n_comments = 0
    while (match := _PREAMBLE_LINE.match(text, start)) and match.end() > start:
        n_comments += match.group().lstrip().startswith("#")
        start, n_lines = match.end(), n_lines + 1
    if start == len(text):
        raise DataError(
            f"The file holds only comment lines (starting with #), no data. {CHOOSE_A_TABLE}"
        )
    if n_comments:
        notes.append(
            f"Skipped {count(n_comments, 'comment line')} (starting with #) at the top of the file."
        )
    return start, n_lines


def sample_lines(text: str, start: int) -> list[str]:
    """Return the first ``SAMPLE_LINES`` non-blank lines of ``text[start:]``.

    Reads no further than needed, however long the text.
    """
    lines = (m.group() for m in re.compile(r"[^\r\n]+").finditer(text, start))
    return list(islice((line for line in lines if line.strip()), SAMPLE_LINES))


def _split_lines(lines: Sequence[str], sep: str) -> list[list[str]]:
    """Split lines into cells as ``pandas.read_csv`` would with separator ``sep``."""
    if sep == r"\s+":
        return [line.split() for line in lines]
    try:
        return [row for row in csv.reader(lines, delimiter=sep, skipinitialspace=True)]
    except csv.Error:
        return [[line] for line in lines]


def sniff(lines: Sequence[str]) -> Layout:
    """Guess the table layout of a file from its first non-blank lines.

    A separator fits when it is in the first line and splits more than half of the
    lines into the same number (> 1) of cells. Among those that fit, one whose cells
    hold numbers with decimal commas wins (``1,5;2,25`` is two columns, not three); then
    any but blanks (a text column may hold words); then the one that splits more
    columns; then the order of ``SEPARATORS``. When none fits, the file is one column,
    read with a separator it does not contain.

    Parameters
    ----------
    lines : sequence of str
        The first non-blank lines of the file (at least one).

    Returns
    -------
    Layout
    """
    fitting = [c for c in map(_Candidate.of, SEPARATORS, [lines] * 5) if c.width > 1]
    if fitting:
        best = max(fitting, key=_Candidate.preference)
    else:
        absent = (s for s in SEPARATORS[:-1] if not any(s in line for line in lines))
        best = _Candidate.of(next(absent, ","), lines)
    decimal = "," if best.decimal_commas else "."
    rows = best.rows
    header = tuple(cell.strip() for cell in rows[0]) if _has_header(rows, decimal) else None
    width = max(_mode_width(rows), len(header or ()))
    return Layout(sep=best.sep, decimal=decimal, n_columns=width, header=header)


class _Candidate(NamedTuple):
    """The first lines split by one candidate separator.

    Attributes
    ----------
    sep : str
    rows : list of list of str
        The cells of each line.
    width : int
        Number of cells most lines have, if more than half of them have it, else 0.
    decimal_commas : bool
        Whether the cells hold numbers with decimal commas (never for ``sep=","``).
    """

    sep: str
    rows: list[list[str]]
    width: int
    decimal_commas: bool

    @classmethod
    def of(cls, sep: str, lines: Sequence[str]) -> _Candidate:
        """Split ``lines`` by ``sep``; it cannot fit if the first line has no ``sep``."""
        rows = _split_lines(lines, sep)
        width = _consistent_width(rows) if len(rows[0]) > 1 else 0
        return cls(sep, rows, width, sep != "," and has_decimal_commas(rows))

    def preference(self) -> tuple[bool, bool, int, int]:
        """Sort key among fitting candidates (see ``sniff``)."""
        blanks = self.sep == r"\s+"
        return self.decimal_commas, not blanks, self.width, -SEPARATORS.index(self.sep)


def _mode_width(rows: Sequence[Sequence[str]]) -> int:
    """The most common number of cells per row."""
    return Counter(len(row) for row in rows).most_common(1)[0][0]


def _consistent_width(rows: Sequence[Sequence[str]]) -> int:
    """The most common number of cells per row if most rows have it, else 0."""
    width = _mode_width(rows)
    share = sum(len(row) == width for row in rows) / len(rows)
    return width if share > 0.5 else 0


def _has_header(rows: Sequence[Sequence[str]], decimal: str) -> bool:
    """Decide whether the first row is a header rather than data.

    It is data when all its cells are numbers or missing, or when its only text cells
    sit in columns that hold text below too (a label column). It is a header when it
    holds no number at all, or text above a column of numbers.
    """
    width = max(len(row) for row in rows)
    cells = np.array([list(row) + [""] * (width - len(row)) for row in rows], dtype=object)
    numbers, missing = parse_numbers(cells, decimal)
    is_number = ~np.isnan(numbers)
    first_text = ~is_number[0] & ~missing[0]
    if not first_text.any():
        return False
    if not is_number[0].any():
        return True
    numeric_below = is_number[1:].mean(axis=0) >= 0.5 if len(rows) > 1 else is_number[0]
    return bool(np.any(first_text & numeric_below))
