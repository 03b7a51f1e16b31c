"""Tests of load_csv's parsing (gmm.data.parsing, cells, rows): reading the whole table.

Numeric columns kept, incomplete rows dropped, large files sampled, and their notes.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from csv_helpers import joined, load, values

from gmm.errors import DataError

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


def test_thousands_separators():
    frame, _ = load(b'a,b\n"1,234.5",2\n"-2,000",3\n')
    assert values(frame) == [[1234.5, 2.0], [-2000.0, 3.0]]
    frame, _ = load(b"a;b\n1.234,5;2\n10,5;3\n")
    assert values(frame) == [[1234.5, 2.0], [10.5, 3.0]]


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


def test_thousands_of_columns_load():
    rng = np.random.default_rng(1)
    data = rng.normal(size=(50, 3000))
    buffer = io.StringIO()
    pd.DataFrame(data, columns=[f"c{j}" for j in range(3000)]).to_csv(buffer, index=False)
    frame, notes = load(buffer.getvalue().encode())
    assert frame.shape == (50, 3000)
    np.testing.assert_allclose(frame.to_numpy(), data)
    assert notes == []


# --------------------------------------------------------------------------------------
# Large files
# --------------------------------------------------------------------------------------


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
# Files that are refused, with a message that says what to do
# --------------------------------------------------------------------------------------


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


def test_unmatched_quote_is_reported():
    with pytest.raises(DataError, match="could not be read as a table.*quote character"):
        load(b'a,b\n1,2\n"3,4\n5,6\n')
