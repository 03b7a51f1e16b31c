"""Steps 7 and 8 of ``load_csv``: complete rows only, sampled down to a size EM can use.

``drop_incomplete_rows`` drops the rows with a missing or infinite value,
``sample_rows`` keeps a seeded uniform sample of a large table in its original order,
and ``note_constant_columns`` warns about columns that make every covariance singular.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gmm.data.messages import count, quoted
from gmm.errors import DataError


def drop_incomplete_rows(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Drop the rows with a missing (NaN) or infinite value in any column.

    Parameters
    ----------
    frame : pandas.DataFrame
        Shape (n, d), float64.
    notes : list of str

    Returns
    -------
    pandas.DataFrame
        Shape (m, d), 1 <= m <= n, all values finite, fresh ``RangeIndex``.
    """
    finite = np.isfinite(frame.to_numpy())
    complete = finite.all(axis=1)
    if complete.all():
        return frame
    bad = (~finite).sum(axis=0)
    worst_first = [i for i in np.argsort(-bad, kind="stable")[:5] if bad[i]]
    worst = ", ".join(f"{frame.columns[i]!r} ({bad[i]:,})" for i in worst_first)
    if not complete.any():
        raise DataError(
            "No row has a number in every numeric column, so nothing is left once rows "
            f"with missing values are removed. Missing values per column: {worst}. Fill "
            "them in, or delete the mostly-empty columns, and upload the file again."
        )
    n_infinite = int(np.isinf(frame.to_numpy()).any(axis=1).sum())
    infinite = f", {n_infinite:,} of them with an infinite value" if n_infinite else ""
    notes.append(
        f"Dropped {int((~complete).sum()):,} of {count(len(frame), 'row')} because they "
        f"have a missing, unreadable or infinite value (blank, NA, ?, inf, …){infinite}. "
        f"Such values per column: {worst}."
    )
    return frame[complete].reset_index(drop=True)


def sample_rows(
    frame: pd.DataFrame, max_rows: int, seed: int | np.random.Generator, notes: list[str]
) -> pd.DataFrame:
    """Keep a uniform random sample of ``max_rows`` rows, in their original order.

    Returns
    -------
    pandas.DataFrame
        Shape (min(n, max_rows), d), fresh ``RangeIndex``.
    """
    n = len(frame)
    if n <= max_rows:
        return frame
    keep = np.sort(np.random.default_rng(seed).choice(n, size=max_rows, replace=False))
    notes.append(
        f"The file has {n:,} usable rows, more than the limit of {max_rows:,}: a random "
        f"sample of {max_rows:,} rows was kept (in their original order)."
    )
    return frame.iloc[keep].reset_index(drop=True)


def note_constant_columns(frame: pd.DataFrame, notes: list[str]) -> None:
    """Note the columns holding one value in every row (needs at least two rows)."""
    values = frame.to_numpy()
    constant = np.flatnonzero(values.min(axis=0) == values.max(axis=0))
    if len(frame) < 2 or constant.size == 0:
        return
    one = constant.size == 1
    notes.append(
        f"{'Column' if one else 'Columns'} {quoted(frame.columns[constant])} "
        f"{'has' if one else 'have'} the same value in every row. Kept, but a constant "
        "column has zero variance, which makes every covariance matrix singular: leave "
        "it out, or keep reg_covar > 0."
    )
