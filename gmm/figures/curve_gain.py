"""The "gain" view of the log-likelihood curve: what each iteration gained, on a log axis.

See `gmm.figures.curve` for the views and the traces' roles. Gains within rounding
(|gain| ≤ `ROUNDING` × |ℓ|) cannot go on a log axis: they are drawn as "≈ 0" markers along
the bottom edge, and a real fall as an alert-coloured marker there.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .colors import ALERT
from .style import NOTE_COLOR, PHASE_STYLE

__all__ = ["ROUNDING", "gain_traces", "iteration_gains", "log_ticks", "power_text"]

#: A change within ROUNDING × |log-likelihood| is rounding, not a gain or a fall.
ROUNDING = 1e-12


def iteration_gains(
    values: np.ndarray, phases: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What each iteration gained: ℓ after its M-step minus ℓ after the previous one.

    Parameters
    ----------
    values : ndarray, shape (m,)
    phases : sequence of str, length m

    Returns
    -------
    index : ndarray of int, shape (t,)
        Snapshot index of each M-step that follows an initialisation or M-step.
    gain : ndarray, shape (t,)
    rounding : ndarray, shape (t,)
        ``ROUNDING * max(1, |ℓ|)`` at that M-step: gains within it are rounding.
    """
    index, gain = [], []
    previous = None
    for i, phase in enumerate(phases):
        if phase == "M" and previous is not None:
            index.append(i)
            gain.append(values[i] - values[previous])
        if phase in ("init", "M"):
            previous = i
    index_arr = np.asarray(index, dtype=int)
    rounding = ROUNDING * np.maximum(1.0, np.abs(values[index_arr]))
    return index_arr, np.asarray(gain, dtype=float), rounding


def edge_trace(
    x: np.ndarray, texts: list[str], role: str, name: str, color: str, symbol: str
) -> dict:
    """Markers along the bottom edge (second y axis) for gains a log axis cannot show."""
    return dict(
        type="scatter",
        x=x,
        y=np.full(len(x), 0.04),
        yaxis="y2",
        mode="markers",
        marker={"color": color, "symbol": symbol, "size": 10, "line": {"width": 0}},
        customdata=x,
        text=texts,
        hovertemplate="%{text}<extra></extra>",
        name=name,
        meta={"role": role},
    )


def gain_traces(
    values: np.ndarray, phases: np.ndarray, iterations: np.ndarray, current: int, marker: dict
) -> list[dict]:
    """The traces of the "gain" view, in the documented order (see `gmm.figures.curve`).

    Parameters
    ----------
    values : ndarray, shape (m,)
        The log-likelihood after every half-step.
    phases, iterations : ndarray, shape (m,)
    current : int
        The snapshot on screen.
    marker : dict
        The gain markers' style (as the curve's phase markers).
    """
    index, gain, rounding = iteration_gains(values, phases.tolist())
    its = iterations[index]
    up = gain > rounding
    flat = np.abs(gain) <= rounding
    down = gain < -rounding
    color = PHASE_STYLE["M"][1]
    traces = [
        dict(
            type="scatter",
            x=index[up],
            y=gain[up],
            mode="lines+markers",
            line={"color": color, "width": 2},
            marker=marker,
            connectgaps=False,
            customdata=index[up],
            text=its[up].astype(str),
            hovertemplate="iteration %{text}: log-likelihood gained %{y:.3g}<extra></extra>",
            name="gain of each iteration",
            meta={"role": "gain"},
        )
    ]
    level = float(rounding.max()) if len(index) else 0.0
    if len(index) and (not up.all() or gain[up].min() < 1e3 * level):  # near the floor
        traces.append(
            dict(
                type="scatter",
                x=[-0.5, len(values) - 0.5],
                y=[level, level],
                mode="lines",
                line={"color": NOTE_COLOR, "width": 1.5, "dash": "dot"},
                hoverinfo="skip",
                name=f"rounding level ({power_text(ROUNDING)} |log-lik.|)",
                meta={"role": "rounding", "level": level},
            )
        )
    if flat.any():
        texts = [
            f"iteration {it}: gain ≈ 0 ({g:+.1e}, rounding)" for it, g in zip(its[flat], gain[flat])
        ]
        traces.append(
            edge_trace(
                index[flat], texts, "no_gain", "gain ≈ 0 (rounding)", NOTE_COLOR, "line-ns-open"
            )
        )
    if down.any():
        texts = [
            f"iteration {it}: the log-likelihood FELL by {-g:.3g}"
            for it, g in zip(its[down], gain[down])
        ]
        traces.append(
            edge_trace(index[down], texts, "fall", "log-likelihood fell", ALERT, "triangle-down")
        )
    traces.append(
        dict(
            type="scatter",
            x=[current, current],
            y=[0.0, 1.0],
            yaxis="y2",
            mode="lines",
            line={"color": "rgba(0,0,0,0.5)", "width": 3},
            hoverinfo="skip",
            name="current step",
            meta={"role": "current", "index": current},
        )
    )
    return traces


def power_text(value: float) -> str:
    """A log-axis tick label: "0.02", "500", or "2×10⁻⁵" with a superscript exponent."""
    if 1e-3 <= value < 1e4:
        return f"{value:g}"
    exponent = int(np.floor(np.log10(value) + 1e-9))
    mantissa = round(value / 10.0**exponent)
    head = "" if mantissa == 1 else f"{mantissa}×"
    return f"{head}10<sup>{exponent}</sup>".replace("-", "−")


def log_ticks(traces: list[dict]) -> tuple[list[float], list[str]]:
    """Log-axis ticks: 1, 2, 5 per decade over a few decades, else every few decades.

    All in one type size (Plotly's own choice writes the digits between decades small).
    """
    values = np.concatenate(
        [
            np.asarray(t["y"], dtype=float)
            for t in traces
            if t["meta"]["role"] in ("gain", "rounding")
        ]
    )
    values = values[np.isfinite(values) & (values > 0)]
    if not values.size:
        return [], []
    low, high = np.log10(values.min()), np.log10(values.max())
    decades = range(int(np.floor(low)) - 1, int(np.ceil(high)) + 1)
    if high - low <= 3:
        candidates = [m * 10.0**e for e in decades for m in (1, 2, 5)]
    else:
        step = int(np.ceil((high - low) / 6))
        candidates = [10.0**e for e in decades if e % step == 0]
    pad = 0.15  # decades: a tick just outside the data still shows
    ticks = [v for v in candidates if low - pad <= np.log10(v) <= high + pad]
    return ticks, [power_text(v) for v in ticks]
