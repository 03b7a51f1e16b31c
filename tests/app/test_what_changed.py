"""The line above the chart says how the changed points are marked: each ringed, or,
where they crowd, one ring per crowded spot (`gmm.figures.changes.ringed_subset`)."""

from __future__ import annotations

import numpy as np
import pytest

import gmm
from gmm.figures.changes import ringed_subset
from pages.shared import what_changed
from pages.shared.what_changed import CROWDED_RINGS, MARK_WORDS, change_news


def _second_e_step(n: int) -> tuple[gmm.EMStepper, np.ndarray]:
    """A run whose second E-step moves points across the boundary of two blobs."""
    rng = np.random.default_rng(1)
    X = np.concatenate([rng.normal(-1.5, 1.0, (n // 2, 2)), rng.normal(1.5, 1.0, (n - n // 2, 2))])
    stepper = gmm.EMStepper(X, gmm.initialize(X, 2, "full", "random", random_state=3))
    stepper.e_step()
    stepper.m_step()
    stepper.e_step()
    return stepper, X


@pytest.mark.parametrize("n", [40, 20_000])
def test_the_caption_says_whether_every_changed_point_has_its_ring(n):
    stepper, X = _second_e_step(n)
    shown = stepper.snapshots[-1]
    news = change_news(stepper, shown, X)
    rows = gmm.explain.changes_at(stepper, shown.index).changed_points
    assert len(rows) > 0 and f"{len(rows):,} point" in news
    crowded = len(ringed_subset(X, rows)) < len(rows)
    assert news.endswith((CROWDED_RINGS if crowded else MARK_WORDS["E"]) + ".")
    assert crowded == (n == 20_000), "the two sizes show both captions"


def test_what_a_half_step_changed_is_computed_once_per_snapshot_and_data(monkeypatch):
    stepper, X = _second_e_step(500)
    computed = []
    real = what_changed.changes_at
    monkeypatch.setattr(
        what_changed, "changes_at", lambda *a, **k: computed.append(a[1]) or real(*a, **k)
    )
    first = what_changed.changes_shown(stepper, 3, X)
    assert what_changed.changes_shown(stepper, 3, X) is first and computed == [3]
    np.testing.assert_array_equal(
        first.changed_points, gmm.explain.changes_at(stepper, 3).changed_points
    )
    assert what_changed.changes_shown(stepper, 0, X) is None
    again, _ = _second_e_step(500)  # the same numbers, other snapshots: computed anew
    assert what_changed.changes_shown(again, 3, X) is not first and computed == [3, 3]
    copy = X.copy()  # other data (its scale measures the moves): computed anew
    assert what_changed.changes_shown(stepper, 3, copy) is not first and computed == [3, 3, 3]
