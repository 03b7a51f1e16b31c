"""Where to put a text label on a 2-D outline: inside the plot, clear of the other outlines.

Each component's outermost ellipse carries a label ("90%").  Put always at the top of
the ellipse, it is cut off when the ellipse reaches the top of the plot, and it lands
inside a neighbour's ellipse when two components overlap.  `place_labels` tries eight
spots around each outline (top first, then the upper corners, the sides, the lower
corners, the bottom), each with the text set outward from the outline, and keeps the
one that best stays inside the axis ranges, outside every other outline, off the labels
already placed and off its own outline.

A figure builder does not know how many pixels the plot will get, so the size of a
label in data units is an estimate from an assumed plot size (`ASSUMED_PLOT_PX`, on the
small side, so that the estimate errs towards larger boxes and labels kept further in).
Everything here is NumPy only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

__all__ = ["ASSUMED_PLOT_PX", "LabelPlace", "label_box", "place_labels", "points_inside"]

#: Plot area (width, height) in px assumed when converting a label's size to data units.
ASSUMED_PLOT_PX = (520.0, 380.0)
#: Width of one character and height of a line, in units of the font size.
CHAR_WIDTH, LINE_HEIGHT = 0.62, 1.3
#: Screen directions tried, best first, with the Plotly text position that sets the
#: text outward from the outline in that direction.
DIRECTIONS = (
    (90, "top center"),
    (45, "top right"),
    (135, "top left"),
    (0, "middle right"),
    (180, "middle left"),
    (-45, "bottom right"),
    (-135, "bottom left"),
    (-90, "bottom center"),
)
#: Penalties: a box leaving the plot, a sample of the box inside another outline or
#: its own, a box overlapping a label already placed; then the direction's rank.
OUTSIDE, IN_OTHER, IN_OWN, ON_LABEL, RANK = 1000.0, 20.0, 5.0, 200.0, 1.0


class LabelPlace(NamedTuple):
    """Where a label goes: its anchor point (data units) and Plotly text position."""

    x: float
    y: float
    position: str


def points_inside(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Whether each point lies inside a closed polygon (even-odd rule).

    Parameters
    ----------
    points : ndarray, shape (n, 2)
    polygon : ndarray, shape (p, 2)
        Vertices in order; the last edge joins the last vertex to the first.

    Returns
    -------
    ndarray of bool, shape (n,)
    """
    x, y = points[:, 0:1], points[:, 1:2]
    x0, y0 = polygon[:, 0], polygon[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    straddles = (y0 > y) != (y1 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    return np.count_nonzero(straddles & (x < crossing), axis=1) % 2 == 1


def label_box(
    place: LabelPlace, text: str, font_size: float, px_per_unit: tuple[float, float]
) -> np.ndarray:
    """Estimated box of ``text`` set at ``place``: [[x_min, y_min], [x_max, y_max]].

    Parameters
    ----------
    place : LabelPlace
    text : str
    font_size : float
        In px.
    px_per_unit : (float, float)
        Screen pixels per data unit along x and y.
    """
    width = (CHAR_WIDTH * len(text) + 0.4) * font_size / px_per_unit[0]
    height = LINE_HEIGHT * font_size / px_per_unit[1]
    vertical, horizontal = place.position.split()
    left = {"left": -width, "center": -width / 2, "right": 0.0}[horizontal]
    bottom = {"top": 0.0, "middle": -height / 2, "bottom": -height}[vertical]
    return np.array(
        [[place.x + left, place.y + bottom], [place.x + left + width, place.y + bottom + height]]
    )


def _scale(
    area: tuple[Sequence[float], Sequence[float]], equal_aspect: bool
) -> tuple[float, float]:
    """Pixels per data unit along x and y, for the assumed plot size."""
    spans = [max(float(hi - lo), 1e-12) for lo, hi in area]
    sx, sy = ASSUMED_PLOT_PX[0] / spans[0], ASSUMED_PLOT_PX[1] / spans[1]
    return (min(sx, sy),) * 2 if equal_aspect else (sx, sy)


def _box_samples(box: np.ndarray) -> np.ndarray:
    """A 3 x 3 grid of points over a box, shape (9, 2)."""
    xs = np.linspace(box[0, 0], box[1, 0], 3)
    ys = np.linspace(box[0, 1], box[1, 1], 3)
    return np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)


def _candidates(
    outline: np.ndarray, px_per_unit: tuple[float, float], low: np.ndarray, high: np.ndarray
) -> list[LabelPlace]:
    """The visible outline point farthest out in each of `DIRECTIONS` (in screen space).

    Only the part of the outline inside [low, high] is used; an outline wholly outside
    (larger than the plot, or off to one side) is clipped into it, so a label never
    goes where the plot cannot show it.
    """
    visible = np.all((outline >= low) & (outline <= high), axis=1)
    points = outline[visible] if visible.any() else np.clip(outline, low, high)
    screen = points * np.asarray(px_per_unit)
    centre = 0.5 * (screen.max(axis=0) + screen.min(axis=0))
    places = []
    for degrees, position in DIRECTIONS:
        direction = np.array([np.cos(np.radians(degrees)), np.sin(np.radians(degrees))])
        i = int(np.argmax((screen - centre) @ direction))
        places.append(LabelPlace(float(points[i, 0]), float(points[i, 1]), position))
    return places


def _overlaps(box: np.ndarray, other: np.ndarray) -> bool:
    return bool(np.all(box[0] < other[1]) and np.all(other[0] < box[1]))


def place_labels(
    outlines: Sequence[np.ndarray],
    texts: Sequence[str],
    font_size: float,
    area: tuple[Sequence[float], Sequence[float]] | None = None,
    *,
    equal_aspect: bool = True,
) -> list[LabelPlace]:
    """A place for each outline's label, greedily in order.

    Parameters
    ----------
    outlines : sequence of ndarray, each of shape (p, 2)
        Closed outlines (one per component), finite.
    texts : sequence of str
        The label of each outline.
    font_size : float
        In px.
    area : ([x_min, x_max], [y_min, y_max]), optional
        The axis ranges the labels must stay inside; default: the outlines' extent.
    equal_aspect : bool, default True
        Whether the plot draws both axes at one scale.

    Returns
    -------
    list of LabelPlace
        One per outline.  Each is the best of the eight spots by: inside ``area``,
        then clear of the other outlines and of labels placed before, then off its own
        outline, then the direction's rank (top first).
    """
    outlines = [np.asarray(o, dtype=float) for o in outlines]
    if area is None:
        stacked = np.concatenate(outlines) if outlines else np.zeros((1, 2))
        area = tuple([float(lo), float(hi)] for lo, hi in zip(stacked.min(0), stacked.max(0)))
    px_per_unit = _scale(area, equal_aspect)
    low = np.array([area[0][0], area[1][0]])
    high = np.array([area[0][1], area[1][1]])
    placed: list[np.ndarray] = []
    places = []
    for k, (outline, text) in enumerate(zip(outlines, texts)):
        best, best_score, best_box = None, np.inf, None
        for rank, place in enumerate(_candidates(outline, px_per_unit, low, high)):
            box = label_box(place, text, font_size, px_per_unit)
            samples = _box_samples(box)
            score = RANK * rank
            score += OUTSIDE * float(np.any(box[0] < low) or np.any(box[1] > high))
            score += IN_OWN * np.count_nonzero(points_inside(samples, outline))
            score += IN_OTHER * sum(
                np.count_nonzero(points_inside(samples, other))
                for j, other in enumerate(outlines)
                if j != k
            )
            score += ON_LABEL * sum(_overlaps(box, other) for other in placed)
            if score < best_score:
                best, best_score, best_box = place, score, box
        places.append(best)
        placed.append(best_box)
    return places
