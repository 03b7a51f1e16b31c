"""Read numeric data for EM from messy CSV files: ``load_csv``, the one entry point.

``load_csv`` turns whatever a person uploads into a float64 table that EM can use, plus
plain-language notes on what was dropped or changed. Anything it cannot use is refused
with a ``DataError`` whose message says what was wrong and what to do. The steps, each
a small function in the module named after it:

1. read the bytes (from a path or a file-like object) and refuse binary files and files
   over `MAX_FILE_MB` megabytes;
2. decode UTF-8 (with or without BOM) or UTF-16 with BOM, else Windows-1252/Latin-1;
3. refuse empty files, JSON, HTML and XML (1-3: ``gmm.data.decoding``);
4. skip blank and comment lines at the top, then sniff the separator, the decimal
   mark and the header row from the first lines (``gmm.data.sniffing``);
5. parse the whole file with pandas' C parser, skipping rows with too many values;
6. keep the columns that hold mostly numbers (their other cells become missing)
   (5-6: ``gmm.data.parsing``; what a cell means as a number: ``gmm.data.cells``);
7. drop the rows with a missing or infinite value;
8. sample down to ``max_rows`` rows, and note constant columns (7-8: ``gmm.data.rows``).

Only the numbers are returned: text columns (labels) are dropped with a note. The
built-in loaders (``gmm.data.builtin``) return the shipped files as they are, including
the iris ``species`` label, which the app may use for colouring.
"""

from __future__ import annotations

import os
from typing import IO

import numpy as np
import pandas as pd

from gmm.data.decoding import decode, read_source, refuse_large, refuse_non_tables
from gmm.data.parsing import column_names, drop_row_number_column, numeric_columns, read_table
from gmm.data.rows import drop_incomplete_rows, note_constant_columns, sample_rows
from gmm.data.sniffing import sample_lines, skip_preamble, sniff

#: Largest file read, in megabytes of 2**20 bytes (Streamlit's unit): 10⁶ rows of a dozen
#: numeric columns. ``.streamlit/config.toml`` sets ``server.maxUploadSize`` to the same.
MAX_FILE_MB = 200
#: Most rows used: larger files are sampled down to this many.
MAX_ROWS = 1_000_000


def load_csv(
    source: str | os.PathLike | IO[bytes] | IO[str],
    max_rows: int = MAX_ROWS,
    *,
    seed: int | np.random.Generator = 0,
    max_megabytes: float = MAX_FILE_MB,
) -> tuple[pd.DataFrame, list[str]]:
    """Read the numeric columns of a CSV file, cleaning what can be cleaned.

    Parameters
    ----------
    source : str, os.PathLike or file-like
        A path, or an open file in binary or text mode (for example Streamlit's
        ``UploadedFile``); its whole content is read, whatever its current position.
    max_rows : int, default 1_000_000
        Largest number of rows returned. Larger files are sampled down uniformly at
        random, keeping the rows' original order.
    seed : int or numpy.random.Generator, default 0
        Seed of the random sample taken when the file has more than ``max_rows`` rows.
    max_megabytes : float, default `MAX_FILE_MB`
        Largest file read, in MB of 2**20 bytes; a larger one is refused.

    Returns
    -------
    frame : pandas.DataFrame
        Shape (n, d), n >= 1, d >= 1: the numeric columns, float64, all values finite,
        with unique column names and a fresh ``RangeIndex``.
    notes : list of str
        Plain-language sentences about what was dropped, renamed or changed (empty when
        the file was clean).

    Raises
    ------
    DataError
        When the file cannot give at least one complete numeric row; the message says
        what was wrong and what to do.
    """
    if max_rows < 1:
        raise ValueError(f"max_rows must be at least 1; got {max_rows}.")
    notes: list[str] = []
    raw = read_source(source)
    refuse_large(raw, max_megabytes, max_rows)
    text = decode(raw, notes)
    refuse_non_tables(text)
    start, skip = skip_preamble(text, notes)
    layout = sniff(sample_lines(text, start))
    raw = read_table(text, layout, skip, notes)
    raw, layout = drop_row_number_column(raw, layout, notes)
    names = column_names(layout, notes)
    frame = numeric_columns(raw, names, layout.decimal, notes)
    frame = drop_incomplete_rows(frame, notes)
    frame = sample_rows(frame, max_rows, seed, notes)
    note_constant_columns(frame, notes)
    return frame, notes
