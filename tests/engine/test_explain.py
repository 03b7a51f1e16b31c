"""gmm.explain: one point's E-step equals the engine's, and what a half-step changed.

Property tests (hypothesis, derandomized) draw data in d = 1..3 with K = 1..4 and every
covariance type, and points on the data or far out (1e2..1e6 standard deviations away),
where the densities underflow to 0 and only their logs are left.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS  # the engine's property tests' settings

from gmm import COVARIANCE_TYPES, EMStepper, MixtureParams, e_step, initialize
from gmm.em import log_gaussian_density, weighted_log_density
from gmm.explain import (
    breakdown_at,
    changes_at,
    half_step_changes,
    mean_contributions,
    point_breakdown,
)
from gmm.stepper import Snapshot


@st.composite
def cases(draw):
    """(X, params, x, row): data, parameters of a random start, a point, and the row of
    the point in the data it was appended to."""
    d = draw(st.integers(1, 3))
    k = draw(st.integers(1, 4))
    covariance_type = draw(st.sampled_from(COVARIANCE_TYPES))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(max(k, 5), 40))
    X = rng.normal(size=(n, d)) * 10 ** rng.uniform(-2, 2)
    params = initialize(X, k, covariance_type, "random_from_data", seed, 1e-6)
    if draw(st.booleans()):
        x = X[draw(st.integers(0, n - 1))]
    else:
        far = 10 ** draw(st.floats(2, 6))
        x = X.mean(axis=0) + far * X.std(axis=0).max() * rng.normal(size=d)
    return np.vstack([X, x]), params, x, n


@SETTINGS
@given(cases())
def test_a_points_breakdown_is_the_engines_e_step(case):
    X, params, x, row = case
    breakdown = point_breakdown(x, params)
    result = e_step(X, params)
    np.testing.assert_allclose(
        breakdown.log_densities, log_gaussian_density(X, params)[row], rtol=1e-12
    )
    np.testing.assert_allclose(
        breakdown.log_products, weighted_log_density(X, params)[row], rtol=1e-12
    )
    np.testing.assert_allclose(
        breakdown.responsibilities, result.responsibilities[row], rtol=1e-9, atol=1e-12
    )
    assert breakdown.log_normaliser == pytest.approx(result.log_density[row], rel=1e-12)
    assert breakdown.responsibilities.sum() == pytest.approx(1.0, abs=1e-12)
    # the plain values are the exponentials of the logs: 0 exactly where those underflow
    np.testing.assert_array_equal(breakdown.products, np.exp(breakdown.log_products))
    np.testing.assert_array_equal(breakdown.densities, np.exp(breakdown.log_densities))
    assert breakdown.normaliser == np.exp(breakdown.log_normaliser)
    assert np.array_equal(breakdown.underflows, breakdown.products == 0)
    assert breakdown.most_likely == int(np.argmax(result.log_responsibilities[row]))


def test_far_out_the_products_underflow_but_their_logs_and_shares_stay():
    X = np.random.default_rng(1).normal(size=(50, 2))
    params = initialize(X, 2, "full", "random_from_data", 0, 1e-6)
    breakdown = point_breakdown([1e4, -1e4], params)
    assert breakdown.underflows.all() and breakdown.normaliser == 0
    assert np.isfinite(breakdown.log_products).all() and np.isfinite(breakdown.log_normaliser)
    assert breakdown.responsibilities.sum() == pytest.approx(1.0)
    assert breakdown.responsibilities.max() == pytest.approx(1.0), "the nearer one takes it"


def test_a_bad_point_is_refused_with_a_message():
    params = MixtureParams(np.array([1.0]), np.zeros((1, 2)), np.eye(2)[None], "full")
    with pytest.raises(ValueError, match="2 finite number"):
        point_breakdown([1.0, 2.0, 3.0], params)
    with pytest.raises(ValueError, match="2 finite number"):
        point_breakdown([np.nan, 0.0], params)


@pytest.fixture(scope="module")
def stepper() -> EMStepper:
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(size=(60, 2)), rng.normal(size=(60, 2)) + 3])
    stepper = EMStepper.start(X, 3, "full", init="random_from_data", random_state=2)
    for _ in range(3):
        stepper.step()
    return stepper


@pytest.mark.parametrize("index", range(7))
def test_breakdown_at_gives_the_colours_on_screen(stepper, index):
    on_screen = stepper.responsibilities(index)
    for point in (0, 17, 119):
        breakdown = breakdown_at(stepper, index, point)
        if on_screen is None:  # the initialisation: what the first E-step computes
            on_screen = stepper.responsibilities(1)
        np.testing.assert_allclose(breakdown.responsibilities, on_screen[point], atol=1e-12)


def test_breakdown_at_refuses_a_point_that_is_not_there(stepper):
    with pytest.raises(IndexError, match="120 points"):
        breakdown_at(stepper, 1, 120)


def test_the_contributions_are_the_weights_of_the_new_means(stepper):
    """mu_k = sum_i (gamma_ik / N_k) x_i: the M-step's means, from the contributions."""
    gamma = stepper.responsibilities(2)
    shares = np.stack([mean_contributions(gamma, i) for i in range(stepper.n_samples)])
    np.testing.assert_allclose(shares.sum(axis=0), 1.0, rtol=1e-12)
    np.testing.assert_allclose(shares.T @ stepper.X, stepper.snapshots[2].params.means, rtol=1e-12)


# ------------------------------------------------------------------ what changed
def snapshot(index, phase, means, weights) -> Snapshot:
    means = np.asarray(means, dtype=float)
    params = MixtureParams(np.asarray(weights), means, np.stack([np.eye(2)] * len(means)), "full")
    return Snapshot(index, 1, phase, params, -1.0, -1.0)


def test_after_an_e_step_the_points_whose_argmax_changed_by_hand():
    before = snapshot(2, "M", [[0, 0], [1, 1]], [0.5, 0.5])
    after = snapshot(3, "E", [[0, 0], [1, 1]], [0.5, 0.5])
    old = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.3, 0.7]])
    new = np.array([[0.8, 0.2], [0.4, 0.6], [0.1, 0.9], [0.7, 0.3]])
    changes = half_step_changes(before, after, old, new)
    assert changes.changed_points.tolist() == [1, 3] and changes.n_changed == 2
    assert changes.caption == "2 points changed component"
    assert half_step_changes(before, after, old, old).caption == "no point changed component"
    one = new.copy()
    one[3] = old[3]
    assert half_step_changes(before, after, old, one).caption == "1 point changed component"
    first = half_step_changes(snapshot(0, "init", [[0, 0]], [1.0]), after, None, new)
    assert first.first_colours and first.n_changed == 0


def test_after_an_m_step_the_biggest_movers_by_hand():
    before = snapshot(3, "E", [[0, 0], [1, 1], [5, 5]], [0.41, 0.39, 0.2])
    after = snapshot(4, "M", [[0, 0.1], [1, 1.8], [5.3, 5.4]], [0.44, 0.36, 0.2])
    changes = half_step_changes(before, after, None, None)
    np.testing.assert_allclose(changes.mean_shifts, [0.1, 0.8, 0.5])
    # the two biggest movers (one below half of the biggest is not named);
    # the weight that changed most, to the decimals that tell its values apart
    assert changes.caption == "μ₂ moved 0.8, μ₃ moved 0.5; π₁ 0.41 → 0.44"
    scaled = half_step_changes(before, after, None, None, scale=[1.0, 2.0])
    np.testing.assert_allclose(scaled.mean_shifts, [0.05, 0.4, np.sqrt(0.3**2 + 0.2**2)])
    assert scaled.caption == "μ₂ moved 0.4 sd, μ₃ moved 0.36 sd; π₁ 0.41 → 0.44"
    tiny = snapshot(4, "M", [[0, 0], [1, 1.8], [5, 5]], [0.4101, 0.3899, 0.2])
    assert half_step_changes(before, tiny, None, None).caption == "μ₂ moved 0.8; π₁ 0.4100 → 0.4101"


def test_changes_at_follows_the_history(stepper):
    assert changes_at(stepper, 0) is None
    assert changes_at(stepper, 1).first_colours
    for index in (3, 5):  # E-steps: the colours changed, not the means
        changes = changes_at(stepper, index)
        old = stepper.responsibilities(index - 1).argmax(axis=1)
        new = stepper.responsibilities(index).argmax(axis=1)
        assert changes.changed_points.tolist() == np.flatnonzero(old != new).tolist()
        assert not changes.mean_shifts.any()
    for index in (2, 4, 6):  # M-steps: the means moved, not the colours
        changes = changes_at(stepper, index)
        assert changes.n_changed == 0 and changes.mean_shifts.max() > 0
        assert changes.caption.startswith("μ")
