"""Tests for gmm.figures.curve: the log-likelihood curve."""

import numpy as np
import pytest
from figure_helpers import rebuilt, traces_by_role

from gmm.figures.colors import ALERT
from gmm.figures.curve import ROUNDING, iteration_gains, loglik_curve, zoom_start


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
    # below: at the figure's bottom edge, under the axis title at any height
    assert below.layout.legend.yref == "container" and below.layout.legend.y == 0
    assert below.layout.legend.yanchor == "bottom" and below.layout.height == 400
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


def long_run(m=4001, jump=True):
    """A run of m snapshots: init, then E/M pairs; a big first jump, then a slow climb."""
    iterations = [0] + [i for i in range(1, (m - 1) // 2 + 1) for _ in range(2)]
    phases = ["init"] + ["E", "M"] * ((m - 1) // 2)
    t = np.asarray(iterations, dtype=float)
    values = -3500.0 - 30.0 * np.exp(-t / 40.0)
    values[np.asarray(phases) == "init"] = -4100.0 if jump else values[0]
    values[1] = values[0]  # an E-step leaves the log-likelihood as it is
    return values, phases, iterations


def test_hover_gives_the_loglik_with_the_lower_bound_on_its_own_line(curve_inputs):
    values, phases, iterations, elbo = curve_inputs
    fig = loglik_curve(values, phases, 4, iterations=iterations, lower_bound=elbo, view="full")
    assert fig.layout.hovermode == "x unified"  # one box per half-step
    hoverable = [t for t in fig.data if t.hoverinfo != "skip"]
    assert [t.meta["role"] for t in hoverable] == ["loglik_line", "elbo"]
    (line,) = traces_by_role(fig, "loglik_line")
    np.testing.assert_array_equal(line.x, np.arange(len(values)))  # every half-step
    np.testing.assert_array_equal(line.y, values)
    assert line.hovertemplate == "%{text}<br>log-likelihood %{y:.8g}<extra></extra>"
    assert list(line.text[:3]) == [
        "initialisation",
        "iteration 1 · after the E-step",
        "iteration 1 · after the M-step",
    ]
    (bound,) = traces_by_role(fig, "elbo")
    assert bound.hovertemplate.startswith("lower bound (ELBO) %{y")
    assert "log-likelihood" not in bound.hovertemplate
    assert fig.layout.xaxis.unifiedhovertitle.text == "half-step %{x}"


def test_4000_half_steps_still_read_as_a_curve():
    values, phases, iterations = long_run()
    fig = loglik_curve(values, phases, 4000, iterations=iterations, legend="below", height=400)
    xaxis = fig.layout.xaxis
    assert len(xaxis.tickvals) <= 8 and xaxis.tickangle == 0
    assert all(len(label) <= 4 for label in xaxis.ticktext)  # "2000", never "1883E"
    assert list(xaxis.ticktext[:3]) == ["0", "500", "1000"]
    for position, label in zip(xaxis.tickvals, xaxis.ticktext):
        assert iterations[position] == int(label) and phases[position] in ("init", "M")
    assert xaxis.title.text == "EM iteration"
    for trace in traces_by_role(fig, "phase"):
        assert trace.marker.size <= 4 and trace.marker.line.width == 0  # no white halos
        assert trace.showlegend is False
    keys = traces_by_role(fig, "phase_key")
    assert [k.marker.size for k in keys] == [11, 11, 11]  # the legend keeps its symbols
    short = loglik_curve(*curve_inputs_plain(), 2, iterations=[0, 1, 1, 2, 2, 3, 3])
    assert {t.marker.size for t in traces_by_role(short, "phase")} == {11}


def curve_inputs_plain():
    return np.array([-9.0, -9, -7, -7, -6.5, -6.5, -6.4]), ["init"] + ["E", "M"] * 3


def test_auto_zooms_past_a_first_jump_and_says_so():
    values, phases, iterations = long_run(m=201)
    fig = loglik_curve(values, phases, 200, iterations=iterations)
    assert fig.layout.meta["view"] == "zoom" and fig.layout.meta["zoom_from"] == 2
    low, high = fig.layout.yaxis.range
    assert values[1] < low < values[2] and high > values.max()
    assert high - low < 0.1 * np.ptp(values)  # the slow climb fills the axis
    assert fig.layout.yaxis.title.text == "log-likelihood<br>(zoomed)"
    (below,) = traces_by_role(fig, "below")  # markers on the bottom edge, over no data
    assert list(below.x) == [0, 1] and below.yaxis == "y2" and below.meta["below"] == -4100
    assert below.showlegend is False
    assert below.text[0] == "0 init lies below the zoomed axis"
    assert fig.data[-1].meta["role"] == "current"
    # The same data, whole: no range, nothing below.
    full = loglik_curve(values, phases, 200, iterations=iterations, view="full")
    assert full.layout.meta["view"] == "full" and full.layout.yaxis.range is None
    assert full.layout.yaxis.title.text == "log-likelihood" and not traces_by_role(full, "below")
    rebuilt(fig)


def test_auto_never_hides_the_current_snapshot_or_a_steady_climb():
    values, phases, iterations = long_run(m=201)
    at_start = loglik_curve(values, phases, 0, iterations=iterations)
    assert at_start.layout.meta["view"] == "full"
    steady, phases, iterations = long_run(m=201, jump=False)
    assert loglik_curve(steady, phases, 200, iterations=iterations).layout.meta["view"] == "full"


def test_a_fall_after_the_jump_stays_on_the_zoomed_axis():
    values, phases, iterations = long_run(m=201)
    values = values.copy()
    values[100] = values[2] - 5.0  # a fall: a bug to show, not to hide
    fig = loglik_curve(values, phases, 200, iterations=iterations)
    low = fig.layout.yaxis.range[0]
    assert low < values[100] and fig.layout.meta["view"] == "zoom"


def test_gain_view_draws_each_iterations_gain_on_a_log_axis():
    values = np.array([-900.0, -900, -800, -800, -790, -790, -789, -789, -789, -789, -789.001])
    values[8] = values[6] + 3e-11  # rounding
    values[9] = values[8]
    phases = ["init"] + ["E", "M"] * 5
    iterations = [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    fig = loglik_curve(values, phases, 5, iterations=iterations, view="gain")
    assert fig.layout.meta["view"] == "gain"
    assert fig.layout.yaxis.type == "log" and "log scale" in fig.layout.yaxis.title.text
    (gain,) = traces_by_role(fig, "gain")
    assert list(gain.x) == [2, 4, 6] and list(gain.customdata) == [2, 4, 6]
    np.testing.assert_allclose(gain.y, [100.0, 10.0, 1.0])
    (flat,) = traces_by_role(fig, "no_gain")
    assert list(flat.x) == [8] and "≈ 0" in flat.text[0] and flat.yaxis == "y2"
    (fall,) = traces_by_role(fig, "fall")
    assert list(fall.x) == [10] and "FELL by 0.001" in fall.text[0]
    assert fall.marker.color == ALERT
    (rounding,) = traces_by_role(fig, "rounding")
    assert rounding.meta["level"] == pytest.approx(ROUNDING * 800)  # the largest |ℓ| at an M
    (current,) = traces_by_role(fig, "current")
    assert list(current.x) == [5, 5] and fig.data[-1] is current
    assert not traces_by_role(fig, "elbo")
    ticks = list(fig.layout.yaxis.tickvals)  # 8e-10 .. 100: 11 decades, every other one
    assert ticks == pytest.approx([1e-8, 1e-6, 1e-4, 1e-2, 1.0, 100.0])
    assert list(fig.layout.yaxis.ticktext[:2]) == ["10<sup>−8</sup>", "10<sup>−6</sup>"]
    rebuilt(fig)


def test_gain_view_ticks_a_narrow_range_at_1_2_5(curve_inputs):
    values, phases, iterations, _ = curve_inputs
    fig = loglik_curve(values, phases, 6, iterations=iterations, view="gain")
    assert not traces_by_role(fig, "rounding")  # gains of 200, 50, 10: far from rounding
    assert list(fig.layout.yaxis.ticktext) == ["10", "20", "50", "100", "200"]


def test_gain_view_before_the_first_m_step_says_when_it_shows():
    fig = loglik_curve(np.array([-9.0, -9.0]), ["init", "E"], 1, iterations=[0, 1], view="gain")
    (gain,) = traces_by_role(fig, "gain")
    assert len(gain.x) == 0
    (note,) = fig.layout.annotations
    assert note.name == "gain_note"
    with pytest.raises(ValueError, match="view"):
        loglik_curve(np.array([-9.0]), ["init"], 0, iterations=[0], view="zoom")


def test_iteration_gains_compare_m_steps():
    values = np.array([-10.0, -10, -7, -7, -6])
    index, gains, rounding = iteration_gains(values, ["init", "E", "M", "E", "M"])
    assert list(index) == [2, 4] and list(gains) == [3.0, 1.0]
    np.testing.assert_allclose(rounding, ROUNDING * np.array([7.0, 6.0]))


def test_zoom_start_needs_an_early_jump():
    values, _, _ = long_run(m=201)
    start, (low, high) = zoom_start(values, 200)
    assert start == 2 and low < values[2] and high > values[-1]
    late = np.concatenate([np.full(20, -4100.0), values[2:]])
    assert zoom_start(late, len(late) - 1) is None  # a late jump: the plateau stays in view
