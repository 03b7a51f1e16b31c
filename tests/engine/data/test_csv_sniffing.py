"""Tests of load_csv's sniffing (gmm.data.sniffing): the lines before the table.

And the separator, decimal mark and header row, guessed from the first lines.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from csv_helpers import joined, load, values
from hypothesis import given, settings
from hypothesis import strategies as st

from gmm.errors import DataError

# --------------------------------------------------------------------------------------
# Separators and decimal marks
# --------------------------------------------------------------------------------------


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


def test_single_column_with_decimal_commas():
    frame, _ = load(b"x\n1,5\n2,25\n3\n")
    assert values(frame) == [[1.5], [2.25], [3.0]]


def test_rows_of_every_width_suggest_checking_the_separator():
    with pytest.raises(DataError, match="only one column.*separated by commas, semicolons"):
        load(b"a,b\n1,2,3\n4,5,6,7\n")


# --------------------------------------------------------------------------------------
# Lines before the table
# --------------------------------------------------------------------------------------


def test_excel_separator_hint_line_is_skipped():
    frame, notes = load(b"sep=;\na;b\n1,5;2\n")
    assert list(frame.columns) == ["a", "b"]
    assert values(frame) == [[1.5, 2.0]]
    assert notes == []


def test_comment_lines_at_the_top_are_skipped_with_a_note():
    frame, notes = load(b"# measured 2024\n#  by hand\n\nx,y\n1,2\n")
    assert values(frame) == [[1.0, 2.0]]
    assert notes == ["Skipped 2 comment lines (starting with #) at the top of the file."]


def test_comments_only():
    with pytest.raises(DataError, match="only comment lines.*Choose a CSV file"):
        load(b"# nothing\n# here")


# --------------------------------------------------------------------------------------
# Header row or not
# --------------------------------------------------------------------------------------


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
