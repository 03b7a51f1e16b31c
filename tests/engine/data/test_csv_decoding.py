"""Tests of load_csv's first steps (gmm.data.decoding): sources and encodings.

And the files refused because they are not text tables: empty, binary, JSON, HTML.
"""

from __future__ import annotations

import io

import pytest
from csv_helpers import joined, load, values

from gmm.data import (
    load_csv,
)
from gmm.errors import DataError

# --------------------------------------------------------------------------------------
# Encodings
# --------------------------------------------------------------------------------------


def test_utf8_bom_is_not_part_of_the_first_name():
    frame, notes = load("\ufeffheight,weight\n1.5,60\n1.8,80\n".encode("utf-8"))
    assert list(frame.columns) == ["height", "weight"]
    assert values(frame) == [[1.5, 60.0], [1.8, 80.0]]
    assert notes == []


def test_latin1_header_is_decoded_with_a_note():
    frame, notes = load("température,pression\n21.5,1013\n22.0,1009\n".encode("latin-1"))
    assert list(frame.columns) == ["température", "pression"]
    assert values(frame) == [[21.5, 1013.0], [22.0, 1009.0]]
    assert len(notes) == 1
    assert "not UTF-8" in notes[0] and "Latin-1" in notes[0] and "UTF-8" in notes[0]


def test_utf16_with_bom_is_decoded_with_a_note():
    frame, notes = load("a\tb\r\n1,5\t2\r\n3\t4,25\r\n".encode("utf-16"))
    assert values(frame) == [[1.5, 2.0], [3.0, 4.25]]
    assert "UTF-16" in joined(notes)


# --------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------


class FakeUploadedFile(io.BytesIO):
    """Like Streamlit's UploadedFile: a BytesIO with a name and an id."""

    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name = name
        self.file_id = "abc"


def test_streamlit_like_upload_is_read_whole_even_after_a_read():
    upload = FakeUploadedFile(b"a;b\n1,5;2\n3;4\n", name="misleading.json")
    upload.read()  # an earlier reader left the position at the end
    frame, _ = load_csv(upload)
    assert values(frame) == [[1.5, 2.0], [3.0, 4.0]]


def test_text_mode_file():
    frame, _ = load_csv(io.StringIO("a,b\n1,2\n"))
    assert values(frame) == [[1.0, 2.0]]


def test_binary_file_object_without_getvalue(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"a,b\n1,2\n")
    with open(path, "rb") as handle:
        handle.read(3)
        frame, _ = load_csv(handle)
    assert values(frame) == [[1.0, 2.0]]


def test_path_as_str_and_pathlike(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2\n3,4\n")
    for source in (path, str(path)):
        frame, _ = load_csv(source)
        assert values(frame) == [[1.0, 2.0], [3.0, 4.0]]


def test_missing_path_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="Could not open .*Check the path"):
        load_csv(tmp_path / "nope.csv")


def test_unsupported_source_type():
    with pytest.raises(TypeError, match="file path or an open file"):
        load_csv(42)


# --------------------------------------------------------------------------------------
# Files that are refused, with a message that says what to do
# --------------------------------------------------------------------------------------


def test_empty_file():
    with pytest.raises(DataError, match=r"empty \(0 bytes\).*Choose a CSV file"):
        load(b"")


def test_whitespace_only_file():
    with pytest.raises(DataError, match="only blank space.*Choose a CSV file"):
        load(b"  \n\t\n \r\n")


def test_binary_bytes_with_nul():
    with pytest.raises(DataError, match="binary data.*CSV"):
        load(b"a,b\n1,\x002\n3,4\n")


def test_undecodable_garbage():
    with pytest.raises(DataError, match="binary data.*CSV"):
        load(bytes(range(1, 256)) * 20)


@pytest.mark.parametrize(
    "content, what",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"PK\x03\x04\x14\x00\x06\x00", r"Excel workbook \(.xlsx\)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel"),
        (b"%PDF-1.7\n", "PDF"),
        (b"\x1f\x8b\x08\x00", "gzip"),
    ],
)
def test_known_binary_formats_suggest_exporting_as_csv(content, what):
    with pytest.raises(DataError, match=f"{what}.*not a CSV.*CSV"):
        load(content)


@pytest.mark.parametrize(
    "content",
    [b'[{"a": 1, "b": 2}, {"a": 3, "b": 4}]', b'{"a": [1, 2]}', b'{"a": 1}\n{"a": 2}\n'],
)
def test_json_is_recognised(content):
    with pytest.raises(DataError, match="looks like JSON, not CSV.*Convert"):
        load(content)


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html>\n<html><body><table></table></body></html>",
        b"<html>\n<p>1,2</p></html>",
        b'<?xml version="1.0"?>\n<rows><row a="1"/></rows>',
    ],
)
def test_html_and_xml_are_recognised(content):
    with pytest.raises(DataError, match="web page \\(HTML\\) or an XML file.*raw CSV"):
        load(content)
