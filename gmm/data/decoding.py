"""Steps 1 to 3 of ``load_csv``: bytes to text, refusing what is not a text table.

``read_source`` takes the whole content of a path or an open file, ``decode`` turns it
into text (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252/Latin-1) and
refuses binary files, and ``refuse_non_tables`` refuses blank files, JSON, HTML and XML.
Every refusal is a ``DataError`` that says what the file is and what to do instead.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from pathlib import Path
from typing import Any

from gmm.data.messages import CHOOSE_A_TABLE
from gmm.errors import DataError

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
_SAVE_AS_CSV = (
    "Open it in the program that made it and use 'Save as' or 'Export' to CSV "
    "(comma-separated values), then upload that file."
)


def read_source(source: Any) -> bytes | str:
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


def refuse_large(raw: bytes | str, max_megabytes: float, max_rows: int) -> None:
    """Raise a ``DataError`` for a file over ``max_megabytes`` MB (of 2**20 bytes)."""
    size = len(raw) / 2**20
    if size > max_megabytes:
        raise DataError(
            f"The file is {size:,.0f} MB; the app reads files of up to {max_megabytes:,g} "
            f"MB. Save only the columns you need, or a random sample of the rows (EM uses "
            f"at most {max_rows:,}), as a CSV file, and upload that."
        )


def _read_path(path: Path) -> bytes:
    """Return the bytes of the file at ``path``, or raise a ``DataError`` saying why not."""
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DataError(
            f"Could not open {path}: {reason}. Check the path and that the file exists."
        ) from None


def decode(raw: bytes | str, notes: list[str]) -> str:
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
        raise DataError(f"The file is empty (0 bytes). {CHOOSE_A_TABLE}")
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


def refuse_non_tables(text: str) -> None:
    """Raise a ``DataError`` for blank files, JSON, HTML and XML."""
    stripped = text.strip()
    if not stripped:
        raise DataError(
            f"The file contains only blank space (spaces or empty lines), no data. {CHOOSE_A_TABLE}"
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
