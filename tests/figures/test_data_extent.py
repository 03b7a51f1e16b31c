"""What the views measure on the data once per data set (`gmm.figures.style.data_span`,
`view_extent`, `comparable_scales`): the same numbers as computed afresh, kept while the
array lives, and never recomputed on a rerun (0.1 s per call at n = 10⁶)."""

from __future__ import annotations

import numpy as np
import pytest

from gmm.figures import style
from gmm.figures.style import (
    comparable_scales,
    data_extremes,
    data_span,
    padded_range,
    view_extent,
)
from gmm.figures.view_1d import data_histogram, tallest_bar


@pytest.fixture
def spans_computed(monkeypatch):
    calls = []
    real = np.ptp
    monkeypatch.setattr(style.np, "ptp", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def test_the_span_is_computed_once_per_array_and_cannot_be_changed(spans_computed):
    X = np.random.default_rng(0).normal(size=(1000, 2)) * [1.0, 3.0]
    span = data_span(X)
    np.testing.assert_array_equal(span, X.max(axis=0) - X.min(axis=0))
    assert data_span(X) is span and not span.flags.writeable
    assert comparable_scales(X) and not comparable_scales(X * [1.0, 10.0])
    assert len(spans_computed) == 2, "once for X, once for the stretched copy"
    x_range, y_range, equal = view_extent(X)
    assert x_range == padded_range(X[:, 0]) and y_range == padded_range(X[:, 1]) and equal


def test_a_constant_column_has_no_comparable_scale():
    X = np.column_stack([np.arange(5.0), np.full(5, 2.0)])
    assert data_span(X).tolist() == [4.0, 0.0] and not comparable_scales(X)


def test_the_extremes_give_the_padded_range_of_each_column():
    X = np.random.default_rng(1).normal(size=(500, 3)) * [1.0, 100.0, 1e-6]
    X[7, 1] = np.inf  # not finite: left out of a range, as padded_range does
    extremes = data_extremes(X)
    assert extremes.shape == (3, 2) and data_extremes(X) is extremes
    for j in range(3):
        assert padded_range(extremes[j]) == padded_range(X[:, j])
        assert padded_range(extremes[j], 0.1) == padded_range(X[:, j], 0.1)
    empty = data_extremes(np.full((3, 1), np.nan))
    assert padded_range(empty[0]) == padded_range(np.full(3, np.nan))


def test_the_1d_histogram_is_numpys_and_computed_once_per_array(monkeypatch):
    data = np.random.default_rng(2).standard_t(3, size=(5000, 1))
    density, edges = data_histogram(data)
    want_edges = np.histogram_bin_edges(data[:, 0], bins="auto")
    want, _ = np.histogram(data[:, 0], bins=want_edges, density=True)
    np.testing.assert_array_equal(edges, want_edges)
    np.testing.assert_array_equal(density, want)
    assert data_histogram(data)[0] is density, "kept for the array"
    assert len(data_histogram(data, 12)[0]) == 12
    assert tallest_bar(data) == density.max()
    bins = np.linspace(-1.0, 1.0, 5)  # edges given: computed each time, not kept
    assert data_histogram(data, bins)[1].tolist() == bins.tolist()
