"""Where to put a text label on a 2-D outline: inside the plot, clear of the other outlines.

Each component's outermost ellipse carries a label ("90%").  Put always at the top of
the ellipse, it is cut off when the ellipse reaches the top of the plot, and it lands
inside a neighbour's ellipse when two components overlap.  `place_labels` tries eight
spots around each outline (top first, then the upper corners, the sides, the lower
corners, the bottom), each with the text set outward from the outline, and keeps the
one that best stays inside the axis ranges, outside every other outline, off the labels
already placed and off its own outline.  Where the outline runs off the plot, its
visible part is used, and text set inward from the edge when outward would leave it.

A figure builder does not know how many pixels the plot will get, so the size of a
label in data units is an estimate from an assumed plot size (`ASSUMED_PLOT_PX`, on the
small side, so that the estimate errs towards larger boxes and labels kept further in).
Everything here is NumPy only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

__all__ = [
    "ASSUMED_PLOT_PX",
    "LabelPlace",
    "inside_ellipses",
    "label_box",
    "place_labels",
    "points_inside",
]

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
#: Every text position tried at each spot (all but "middle center", on the outline).
POSITIONS = tuple(position for _, position in DIRECTIONS)
#: Penalties: a box leaving the plot, a sample of the box inside another outline or
#: its own, a box overlapping a label already placed; then the direction's rank, and
#: text not set outward (needed where the outline runs off the plot: at its edge only
#: text set inward stays readable).
OUTSIDE, IN_OTHER, IN_OWN, ON_LABEL, RANK, NOT_OUTWARD = 1000.0, 20.0, 5.0, 200.0, 1.0, 3.0


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
    polygon : ndarray, shape (p, 2) or (k, p, 2)
        Vertices in order; the last edge joins the last vertex to the first.  With
        k polygons, the answer has one column per polygon.

    Returns
    -------
    ndarray of bool, shape (n,) or (n, k)
    """
    polygons = polygon[None] if polygon.ndim == 2 else polygon
    x, y = points[:, 0, None, None], points[:, 1, None, None]  # (n, 1, 1)
    x0, y0 = polygons[None, :, :, 0], polygons[None, :, :, 1]  # (1, k, p)
    x1, y1 = np.roll(x0, -1, axis=2), np.roll(y0, -1, axis=2)
    straddles = (y0 > y) != (y1 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    inside = np.count_nonzero(straddles & (x < crossing), axis=2) % 2 == 1  # (n, k)
    return inside[:, 0] if polygon.ndim == 2 else inside


def inside_ellipses(
    means: np.ndarray, covariances: np.ndarray, radius: float
) -> Callable[[np.ndarray], np.ndarray]:
    """The exact membership test of K ellipses, (x - μ_k)ᵀ Σ_k⁻¹ (x - μ_k) <= radius².

    Parameters
    ----------
    means : ndarray, shape (K, 2)
    covariances : ndarray, shape (K, 2, 2)
        A singular one (a collapsed component) holds no area: a tiny ridge is added
        to its diagonal so that it can be inverted.
    radius : float
        Mahalanobis radius of the outlines.

    Returns
    -------
    callable
        points (n, 2) -> ndarray of bool, shape (n, K).  Far cheaper than
        `points_inside` on the polygons: O(n K), not O(n K p).
    """
    means = np.asarray(means, dtype=float)
    covariances = np.asarray(covariances, dtype=float)
    ridge = 1e-12 * np.trace(covariances, axis1=1, axis2=2)[:, None, None] + 1e-300
    precisions = np.linalg.inv(covariances + ridge * np.eye(2))

    p00, p01, p11 = precisions[:, 0, 0], precisions[:, 0, 1], precisions[:, 1, 1]

    def inside(points: np.ndarray) -> np.ndarray:
        dx = points[:, 0, None] - means[:, 0]
        dy = points[:, 1, None] - means[:, 1]
        with np.errstate(over="ignore", invalid="ignore"):
            squared = p00 * dx * dx + 2.0 * p01 * dx * dy + p11 * dy * dy
        return squared <= radius**2

    return inside


#: Where a box lies from its anchor, per Plotly text position, in box widths and heights.
_OFFSETS = {
    position: (
        {"left": -1.0, "center": -0.5, "right": 0.0}[position.split()[1]],
        {"top": 0.0, "middle": -0.5, "bottom": -1.0}[position.split()[0]],
    )
    for _, position in DIRECTIONS
}


def _box_size(text: str, font_size: float, px_per_unit: tuple[float, float]) -> np.ndarray:
    """Estimated width and height of ``text`` in data units."""
    width = (CHAR_WIDTH * len(text) + 0.4) * font_size / px_per_unit[0]
    return np.array([width, LINE_HEIGHT * font_size / px_per_unit[1]])


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
    size = _box_size(text, font_size, px_per_unit)
    corner = np.array([place.x, place.y]) + np.asarray(_OFFSETS[place.position]) * size
    return np.array([corner, corner + size])


def _scale(
    area: tuple[Sequence[float], Sequence[float]], equal_aspect: bool
) -> tuple[float, float]:
    """Pixels per data unit along x and y, for the assumed plot size."""
    spans = [max(float(hi - lo), 1e-12) for lo, hi in area]
    sx, sy = ASSUMED_PLOT_PX[0] / spans[0], ASSUMED_PLOT_PX[1] / spans[1]
    return (min(sx, sy),) * 2 if equal_aspect else (sx, sy)


def _box_samples(boxes: np.ndarray) -> np.ndarray:
    """A 3 x 3 grid of points over each box: shape (n_boxes, 9, 2) for (n_boxes, 2, 2)."""
    t = np.linspace(0.0, 1.0, 3)
    fx, fy = (a.ravel() for a in np.meshgrid(t, t))
    low, span = boxes[:, 0], boxes[:, 1] - boxes[:, 0]
    return np.stack(
        [low[:, None, 0] + fx * span[:, None, 0], low[:, None, 1] + fy * span[:, None, 1]], -1
    )


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


def place_labels(
    outlines: Sequence[np.ndarray],
    texts: Sequence[str],
    font_size: float,
    area: tuple[Sequence[float], Sequence[float]] | None = None,
    *,
    equal_aspect: bool = True,
    inside: Callable[[np.ndarray], np.ndarray] | None = None,
) -> list[LabelPlace]:
    """A place for each outline's label, greedily in order.

    Parameters
    ----------
    outlines : sequence of ndarray, each of shape (p, 2)
        Closed outlines (one per component), finite, all with the same p.
    texts : sequence of str
        The label of each outline.
    font_size : float
        In px.
    area : ([x_min, x_max], [y_min, y_max]), optional
        The axis ranges the labels must stay inside; default: the outlines' extent.
    equal_aspect : bool, default True
        Whether the plot draws both axes at one scale.
    inside : callable, optional
        points (n, 2) -> bool (n, K): which points lie inside each outline, e.g.
        `inside_ellipses`; default: `points_inside` on the polygons.

    Returns
    -------
    list of LabelPlace
        One per outline: the best of the eight spots, each with every text position
        (outward preferred), by: inside ``area``, then clear of the other outlines
        and of labels placed before, then off its own outline, then the direction's
        rank (top first).
    """
    polygons = np.asarray(outlines, dtype=float).reshape(len(outlines), -1, 2)
    if area is None:
        stacked = polygons.reshape(-1, 2) if len(polygons) else np.zeros((1, 2))
        area = tuple([float(lo), float(hi)] for lo, hi in zip(stacked.min(0), stacked.max(0)))
    px_per_unit = _scale(area, equal_aspect)
    low = np.array([area[0][0], area[1][0]])
    high = np.array([area[0][1], area[1][1]])
    offsets = np.array([_OFFSETS[p] for p in POSITIONS])  # (8, 2)
    if inside is None:

        def inside(points: np.ndarray) -> np.ndarray:
            return points_inside(points, polygons)

    placed = np.empty((0, 2, 2))
    places = []
    for k, (outline, text) in enumerate(zip(polygons, texts)):
        anchors = _candidates(outline, px_per_unit, low, high)
        size = _box_size(text, font_size, px_per_unit)
        xy = np.array([[a.x, a.y] for a in anchors])  # (8, 2)
        corners = xy[:, None, :] + offsets[None, :, :] * size  # (anchor, position, 2)
        boxes = np.stack([corners, corners + size], axis=2).reshape(-1, 2, 2)
        outward = np.array([[a.position == p for p in POSITIONS] for a in anchors])
        rank = np.repeat(np.arange(len(anchors)), len(POSITIONS))
        score = RANK * rank + NOT_OUTWARD * ~outward.ravel()
        score += OUTSIDE * (np.any(boxes[:, 0] < low, axis=1) | np.any(boxes[:, 1] > high, axis=1))
        hits = inside(_box_samples(boxes).reshape(-1, 2))  # (n * 9, K)
        counts = hits.reshape(len(boxes), 9, -1).sum(axis=1)  # (n, K)
        score += IN_OWN * counts[:, k] + IN_OTHER * (counts.sum(axis=1) - counts[:, k])
        overlaps = np.all(boxes[:, None, 0] < placed[None, :, 1], axis=2) & np.all(
            placed[None, :, 0] < boxes[:, None, 1], axis=2
        )
        score += ON_LABEL * overlaps.sum(axis=1)
        best = int(np.argmin(score))
        anchor = anchors[best // len(POSITIONS)]
        places.append(anchor._replace(position=POSITIONS[best % len(POSITIONS)]))
        placed = np.concatenate([placed, boxes[best][None]])
    return places
