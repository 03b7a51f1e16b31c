"""Steps 5 and 6 of ``load_csv``: the whole table read with its layout, numeric columns kept.

``read_table`` parses the text with pandas' C parser and the ``Layout`` that sniffing
found, skipping rows with too many values; ``drop_row_number_column`` drops the row
numbers that ``DataFrame.to_csv`` writes; ``column_names`` names every column, uniquely;
``numeric_columns`` keeps the columns that hold mostly numbers, as float64. Each adds a
plain-language note for what it dropped or changed.
"""

from __future__ import annotations

import io
import re
import warnings
from collections import Counter
from dataclasses import replace

import numpy as np
import pandas as pd

from gmm.data.cells import PANDAS_NA_VALUES, parse_numbers
from gmm.data.messages import count, listing, name_range, quoted
from gmm.data.sniffing import Layout
from gmm.errors import DataError

NUMERIC_SHARE = 0.9
"""A column is numeric when at least this share of its non-missing cells are numbers."""


def read_table(text: str, layout: Layout, skip: int, notes: list[str]) -> pd.DataFrame:
    """Parse the whole text with pandas' C parser.

    Parameters
    ----------
    text : str
    layout : Layout
    skip : int
        Number of lines before the first row (blank, comments, ``sep=``).
    notes : list of str
        Appended to when rows with too many values were skipped.

    Returns
    -------
    pandas.DataFrame
        Shape (n, layout.n_columns), n >= 1, columns named 0, 1, ...; columns pandas
        could read as numbers are numeric, the others hold strings (missing tokens NaN).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                sep=layout.sep,
                decimal=layout.decimal,
                header=None,
                names=range(layout.n_columns),
                skiprows=skip + (layout.header is not None),
                index_col=False,
                skipinitialspace=True,
                na_values=PANDAS_NA_VALUES,
                on_bad_lines="warn",
                low_memory=False,
                engine="c",
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise DataError(
                f"The file could not be read as a table ({str(exc).strip()}). Check "
                'that it is a plain CSV file; a quote character (") without its '
                "closing partner is a common cause."
            ) from None
    messages = " ".join(str(warning.message) for warning in caught)
    skipped = [int(line) for line in re.findall(r"Skipping line (\d+)", messages)]
    _refuse_no_rows(frame, layout)
    if skipped:
        notes.append(
            f"Skipped {count(len(skipped), 'row')} with more values than the "
            f"{layout.n_columns} columns of the table (line {listing(skipped)}). "
            "Check the separator or quotes on those lines if they matter."
        )
    return frame


def _refuse_no_rows(frame: pd.DataFrame, layout: Layout) -> None:
    """Raise a ``DataError`` when the table has no data rows."""
    if len(frame) == 0:
        raise DataError(
            f"The file has a header row ({quoted(layout.header or ())}) but no data "
            "rows that fit under it. Add the data below the header, or choose another file."
        )


def column_names(layout: Layout, notes: list[str]) -> list[str]:
    """Unique, non-empty names for the table's columns.

    Without a header they are x1, x2, ...; a nameless column k is called "column k".

    Returns
    -------
    list of str
        Length ``layout.n_columns``.
    """
    if layout.header is None:
        names = [f"x{i + 1}" for i in range(layout.n_columns)]
        notes.append(
            "The first row holds numbers, so the file has no header row; the columns "
            f"were named {name_range(names)}."
        )
        return names
    header = list(layout.header) + [""] * (layout.n_columns - len(layout.header))
    names = [name or f"column {i + 1}" for i, name in enumerate(header)]
    return _deduplicate(names, notes)


def _deduplicate(names: list[str], notes: list[str]) -> list[str]:
    """Rename repeated column names ``a`` to ``a_2``, ``a_3``, ... (noting it)."""
    taken: set[str] = set()
    repeats: Counter[str] = Counter()
    unique, renamed = [], []
    for name in names:
        new = name
        while new in taken:
            repeats[name] += 1
            new = f"{name}_{repeats[name] + 1}"
        taken.add(new)
        unique.append(new)
        if new != name:
            renamed.append(f"{name!r} → {new!r}")
    if renamed:
        notes.append(
            "Some column names appeared more than once, so the repeats were renamed: "
            f"{', '.join(renamed)}."
        )
    return unique


def drop_row_number_column(
    raw: pd.DataFrame, layout: Layout, notes: list[str]
) -> tuple[pd.DataFrame, Layout]:
    """Drop a nameless first column that just counts rows (as ``DataFrame.to_csv`` writes).

    Returns
    -------
    raw : pandas.DataFrame
        Without that column, if it was there (columns renumbered 0, 1, ...).
    layout : Layout
        Without that column's header cell.
    """
    first = raw[0].to_numpy()
    nameless = layout.header is not None and layout.header[0] in ("", "Unnamed: 0")
    if not (nameless and raw.shape[1] > 1 and first.dtype.kind in "iu"):
        return raw, layout
    if first[0] not in (0, 1) or np.any(np.diff(first) != 1):
        return raw, layout
    notes.append(
        "Dropped the first column: it has no name and only counts the rows "
        f"({first[0]}, {first[0] + 1}, {first[0] + 2}, …), like the index pandas writes."
    )
    narrower = replace(layout, n_columns=layout.n_columns - 1, header=layout.header[1:])
    return raw.drop(columns=0).set_axis(range(narrower.n_columns), axis=1), narrower


def _as_numbers(raw: pd.DataFrame, decimal: str) -> tuple[np.ndarray, np.ndarray]:
    """Convert every column of the parsed table to float64.

    Returns
    -------
    values : ndarray of float64, shape (n, c)
        NaN where a cell is missing or not a number.
    text : ndarray of bool, shape (n, c)
        Where a cell holds something other than a number or a missing token.
    """
    is_native = np.array([dtype.kind in "iuf" for dtype in raw.dtypes])
    values = np.empty(raw.shape)
    text = np.zeros(raw.shape, dtype=bool)
    values[:, is_native] = raw.loc[:, is_native].to_numpy(dtype=np.float64)
    if not is_native.all():
        cells = raw.loc[:, ~is_native].to_numpy(dtype=object)
        numbers, missing = parse_numbers(cells, decimal)
        values[:, ~is_native] = numbers
        text[:, ~is_native] = np.isnan(numbers) & ~missing
    return values, text


def numeric_columns(
    raw: pd.DataFrame, names: list[str], decimal: str, notes: list[str]
) -> pd.DataFrame:
    """Keep the columns that hold mostly numbers, as float64.

    A column is numeric when at least ``NUMERIC_SHARE`` of its non-missing cells are
    numbers; its other cells become missing. Empty and text columns are dropped.

    Parameters
    ----------
    raw : pandas.DataFrame
        Shape (n, c), from ``read_table``.
    names : list of str
        Length c, the columns' names.
    decimal : {".", ","}
    notes : list of str

    Returns
    -------
    pandas.DataFrame
        Shape (n, d), d >= 1, float64 (may hold NaN and ±inf).
    """
    values, text = _as_numbers(raw, decimal)
    n_present = (~np.isnan(values) | text).sum(axis=0)
    n_text = text.sum(axis=0)
    empty = n_present == 0
    numeric = ~empty & (n_text <= (1 - NUMERIC_SHARE) * n_present)
    _refuse_no_numeric_column(names, numeric)
    _note_dropped_columns(names, empty, "empty column", "with no values at all", notes)
    _note_dropped_columns(
        names, ~empty & ~numeric, "text column", "(EM only works with numbers)", notes
    )
    _note_unreadable_cells(raw, names, text, numeric, notes)
    kept = np.flatnonzero(numeric)
    return pd.DataFrame(values[:, kept], columns=[names[i] for i in kept])


def _refuse_no_numeric_column(names: list[str], numeric: np.ndarray) -> None:
    """Raise a ``DataError`` when no column holds numbers."""
    if numeric.any():
        return
    if len(names) == 1:
        raise DataError(
            f"The file has only one column ({names[0]!r}) and it does not hold numbers. "
            "If your data has several columns, check that they are separated by commas, "
            "semicolons, tabs or pipes; otherwise choose a file with numeric columns."
        )
    raise DataError(
        f"None of the columns in this file hold numbers; columns found: {quoted(names)}. "
        "EM needs at least one numeric column: choose a file with numbers in it."
    )


def _note_dropped_columns(
    names: list[str], dropped: np.ndarray, what: str, why: str, notes: list[str]
) -> None:
    """Note the names of the dropped columns (``dropped`` is a bool mask, length c)."""
    index = np.flatnonzero(dropped)
    if index.size:
        notes.append(f"Dropped {count(index.size, what)} {why}: {quoted(names[i] for i in index)}.")


def _note_unreadable_cells(
    raw: pd.DataFrame,
    names: list[str],
    text: np.ndarray,
    numeric: np.ndarray,
    notes: list[str],
) -> None:
    """Note the cells of numeric columns that are not numbers (they became missing)."""
    columns = np.flatnonzero(numeric & text.any(axis=0))
    if columns.size == 0:
        return
    counts = [
        f"{text[:, i].sum():,} in {names[i]!r} "
        f"({quoted(pd.unique(raw.iloc[text[:, i], i].astype(str).str.strip()), 3)})"
        for i in columns[:5]
    ]
    more = f"; and some in {columns.size - 5:,} more columns" if columns.size > 5 else ""
    notes.append(
        f"Some cells in numeric columns are not numbers and became missing: "
        f"{'; '.join(counts)}{more}."
    )
