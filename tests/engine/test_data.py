"""Tests of gmm.data: messy CSV files in, numeric columns and plain-language notes out."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gmm.data
from gmm.data import (
    BUILTIN_DATASETS,
    builtin_dataset,
    load_csv,
    load_faithful,
    load_iris,
)
from gmm.errors import DataError


def load(content: bytes | str, **kwargs) -> tuple[pd.DataFrame, list[str]]:
    """``load_csv`` on in-memory content (bytes: a binary upload; str: a text file)."""
    stream = io.BytesIO(content) if isinstance(content, bytes) else io.StringIO(content)
    return load_csv(stream, **kwargs)


def values(frame: pd.DataFrame) -> list[list[float]]:
    return frame.to_numpy().tolist()


def joined(notes: list[str]) -> str:
    return "\n".join(notes)


# --------------------------------------------------------------------------------------
# Files that load, with or without notes
# --------------------------------------------------------------------------------------


def test_clean_file_has_no_notes_and_float_columns():
    frame, notes = load(b"a,b\n1,2.5\n3,4\n")
    assert list(frame.columns) == ["a", "b"]
    assert (frame.dtypes == np.float64).all()
    assert values(frame) == [[1.0, 2.5], [3.0, 4.0]]
    assert isinstance(frame.index, pd.RangeIndex)
    assert notes == []


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


def test_semicolons_with_decimal_commas():
    frame, notes = load(b"x;y\n1,5;2,25\n-3,0;4\n1e3;0,5\n")
    assert list(frame.columns) == ["x", "y"]
    assert values(frame) == [[1.5, 2.25], [-3.0, 4.0], [1000.0, 0.5]]
    assert notes == []


def test_semicolons_with_decimal_commas_without_header():
    frame, notes = load(b"1,5;2,25\n3,5;4,75\n")
    assert list(frame.columns) == ["x1", "x2"]
    assert values(frame) == [[1.5, 2.25], [3.5, 4.75]]
    assert "no header row" in joined(notes)


def test_tabs():
    frame, notes = load(b"a\tb\tc\n1.5\t2\t3\n4\t5\t6\n")
    assert list(frame.columns) == ["a", "b", "c"]
    assert values(frame) == [[1.5, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert notes == []


def test_tabs_with_decimal_commas():
    frame, _ = load(b"a\tb\n1,5\t2,25\n3\t4\n")
    assert values(frame) == [[1.5, 2.25], [3.0, 4.0]]


def test_pipes():
    frame, _ = load(b"a|b\n1|2\n3|4\n")
    assert values(frame) == [[1.0, 2.0], [3.0, 4.0]]


def test_blank_separated_columns():
    frame, _ = load(b"a b\n 1.5   2\n3 4\n")
    assert list(frame.columns) == ["a", "b"]
    assert values(frame) == [[1.5, 2.0], [3.0, 4.0]]


def test_label_text_with_blanks_does_not_make_blanks_the_separator():
    frame, notes = load(b"x,y,note\n1,2,the very big dog\n3,4,a small cat here\n")
    assert values(frame) == [[1.0, 2.0], [3.0, 4.0]]
    assert "'note'" in joined(notes)


def test_quoted_numbers_and_names():
    frame, notes = load(b'"a","b"\n"1.5","2"\n"3", " 4 "\n')
    assert list(frame.columns) == ["a", "b"]
    assert values(frame) == [[1.5, 2.0], [3.0, 4.0]]
    assert notes == []


def test_whitespace_around_values_and_names_is_tolerated():
    frame, notes = load(b" a , b \n  1.5 ,  2 \n3\t,4   \n")
    assert list(frame.columns) == ["a", "b"]
    assert values(frame) == [[1.5, 2.0], [3.0, 4.0]]
    assert notes == []


def test_windows_and_old_mac_line_endings():
    for content in (b"a,b\r\n1,2\r\n3,4\r\n", b"a,b\r1,2\r3,4\r"):
        frame, _ = load(content)
        assert values(frame) == [[1.0, 2.0], [3.0, 4.0]]


def test_excel_separator_hint_line_is_skipped():
    frame, notes = load(b"sep=;\na;b\n1,5;2\n")
    assert list(frame.columns) == ["a", "b"]
    assert values(frame) == [[1.5, 2.0]]
    assert notes == []


def test_comment_lines_at_the_top_are_skipped_with_a_note():
    frame, notes = load(b"# measured 2024\n#  by hand\n\nx,y\n1,2\n")
    assert values(frame) == [[1.0, 2.0]]
    assert notes == ["Skipped 2 comment lines (starting with #) at the top of the file."]


def test_thousands_separators():
    frame, _ = load(b'a,b\n"1,234.5",2\n"-2,000",3\n')
    assert values(frame) == [[1234.5, 2.0], [-2000.0, 3.0]]
    frame, _ = load(b"a;b\n1.234,5;2\n10,5;3\n")
    assert values(frame) == [[1234.5, 2.0], [10.5, 3.0]]


def test_first_row_of_numbers_means_no_header():
    frame, notes = load(b"1,2\n3,4\n5,6\n")
    assert list(frame.columns) == ["x1", "x2"]
    assert values(frame) == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    assert notes == [
        "The first row holds numbers, so the file has no header row; the columns were "
        "named x1 and x2."
    ]


def test_no_header_with_a_label_column():
    frame, notes = load(b"5.1,3.5,setosa\n4.9,3.0,setosa\n7.0,3.2,versicolor\n")
    assert list(frame.columns) == ["x1", "x2"]
    assert frame.shape == (3, 2)
    assert "no header row" in joined(notes)
    assert "Dropped 1 text column" in joined(notes) and "'x3'" in joined(notes)


def test_text_label_column_is_dropped_with_a_note():
    frame, notes = load(b"x,y,species\n1,2,setosa\n3,4,virginica\n5,6,setosa\n")
    assert list(frame.columns) == ["x", "y"]
    assert values(frame) == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    assert notes == ["Dropped 1 text column (EM only works with numbers): 'species'."]


def test_true_false_column_counts_as_text():
    frame, notes = load(b"x,flag\n1,True\n2,False\n")
    assert list(frame.columns) == ["x"]
    assert "'flag'" in joined(notes)


def test_missing_value_tokens_drop_their_rows_with_a_count():
    tokens = ["", "NA", "n/a", "N/A", "nan", "NaN", "?", "-", "null", "None", ".", " NA "]
    lines = ["x,y", "1,10"] + [f"{token},{i}" for i, token in enumerate(tokens)] + ["2,20"]
    frame, notes = load("\n".join(lines).encode())
    assert values(frame) == [[1.0, 10.0], [2.0, 20.0]]
    assert len(notes) == 1
    assert notes[0].startswith(f"Dropped {len(tokens)} of {len(tokens) + 2} rows")
    assert "missing" in notes[0] and f"'x' ({len(tokens)})" in notes[0]


def test_missing_tokens_do_not_make_a_column_text():
    frame, notes = load(b"x,y\n1,?\n2,n/a\n3,4\n5,6\n")
    assert list(frame.columns) == ["x", "y"]
    assert values(frame) == [[3.0, 4.0], [5.0, 6.0]]
    assert "Dropped 2 of 4 rows" in joined(notes)


def test_infinite_values_drop_their_rows():
    frame, notes = load(b"x,y\n1,2\ninf,3\n1e999,4\n-Infinity,5\n6,-inf\n7,8\n")
    assert values(frame) == [[1.0, 2.0], [7.0, 8.0]]
    assert len(notes) == 1
    assert "Dropped 4 of 6 rows" in notes[0] and "4 of them with an infinite value" in notes[0]
    assert np.isfinite(frame.to_numpy()).all()


def test_a_few_unreadable_cells_in_a_numeric_column_become_missing():
    lines = ["a,b"] + [f"{i},{i}" for i in range(19)] + ["oops,3"]
    frame, notes = load("\n".join(lines).encode())
    assert frame.shape == (19, 2)
    assert (
        "Some cells in numeric columns are not numbers and became missing: 1 in 'a' ('oops')."
    ) in notes
    assert "Dropped 1 of 20 rows" in joined(notes)


def test_unreadable_cells_in_many_columns_make_one_note():
    data = np.arange(20 * 8, dtype=float).reshape(20, 8).astype(object)
    data[3, :] = "x"
    buffer = io.StringIO()
    pd.DataFrame(data, columns=[f"c{j}" for j in range(8)]).to_csv(buffer, index=False)
    frame, notes = load(buffer.getvalue().encode())
    assert frame.shape == (19, 8)
    unreadable = [note for note in notes if "not numbers" in note]
    assert len(unreadable) == 1
    assert "1 in 'c0' ('x')" in unreadable[0] and "3 more columns" in unreadable[0]


def test_mostly_text_column_is_text_not_numbers():
    frame, notes = load(b"a,code\n1,x1\n2,y2\n3,7\n4,z9\n")
    assert list(frame.columns) == ["a"]
    assert "'code'" in joined(notes)


def test_ragged_rows_with_too_many_values_are_skipped_with_their_line():
    frame, notes = load(b"x,y\n1,2\n3,4,5\n6\n7,8\n")
    assert values(frame) == [[1.0, 2.0], [7.0, 8.0]]
    assert any("Skipped 1 row" in note and "line 3" in note for note in notes)
    assert "Dropped 1 of 3 rows" in joined(notes)


def test_line_numbers_count_leading_blank_lines():
    _, notes = load(b"\n\nx,y\n1,2\n3,4,5\n")
    assert any("line 5" in note for note in notes)


def test_duplicate_column_names_are_renamed():
    frame, notes = load(b"a,a,b,a\n1,2,3,4\n5,6,7,8\n")
    assert list(frame.columns) == ["a", "a_2", "b", "a_3"]
    assert values(frame) == [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]
    assert "renamed" in joined(notes) and "'a' → 'a_2'" in joined(notes)


def test_header_shorter_than_the_rows_names_the_extra_column():
    frame, _ = load(b"a,b\n1,2,3\n4,5,6\n7,8,9\n")
    assert list(frame.columns) == ["a", "b", "column 3"]
    assert values(frame)[0] == [1.0, 2.0, 3.0]


def test_trailing_separator_gives_an_empty_column_that_is_dropped():
    frame, notes = load(b"a,b,\n1,2,\n3,4,\n")
    assert list(frame.columns) == ["a", "b"]
    assert "Dropped 1 empty column" in joined(notes)


def test_constant_column_is_kept_with_a_warning_about_singular_covariances():
    frame, notes = load(b"a,b\n1,2\n1,3\n1,4\n")
    assert values(frame) == [[1.0, 2.0], [1.0, 3.0], [1.0, 4.0]]
    assert len(notes) == 1
    assert "'a'" in notes[0] and "same value" in notes[0] and "singular" in notes[0]


def test_constant_columns_make_one_note():
    frame, notes = load(b"a,b,c\n1,2,0\n1,3,0\n")
    assert frame.shape == (2, 3)
    assert len(notes) == 1 and notes[0].startswith("Columns 'a', 'c' have the same value")


def test_pandas_index_column_is_dropped():
    frame, notes = load(b",a,b\n0,1,2\n1,3,4\n2,5,6\n")
    assert list(frame.columns) == ["a", "b"]
    assert values(frame) == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    assert "counts the rows" in joined(notes)


def test_single_numeric_data_row_is_returned_without_a_constant_column_note():
    frame, notes = load(b"a,b\n1,2\n")
    assert values(frame) == [[1.0, 2.0]]
    assert notes == []


def test_single_numeric_column():
    frame, notes = load(b"waiting\n79\n54\n74\n")
    assert list(frame.columns) == ["waiting"]
    assert values(frame) == [[79.0], [54.0], [74.0]]
    assert notes == []


def test_single_column_with_decimal_commas():
    frame, _ = load(b"x\n1,5\n2,25\n3\n")
    assert values(frame) == [[1.5], [2.25], [3.0]]


def test_thousands_of_columns_are_fast():
    rng = np.random.default_rng(1)
    data = rng.normal(size=(50, 3000))
    buffer = io.StringIO()
    pd.DataFrame(data, columns=[f"c{j}" for j in range(3000)]).to_csv(buffer, index=False)
    start = time.perf_counter()
    frame, notes = load(buffer.getvalue().encode())
    assert time.perf_counter() - start < 5
    assert frame.shape == (50, 3000)
    np.testing.assert_allclose(frame.to_numpy(), data)
    assert notes == []


def _numbered_rows(n: int) -> bytes:
    return ("i,y\n" + "".join(f"{i},{i % 7}\n" for i in range(n))).encode()


def test_large_files_are_sampled_down_in_order_and_reproducibly():
    content = _numbered_rows(5000)
    frame, notes = load(content, max_rows=1000, seed=7)
    assert frame.shape == (1000, 2)
    kept = frame["i"].to_numpy()
    assert np.all(np.diff(kept) > 0)  # original order, no repeats
    assert notes == [
        "The file has 5,000 usable rows, more than the limit of 1,000: a random sample "
        "of 1,000 rows was kept (in their original order)."
    ]
    again, _ = load(content, max_rows=1000, seed=7)
    other, _ = load(content, max_rows=1000, seed=8)
    pd.testing.assert_frame_equal(frame, again)
    assert not np.array_equal(kept, other["i"].to_numpy())
    assert kept.min() < 500 and kept.max() > 4500  # spread over the whole file


def test_max_rows_must_be_positive():
    with pytest.raises(ValueError, match="max_rows"):
        load(b"a\n1\n", max_rows=0)


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


def test_comments_only():
    with pytest.raises(DataError, match="only comment lines.*Choose a CSV file"):
        load(b"# nothing\n# here")


def test_header_only():
    with pytest.raises(DataError, match=r"header row \('a', 'b'\) but no data rows.*Add"):
        load(b"a,b\n")


def test_header_and_blank_lines_only():
    with pytest.raises(DataError, match="no data rows"):
        load(b"a,b\n\n\n")


def test_no_numeric_column():
    with pytest.raises(
        DataError, match="None of the columns .* hold numbers; columns found: 'name', 'city'"
    ):
        load(b"name,city\nann,paris\nbob,rome\n")


def test_single_text_column_suggests_checking_the_separator():
    with pytest.raises(DataError, match="only one column .*'name'.* separated by"):
        load(b"name\nalice\nbob\n")


def test_no_complete_row():
    with pytest.raises(DataError, match="No row has a number in every numeric column.*Fill"):
        load(b"a,b\n1,\n,2\nNA,3\n")


def test_rows_of_every_width_suggest_checking_the_separator():
    with pytest.raises(DataError, match="only one column.*separated by commas, semicolons"):
        load(b"a,b\n1,2,3\n4,5,6,7\n")


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


def test_unmatched_quote_is_reported():
    with pytest.raises(DataError, match="could not be read as a table.*quote character"):
        load(b'a,b\n1,2\n"3,4\n5,6\n')


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------


_NUMBERS = st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 4))
_TABLES = st.integers(1, 4).flatmap(
    lambda width: st.lists(
        st.lists(_NUMBERS, min_size=width, max_size=width), min_size=2, max_size=12
    )
)


@settings(max_examples=40, deadline=None)
@given(
    data=_TABLES,
    style=st.sampled_from([(",", "."), (";", ","), ("\t", "."), ("\t", ","), ("|", ".")]),
)
def test_round_trip_of_numeric_tables(data, style):
    sep, decimal = style
    original = pd.DataFrame(data, columns=[f"col {j}" for j in range(len(data[0]))])
    text = original.to_csv(index=False, sep=sep, decimal=decimal)
    frame, _ = load(text.encode())
    assert list(frame.columns) == list(original.columns)
    np.testing.assert_allclose(frame.to_numpy(), original.to_numpy())


# --------------------------------------------------------------------------------------
# Built-in data sets
# --------------------------------------------------------------------------------------


def test_faithful():
    frame = load_faithful()
    assert frame.shape == (272, 2)
    assert list(frame.columns) == ["eruptions", "waiting"]
    assert (frame.dtypes == np.float64).all()
    assert frame.iloc[0].tolist() == [3.6, 79.0]


def test_iris_keeps_its_species_label():
    frame = load_iris()
    assert frame.shape == (150, 5)
    numeric = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    assert list(frame.columns) == [*numeric, "species"]
    assert (frame[numeric].dtypes == np.float64).all()
    assert sorted(frame["species"].unique()) == ["setosa", "versicolor", "virginica"]


def test_load_csv_of_iris_drops_the_label():
    with (files("gmm.data") / "builtin_csv" / "iris.csv").open("rb") as handle:
        frame, notes = load_csv(handle)
    assert frame.shape == (150, 4)
    assert notes == ["Dropped 1 text column (EM only works with numbers): 'species'."]


def test_builtin_datasets_by_name():
    assert list(BUILTIN_DATASETS) == ["Old Faithful", "Iris"]
    pd.testing.assert_frame_equal(builtin_dataset("Old Faithful"), load_faithful())
    with pytest.raises(ValueError, match="no built-in data set called 'Wine'.*'Iris'"):
        builtin_dataset("Wine")


def test_builtin_files_are_package_data_with_their_provenance():
    folder = files("gmm.data") / "builtin_csv"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "datasets::faithful" in readme and "datasets::iris" in readme
    assert (folder / "faithful.csv").is_file() and (folder / "iris.csv").is_file()
    package = Path(gmm.data.__file__).resolve().parent
    assert Path(str(folder)).resolve() == package / "builtin_csv"


def test_data_modules_do_not_import_streamlit_or_plotly():
    code = (
        "import sys, gmm.data, gmm.errors; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly')]; "
        "assert not bad, bad"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2]
    )
