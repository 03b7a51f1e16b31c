"""Tests for gmm.figures.curve: the log-likelihood curve."""

import numpy as np
import pytest
from figure_helpers import (
    traces_by_role,
)

from gmm.figures.curve import loglik_curve


@pytest.fixture
def curve_inputs():
    phases = ["init", "E", "M", "E", "M", "E", "M"]
    iterations = [0, 1, 1, 2, 2, 3, 3]
    values = np.array([-900.0, -900.0, -700.0, -700.0, -650.0, -650.0, -640.0])
    elbo = np.array([np.nan, -900.0, -720.0, -700.0, -655.0, -650.0, -641.0])
    return values, phases, iterations, elbo


def test_loglik_current_marker(curve_inputs):
    values, phases, iterations, elbo = curve_inputs
    fig = loglik_curve(values, phases, 4, iterations=iterations, lower_bound=elbo)
    (current,) = traces_by_role(fig, "current")
    assert list(current.x) == [4] and list(current.customdata) == [4]
    assert current.y[0] == values[4]
    assert fig.data[-1] is current


def test_loglik_points_are_clickable_snapshot_indices(curve_inputs):
    values, phases, iterations, elbo = curve_inputs
    fig = loglik_curve(values, phases, 0, iterations=iterations, lower_bound=elbo)
    phase_traces = traces_by_role(fig, "phase")
    assert [t.meta["phase"] for t in phase_traces] == ["init", "E", "M"]
    indices = np.concatenate([t.customdata for t in phase_traces])
    assert sorted(indices.tolist()) == list(range(len(values)))
    for t in phase_traces:
        np.testing.assert_array_equal(t.customdata, t.x)
        np.testing.assert_array_equal(t.y, values[np.asarray(t.x)])
    assert list(fig.layout.xaxis.ticktext[:3]) == ["0 init", "1E", "1M"]


def test_loglik_lower_bound_line(curve_inputs):
    values, phases, iterations, elbo = curve_inputs
    fig = loglik_curve(values, phases, 0, iterations=iterations, lower_bound=elbo)
    (bound,) = traces_by_role(fig, "elbo")
    assert np.isnan(bound.y[0]) and bound.connectgaps is False
    assert not traces_by_role(loglik_curve(values, phases, 0, iterations=iterations), "elbo")
    fig.to_json()


def test_loglik_ticks_are_thinned_for_long_runs():
    m = 201
    phases = ["init"] + ["E", "M"] * 100
    iterations = [0] + [i for i in range(1, 101) for _ in range(2)]
    fig = loglik_curve(np.linspace(-10, -1, m), phases, m - 1, iterations=iterations)
    assert len(fig.layout.xaxis.tickvals) <= 16


def test_loglik_rejects_bad_input(curve_inputs):
    values, phases, iterations, _ = curve_inputs
    with pytest.raises(ValueError):
        loglik_curve(values, phases, len(values), iterations=iterations)
    with pytest.raises(ValueError):
        loglik_curve(values, ["init", "X", "M", "E", "M", "E", "M"], 0, iterations=iterations)


def test_loglik_legend_below_and_height(curve_inputs):
    values, phases, iterations, elbo = curve_inputs
    above = loglik_curve(values, phases, 0, iterations=iterations, lower_bound=elbo)
    below = loglik_curve(
        values, phases, 0, iterations=iterations, lower_bound=elbo, legend="below", height=400
    )
    assert above.layout.legend.yanchor == "bottom" and above.layout.legend.y > 1
    assert below.layout.legend.yanchor == "top" and below.layout.legend.y < 0
    assert below.layout.margin.b > above.layout.margin.b and below.layout.height == 400
    assert above.layout.height is None
    with pytest.raises(ValueError, match="legend"):
        loglik_curve(values, phases, 0, iterations=iterations, legend="left")


def test_loglik_range_leaves_room_for_the_ring():
    for m in (1, 7, 201):
        phases = ["init"] + ["E", "M"] * (m // 2)
        iterations = [0] + [i for i in range(1, m // 2 + 1) for _ in range(2)]
        fig = loglik_curve(np.linspace(-10, -1, m), phases, m - 1, iterations=iterations)
        low, high = fig.layout.xaxis.range
        pad = max(0.6, 0.08 * m)
        assert low == pytest.approx(-pad) and high == pytest.approx(m - 1 + pad)
