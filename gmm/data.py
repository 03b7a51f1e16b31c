"""Read numeric data for EM from messy CSV files, and load the built-in data sets.

``load_csv`` turns whatever a person uploads into a float64 table that EM can use, plus
plain-language notes on what was dropped or changed. Anything it cannot use is refused
with a ``DataError`` whose message says what was wrong and what to do. The steps, each
a small function below:

1. read the bytes (from a path or a file-like object) and refuse binary files;
2. decode UTF-8 (with or without BOM) or UTF-16 with BOM, else Windows-1252/Latin-1;
3. refuse empty files, JSON, HTML and XML;
4. skip blank and comment lines at the top, then sniff the separator, the decimal
   mark and the header row from the first lines;
5. parse the whole file with pandas' C parser, skipping rows with too many values;
6. keep the columns that hold mostly numbers (their other cells become missing);
7. drop the rows with a missing or infinite value;
8. sample down to ``max_rows`` rows, and note constant columns.

Only the numbers are returned: text columns (labels) are dropped with a note. The
built-in loaders (``load_faithful``, ``load_iris``) return the shipped files as they are,
including the iris ``species`` label, which the app may use for colouring.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, NamedTuple

import numpy as np
import pandas as pd

from gmm.errors import DataError

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
"""Folder holding the built-in data sets (``faithful.csv``, ``iris.csv``)."""

MISSING_TOKENS = frozenset(
    {"", "na", "n/a", "nan", "-nan", "?", "-", "--", ".", "null", "none", "#n/a", "<na>"}
)
"""Cell texts meaning "no value" (compared without surrounding blanks/quotes, any case)."""

SEPARATORS = (",", ";", "\t", "|", r"\s+")
"""Candidate column separators, in order of preference when they fit equally well."""

NUMERIC_SHARE = 0.9
"""A column is numeric when at least this share of its non-missing cells are numbers."""

SAMPLE_LINES = 50
"""Number of non-blank lines looked at to guess the separator, decimal mark and header."""

_PANDAS_NA_VALUES = sorted(
    {variant for t in MISSING_TOKENS for variant in (t, t.upper(), t.title())}
)
_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls) or another Office document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"PAR1", "a Parquet file"),
    (b"SQLite format 3", "an SQLite database"),
)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKUP = re.compile(r"<(?:\?xml|!doctype|!--|[a-z][\w.:-]*(?:\s[^>]*)?/?>)", re.IGNORECASE)
_COMMA_NUMBER = r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?"
_POINT_NUMBER = r"[+-]?\d*\.\d+(?:[eE][+-]?\d+)?"
_PREAMBLE_LINE = re.compile(
    r"[ \t]*(?:#[^\r\n]*|sep=[^\r\n]?)?[ \t]*(?:\r\n|\r|\n|\Z)", re.IGNORECASE
)
_GROUPED_NUMBER = {  # decimal mark -> (number with thousands separators, that separator)
    ".": (r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", ","),
    ",": (r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?", "."),
}
_SAVE_AS_CSV = (
    "Open it in the program that made it and use 'Save as' or 'Export' to CSV "
    "(comma-separated values), then upload that file."
)


@dataclass(frozen=True)
class _Layout:
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


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def load_csv(
    source: str | os.PathLike | IO[bytes] | IO[str],
    max_rows: int = 1_000_000,
    *,
    seed: int | np.random.Generator = 0,
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
    text = _decode(_read_source(source), notes)
    _refuse_non_tables(text)
    start, skip = _skip_preamble(text, notes)
    layout = _sniff(_sample_lines(text, start))
    raw = _read_table(text, layout, skip, notes)
    raw, layout = _drop_row_number_column(raw, layout, notes)
    names = _column_names(layout, notes)
    frame = _numeric_columns(raw, names, layout.decimal, notes)
    frame = _drop_incomplete_rows(frame, notes)
    frame = _sample_rows(frame, max_rows, seed, notes)
    _note_constant_columns(frame, notes)
    return frame, notes


def load_faithful() -> pd.DataFrame:
    """Return the Old Faithful geyser data (R ``datasets::faithful``).

    Returns
    -------
    pandas.DataFrame
        Shape (272, 2), float64 columns ``eruptions`` (eruption length, minutes) and
        ``waiting`` (minutes to the next eruption).
    """
    return _load_asset("faithful.csv")


def load_iris() -> pd.DataFrame:
    """Return Fisher's iris data (R ``datasets::iris``).

    Returns
    -------
    pandas.DataFrame
        Shape (150, 5): float64 columns ``sepal_length``, ``sepal_width``,
        ``petal_length``, ``petal_width`` (cm), and the string label ``species``, which
        is not a feature: leave it out of EM (it can colour or check the clusters).
    """
    return _load_asset("iris.csv")


BUILTIN_DATASETS: MappingProxyType[str, Callable[[], pd.DataFrame]] = MappingProxyType(
    {"Old Faithful": load_faithful, "Iris": load_iris}
)
"""Built-in data sets, by the name shown to the user, in display order."""


def builtin_dataset(name: str) -> pd.DataFrame:
    """Return the built-in data set called ``name`` (a key of ``BUILTIN_DATASETS``).

    Parameters
    ----------
    name : str
        ``"Old Faithful"`` or ``"Iris"``.

    Returns
    -------
    pandas.DataFrame
        See ``load_faithful`` and ``load_iris``.
    """
    if name not in BUILTIN_DATASETS:
        raise ValueError(
            f"There is no built-in data set called {name!r}; "
            f"choose one of {_quoted(BUILTIN_DATASETS)}."
        )
    return BUILTIN_DATASETS[name]()


# --------------------------------------------------------------------------------------
# 1-3. Bytes to text, refusing what is not a text table
# --------------------------------------------------------------------------------------


def _read_source(source: Any) -> bytes | str:
    """Return the whole content of a path or file-like object."""
    if isinstance(source, (str, os.PathLike)):
        return _read_path(Path(source))
    if hasattr(source, "getvalue"):  # BytesIO, StringIO, Streamlit's UploadedFile
        return source.getvalue()
    if hasattr(source, "read"):
        if getattr(source, "seekable", lambda: False)():
            source.seek(0)
        return source.read()
    raise TypeError(f"load_csv needs a file path or an open file, not a {type(source).__name__}.")


def _read_path(path: Path) -> bytes:
    """Return the bytes of the file at ``path``, or raise a ``DataError`` saying why not."""
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DataError(
            f"Could not open {path}: {reason}. Check the path and that the file exists."
        ) from None


def _decode(raw: bytes | str, notes: list[str]) -> str:
    """Decode the file's bytes to text, refusing binary files.

    Parameters
    ----------
    raw : bytes or str
        The file's content (already text when read from a text-mode file).
    notes : list of str
        Appended to when the encoding is not UTF-8.

    Returns
    -------
    str
        The text, without byte-order mark.
    """
    if isinstance(raw, str):
        text = raw.removeprefix("\ufeff")
    elif not raw:
        raise DataError(
            "The file is empty (0 bytes). Choose a CSV file with a header row and at "
            "least one row of numbers."
        )
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_utf16(raw, notes)
    else:
        _refuse_binary(raw)
        text = _decode_8bit(raw, notes)
    _refuse_control_characters(text)
    return text


def _refuse_binary(raw: bytes) -> None:
    """Raise a ``DataError`` for known binary formats and for bytes with NUL bytes."""
    for signature, what in _SIGNATURES:
        if raw.startswith(signature):
            raise DataError(f"This file is {what}, not a CSV text file. {_SAVE_AS_CSV}")
    if b"\x00" in raw:
        raise _binary_error()


def _binary_error() -> DataError:
    return DataError(
        "This file holds binary data, not plain text, so it is not a CSV file. "
        f"If it is a spreadsheet, {_SAVE_AS_CSV[0].lower()}{_SAVE_AS_CSV[1:]}"
    )


def _decode_utf16(raw: bytes, notes: list[str]) -> str:
    """Decode UTF-16 text that starts with a byte-order mark (Excel's 'Unicode text')."""
    try:
        text = raw.decode("utf-16")
    except UnicodeDecodeError:
        raise _binary_error() from None
    notes.append("The file is UTF-16 text (as Excel's 'Unicode text'); it was converted.")
    return text


def _decode_8bit(raw: bytes, notes: list[str]) -> str:
    """Decode UTF-8 (with or without BOM), falling back to Windows-1252 then Latin-1."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    notes.append(
        "The file is not UTF-8, so it was read as Latin-1 (Windows-1252) text. If "
        "accented letters in the column names look wrong, save the file as 'CSV UTF-8' "
        "and upload it again."
    )
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _refuse_control_characters(text: str) -> None:
    """Raise a ``DataError`` when more than 1% of the first 64k characters are controls.

    Text decoded from a binary file (Latin-1 accepts any byte) is full of them.
    """
    head = text[:65536]
    if len(_CONTROL_CHARACTERS.findall(head)) > 0.01 * len(head):
        raise _binary_error()


def _refuse_non_tables(text: str) -> None:
    """Raise a ``DataError`` for blank files, JSON, HTML and XML."""
    stripped = text.strip()
    if not stripped:
        raise DataError(
            "The file contains only blank space (spaces or empty lines), no data. "
            "Choose a CSV file with a header row and at least one row of numbers."
        )
    if _looks_like_json(stripped):
        raise DataError(
            "This looks like JSON, not CSV. Convert it to a CSV table first (for "
            "example with pandas: pd.read_json('data.json').to_csv('data.csv', "
            "index=False)) and upload the CSV file."
        )
    if _MARKUP.match(stripped):
        raise DataError(
            "This looks like a web page (HTML) or an XML file, not CSV. If you saved it "
            "from a website, download the raw CSV file instead (on GitHub, the 'Raw' "
            "button), or export the table as CSV."
        )


def _looks_like_json(text: str) -> bool:
    """True when ``text`` (stripped) or its first line parses as a JSON object or array."""
    if text[0] not in "{[":
        return False
    return any(_parses_as_json(part) for part in (text, text.partition("\n")[0]))


def _parses_as_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------------------
# 4. Sniffing separator, decimal mark and header
# --------------------------------------------------------------------------------------


def _skip_preamble(text: str, notes: list[str]) -> tuple[int, int]:
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
            "The file holds only comment lines (starting with #), no data. Choose a CSV "
            "file with a header row and at least one row of numbers."
        )
    if n_comments:
        notes.append(
            f"Skipped {_count(n_comments, 'comment line')} (starting with #) at the top "
            "of the file."
        )
    return start, n_lines


def _sample_lines(text: str, start: int) -> list[str]:
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


def _sniff(lines: Sequence[str]) -> _Layout:
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
    _Layout
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
    return _Layout(sep=best.sep, decimal=decimal, n_columns=width, header=header)


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
        return cls(sep, rows, width, sep != "," and _has_decimal_commas(rows))

    def preference(self) -> tuple[bool, bool, int, int]:
        """Sort key among fitting candidates (see ``_sniff``)."""
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


def _has_decimal_commas(rows: Iterable[Sequence[str]]) -> bool:
    """True when more cells look like ``1,5`` than like ``1.5``."""
    cells = pd.Series([cell for row in rows for cell in row], dtype=object).astype(str)
    cells = cells.str.strip().str.strip("\"'")
    commas = cells.str.fullmatch(_COMMA_NUMBER).sum()
    return bool(commas > cells.str.fullmatch(_POINT_NUMBER).sum())


def _has_header(rows: Sequence[Sequence[str]], decimal: str) -> bool:
    """Decide whether the first row is a header rather than data.

    It is data when all its cells are numbers or missing, or when its only text cells
    sit in columns that hold text below too (a label column). It is a header when it
    holds no number at all, or text above a column of numbers.
    """
    width = max(len(row) for row in rows)
    cells = np.array([list(row) + [""] * (width - len(row)) for row in rows], dtype=object)
    numbers, missing = _parse_numbers(cells, decimal)
    is_number = ~np.isnan(numbers)
    first_text = ~is_number[0] & ~missing[0]
    if not first_text.any():
        return False
    if not is_number[0].any():
        return True
    numeric_below = is_number[1:].mean(axis=0) >= 0.5 if len(rows) > 1 else is_number[0]
    return bool(np.any(first_text & numeric_below))


# --------------------------------------------------------------------------------------
# 5. Parsing
# --------------------------------------------------------------------------------------


def _read_table(text: str, layout: _Layout, skip: int, notes: list[str]) -> pd.DataFrame:
    """Parse the whole text with pandas' C parser.

    Parameters
    ----------
    text : str
    layout : _Layout
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
                na_values=_PANDAS_NA_VALUES,
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
            f"Skipped {_count(len(skipped), 'row')} with more values than the "
            f"{layout.n_columns} columns of the table (line {_listing(skipped)}). "
            "Check the separator or quotes on those lines if they matter."
        )
    return frame


def _refuse_no_rows(frame: pd.DataFrame, layout: _Layout) -> None:
    """Raise a ``DataError`` when the table has no data rows."""
    if len(frame) == 0:
        raise DataError(
            f"The file has a header row ({_quoted(layout.header or ())}) but no data "
            "rows that fit under it. Add the data below the header, or choose another file."
        )


def _column_names(layout: _Layout, notes: list[str]) -> list[str]:
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
            f"were named {_name_range(names)}."
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


def _drop_row_number_column(
    raw: pd.DataFrame, layout: _Layout, notes: list[str]
) -> tuple[pd.DataFrame, _Layout]:
    """Drop a nameless first column that just counts rows (as ``DataFrame.to_csv`` writes).

    Returns
    -------
    raw : pandas.DataFrame
        Without that column, if it was there (columns renumbered 0, 1, ...).
    layout : _Layout
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


# --------------------------------------------------------------------------------------
# 6. Numeric columns
# --------------------------------------------------------------------------------------


def _parse_numbers(cells: np.ndarray, decimal: str) -> tuple[np.ndarray, np.ndarray]:
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
        numbers, missing = _parse_numbers(cells, decimal)
        values[:, ~is_native] = numbers
        text[:, ~is_native] = np.isnan(numbers) & ~missing
    return values, text


def _numeric_columns(
    raw: pd.DataFrame, names: list[str], decimal: str, notes: list[str]
) -> pd.DataFrame:
    """Keep the columns that hold mostly numbers, as float64.

    A column is numeric when at least ``NUMERIC_SHARE`` of its non-missing cells are
    numbers; its other cells become missing. Empty and text columns are dropped.

    Parameters
    ----------
    raw : pandas.DataFrame
        Shape (n, c), from ``_read_table``.
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
        f"None of the columns in this file hold numbers; columns found: {_quoted(names)}. "
        "EM needs at least one numeric column: choose a file with numbers in it."
    )


def _note_dropped_columns(
    names: list[str], dropped: np.ndarray, what: str, why: str, notes: list[str]
) -> None:
    """Note the names of the dropped columns (``dropped`` is a bool mask, length c)."""
    index = np.flatnonzero(dropped)
    if index.size:
        notes.append(
            f"Dropped {_count(index.size, what)} {why}: {_quoted(names[i] for i in index)}."
        )


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
        f"({_quoted(pd.unique(raw.iloc[text[:, i], i].astype(str).str.strip()), 3)})"
        for i in columns[:5]
    ]
    more = f"; and some in {columns.size - 5:,} more columns" if columns.size > 5 else ""
    notes.append(
        f"Some cells in numeric columns are not numbers and became missing: "
        f"{'; '.join(counts)}{more}."
    )


# --------------------------------------------------------------------------------------
# 7-8. Rows
# --------------------------------------------------------------------------------------


def _drop_incomplete_rows(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
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
        f"Dropped {int((~complete).sum()):,} of {_count(len(frame), 'row')} because they "
        f"have a missing, unreadable or infinite value (blank, NA, ?, inf, …){infinite}. "
        f"Such values per column: {worst}."
    )
    return frame[complete].reset_index(drop=True)


def _sample_rows(
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


def _note_constant_columns(frame: pd.DataFrame, notes: list[str]) -> None:
    """Note the columns holding one value in every row (needs at least two rows)."""
    values = frame.to_numpy()
    constant = np.flatnonzero(values.min(axis=0) == values.max(axis=0))
    if len(frame) < 2 or constant.size == 0:
        return
    one = constant.size == 1
    notes.append(
        f"{'Column' if one else 'Columns'} {_quoted(frame.columns[constant])} "
        f"{'has' if one else 'have'} the same value in every row. Kept, but a constant "
        "column has zero variance, which makes every covariance matrix singular: leave "
        "it out, or keep reg_covar > 0."
    )


# --------------------------------------------------------------------------------------
# Built-in data sets and helpers
# --------------------------------------------------------------------------------------


def _load_asset(filename: str) -> pd.DataFrame:
    """Read ``assets/<filename>``, with its numeric columns as float64."""
    path = ASSETS_DIR / filename
    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"The built-in data file {path} is missing: restore the assets/ folder of "
            "the app (or reinstall it)."
        ) from None
    numeric = frame.select_dtypes("number").columns
    return frame.astype(dict.fromkeys(numeric, np.float64))


def _quoted(names: Iterable[object], limit: int = 8) -> str:
    """``'a', 'b', 'c'``, or ``'a', …, and 12 more`` past ``limit`` names."""
    names = [str(name) for name in names]
    shown = ", ".join(repr(name) for name in names[:limit])
    return shown + (f" and {len(names) - limit:,} more" if len(names) > limit else "")


def _listing(numbers: Sequence[int], limit: int = 8) -> str:
    """``3, 7, 9``, or ``3, 7, … (12 in all)`` past ``limit`` numbers."""
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (f", … ({len(numbers):,} in all)" if len(numbers) > limit else "")


def _count(n: int, noun: str) -> str:
    """``1 row``, ``2 rows``, ``1,234 rows``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _name_range(names: Sequence[str]) -> str:
    """``x1``, ``x1 and x2``, or ``x1 to x5``."""
    if len(names) <= 2:
        return " and ".join(names)
    return f"{names[0]} to {names[-1]}"
