"""What the views measure on the data once per data set (`gmm.figures.style.data_span`,
`view_extent`, `comparable_scales`): the same numbers as computed afresh, kept while the
array lives, and never recomputed on a rerun (0.1 s per call at n = 10⁶)."""

from __future__ import annotations

import numpy as np
import pytest

from gmm.figures import style
from gmm.figures.style import comparable_scales, data_span, padded_range, view_extent


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
