"""The one style of every figure: sizes, line styles, colours in use, axes, layout, labels.

Every builder in `gmm.figures` takes its look from here, so a change of font size,
dash pattern or legend placement is made once. Everything here is public and shared;
a builder's own constants (e.g. ellipsoid opacity in `components_3d`) stay in its module.

Colours are set explicitly (white background, light grid) instead of naming a Plotly
template: applying a named template costs ~20 ms per figure.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import numpy as np

from .array_cache import derived
from .colors import PALETTE, hex_to_rgb

__all__ = [
    "ASPECT_RATIO_LIMIT",
    "BANNER_FONT_SIZE",
    "COVARIANCE_STYLE",
    "FALLBACK_STYLE",
    "FILL_ALPHA",
    "FONT_SIZE",
    "GRID_COLOR",
    "HOVER_FONT_SIZE",
    "HOVER_LABEL",
    "INK",
    "LEGEND_FONT",
    "MASS_DASHES",
    "METHOD_STYLE",
    "NOTE_COLOR",
    "PHASE_STYLE",
    "PRESENT_TYPE_SCALE",
    "TEXT_COLOR",
    "TRUTH_COLOR",
    "above_plot",
    "axis_style",
    "banner_annotation",
    "base_layout",
    "centred_title",
    "comparable_scales",
    "component_name",
    "data_extremes",
    "data_span",
    "gamma_symbol",
    "hover_label",
    "layout_options",
    "legend_above",
    "legend_at_bottom",
    "legend_below",
    "mass_dash",
    "merged",
    "padded_range",
    "panel_axis",
    "panel_layout",
    "percent",
    "rgba",
    "row_height",
    "scaled_type",
    "snapshot_legend",
    "sorted_masses",
    "stack_above_plot",
    "subscript",
    "title_above",
    "view_extent",
]

# ------------------------------------------------------------------ sizes and lines
#: Base font size in px; large enough to read from the back of a classroom.
FONT_SIZE = 16
#: Hover labels: a size up from the base, so a read-out is legible on a projector.
HOVER_FONT_SIZE = FONT_SIZE + 2
#: The phase caption on a model view ("Iteration 3 · after the E-step"), in bold: the
#: largest type on the screen, readable from the back of a room.
BANNER_FONT_SIZE = FONT_SIZE + 10
#: How much larger every text of a chart is in presentation mode (a projector seen
#: from the back of a room): see `scaled_type`.
PRESENT_TYPE_SCALE = 1.4
#: Outline style per mass level, innermost first (cycled if more levels):
#: (Plotly dash name used by the legend key, dashes per outline, drawn
#: fraction of each dash period).  Dashes are cut geometrically because
#: WebGL dashes are drawn unevenly (plotly.js issue #2946).
MASS_DASHES = (
    ("solid", 0, 1.0),
    ("dash", 24, 0.6),
    ("dot", 48, 0.3),
    ("longdash", 12, 0.75),
)
#: Opacity of the shading inside each component's innermost outline.
FILL_ALPHA = 0.13

# ------------------------------------------------------------------- colours in use
#: Light grid lines on white; dark grey "ink" for axis lines, zero lines and keys.
GRID_COLOR = "#E6E6E6"
INK = "#444444"
#: All text (ticks, titles, legends, hover labels), set explicitly so that no host
#: (Streamlit's chart theme fades unset text to grey) changes how a figure reads.
TEXT_COLOR = "#222222"
#: Every hover label: dark text on opaque white (contrast 16:1 whatever the colour of
#: the point or component under the mouse), a size up from the base font.  A trace
#: may set its own ``bordercolor`` (its component's colour); the text stays dark.
HOVER_LABEL = MappingProxyType(
    {
        "bgcolor": "white",
        "bordercolor": INK,
        "font": MappingProxyType({"size": HOVER_FONT_SIZE, "color": TEXT_COLOR}),
        "align": "left",
    }
)
#: The generating ("true") components, dotted (2-D draws them lighter, over the points).
TRUTH_COLOR = "#555555"
#: Small grey notes ("showing 20,000 of 200,000 points", solution labels).
NOTE_COLOR = "#555555"
#: Colour and marker symbol of the log-likelihood curve's half-step phases.
PHASE_STYLE = {
    "init": ("initialisation", "#555555", "diamond"),
    "E": ("after E-step", "#0072B2", "circle"),
    "M": ("after M-step", "#D55E00", "square"),
}
#: Colour and marker symbol of each covariance type (Okabe-Ito colours; as in mclust's
#: BIC plot every model gets its own symbol too, so no figure relies on colour alone).
COVARIANCE_STYLE = {
    "full": (PALETTE[0], "circle"),
    "tied": (PALETTE[5], "square"),
    "diag": (PALETTE[2], "diamond"),
    "spherical": (PALETTE[3], "triangle-up"),
}
#: Colour and line dash of each initialisation method.
METHOD_STYLE = {
    "kmeans": (PALETTE[0], "solid"),
    "random_from_data": (PALETTE[5], "dash"),
    "k-means++": (PALETTE[2], "dot"),
    "random": (PALETTE[3], "dashdot"),
}
#: Colour and dash of anything without a style of its own.
FALLBACK_STYLE = ("#555555", "solid")


def rgba(color: str, alpha: float) -> str:
    """CSS ``rgba()`` string of a hex colour with the given opacity."""
    r, g, b = hex_to_rgb(color).astype(int)
    return f"rgba({r},{g},{b},{alpha})"


# ------------------------------------------------------------------------- labels
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def subscript(k: int) -> str:
    """1-based subscript of component ``k`` (0-based): "₁", "₁₂"."""
    return str(k + 1).translate(_SUBSCRIPTS)


def gamma_symbol(k: int) -> str:
    """Display name of responsibility column ``k`` (0-based): "γ₁", "γ₁₂"."""
    return "γ" + subscript(k)


def percent(mass: float) -> str:
    """Format a probability mass as a short percentage ("90%", "99.5%")."""
    return f"{100 * mass:.3g}%"


def component_name(k: int, weight: float, highlight_label: str | None) -> str:
    """Legend name "Component 2 · π = 0.42", plus e.g. " (collapsed)"."""
    name = f"Component {k + 1} · π = {weight:.2f}"
    return name if highlight_label is None else f"{name} ({highlight_label})"


# ----------------------------------------------------------------------- masses
def sorted_masses(masses: Sequence[float]) -> tuple[float, ...]:
    """Masses as unique floats in (0, 1), ascending (innermost first)."""
    values = tuple(sorted({float(m) for m in masses}))
    if not values or values[0] <= 0.0 or values[-1] >= 1.0:
        raise ValueError(f"masses must be non-empty and inside (0, 1), got {masses!r}")
    return values


def mass_dash(level: int) -> tuple[str, int, float]:
    """Outline style of mass level ``level`` (0 = innermost), cycling `MASS_DASHES`."""
    return MASS_DASHES[level % len(MASS_DASHES)]


# -------------------------------------------------------------------------- axes
#: Columns whose spreads differ by more than this factor are drawn without equal aspect.
ASPECT_RATIO_LIMIT = 4.0


def padded_range(values: np.ndarray, fraction: float = 0.05) -> list[float]:
    """Axis range ``[min, max]`` of finite ``values`` widened by ``fraction``."""
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    pad = fraction * (hi - lo) if hi > lo else 1.0
    return [lo - pad, hi + pad]


def data_span(X: np.ndarray) -> np.ndarray:
    """The range (max − min) of each column of ``X``, shape (d,), computed once per data
    array (`gmm.figures.array_cache.derived`): read-only."""

    def span(X: np.ndarray) -> np.ndarray:
        spans = np.ptp(X, axis=0)
        spans.setflags(write=False)
        return spans

    return derived(X, "span", span)


def data_extremes(X: np.ndarray) -> np.ndarray:
    """Each column's smallest and largest finite value, shape (d, 2), computed once per
    data array: ``padded_range(data_extremes(X)[j])`` equals ``padded_range(X[:, j])``."""

    def extremes(X: np.ndarray) -> np.ndarray:
        finite = np.where(np.isfinite(X), X, np.nan)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column
            pairs = np.column_stack([np.nanmin(finite, axis=0), np.nanmax(finite, axis=0)])
        pairs.setflags(write=False)
        return pairs

    return derived(X, "extremes", extremes)


def comparable_scales(X: np.ndarray) -> bool:
    """Whether all columns span similar ranges, so equal aspect (true shapes) fits.

    Otherwise (e.g. Old Faithful's minutes of eruption against minutes of waiting) equal
    aspect would squash the plot into a sliver; each axis then takes its own scale and
    the ellipses are drawn stretched with the data.
    """
    spans = data_span(X)
    if np.any(spans <= 0):
        return False
    return float(spans.max() / spans.min()) <= ASPECT_RATIO_LIMIT


def view_extent(X: np.ndarray) -> tuple[list[float], list[float], bool]:
    """A 2-D view's x and y ranges (`padded_range`) and whether its scales are equal
    (`comparable_scales`), computed once per data array (`gmm.figures.array_cache`)."""

    def extent(X: np.ndarray) -> tuple[list[float], list[float], bool]:
        return padded_range(X[:, 0]), padded_range(X[:, 1]), comparable_scales(X)

    x_range, y_range, equal = derived(X, "view_extent", extent)
    return list(x_range), list(y_range), equal


def axis_style(title: str, *, title_size: int = FONT_SIZE + 2, **extra) -> dict:
    """Axis with a large title and light grid on white, plus ``extra`` properties.

    Text colours, tick size and the grid are set explicitly, so a host's theme (e.g.
    Streamlit's, which greys unset text and hides the x grid) cannot restyle them.
    """
    return {
        "title": {"text": title, "font": {"size": title_size, "color": TEXT_COLOR}},
        "tickfont": {"size": FONT_SIZE, "color": TEXT_COLOR},
        "showgrid": True,
        "gridcolor": GRID_COLOR,
        "showline": True,
        "linecolor": INK,
        "zeroline": False,
        "automargin": True,
        **extra,
    }


# ------------------------------------------------------------------------ layout
def hover_label(**extra) -> dict:
    """A fresh copy of `HOVER_LABEL`, with ``extra`` laid over it (e.g. a bordercolor)."""
    return merged({**HOVER_LABEL, "font": dict(HOVER_LABEL["font"])}, extra)


def row_height(font_size: float) -> int:
    """Height in px of one line of text at ``font_size`` above the plot, with a gap."""
    return round(1.3 * font_size) + 6


def banner_annotation(text: str, *, raised: int = 0) -> dict:
    """The phase caption ("Iteration 3 · after the E-step") just above the plot.

    Bold, `BANNER_FONT_SIZE`, left-aligned with the plot (the mode bar sits on the
    right), in the top margin so that it covers no data; ``raised`` px higher when a
    note sits under it.  Its ``name`` is "banner".
    """
    font = {"size": BANNER_FONT_SIZE, "color": TEXT_COLOR, "weight": "bold"}
    return above_plot("banner", text, font) | {"yshift": raised}


def above_plot(name: str, text: str, font: dict) -> dict:
    """An annotation named ``name`` at the plot's top left corner, just above it."""
    return {
        "name": name,
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0.0,
        "y": 1.0,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": font,
    }


def stack_above_plot(notes: Sequence[dict], banner: str | None) -> tuple[list[dict], int]:
    """The notes above the plot (one row) with the banner on a row over them.

    Parameters
    ----------
    notes : sequence of dict
        Annotations anchored at the top of the plot (paper y = 1, ``yanchor="bottom"``),
        e.g. the "showing 3,000 of 10,000 points" note.
    banner : str or None
        The phase caption, if any (see `banner_annotation`).

    Returns
    -------
    annotations : list of dict
        ``notes`` and the banner.
    height : int
        Pixels they take above the plot: the top margin must be at least this.
    """
    height = max((row_height(note["font"]["size"]) for note in notes), default=0)
    annotations = list(notes)
    if banner:
        annotations.append(banner_annotation(banner, raised=height))
        height += row_height(BANNER_FONT_SIZE)
    return annotations, height


def title_above(text: str, size: int) -> dict:
    """A small title at the very top of the figure, left-aligned, one row high.

    Anchored to the top of the figure (not the plot), so that notes stacked above the
    plot (`stack_above_plot`) go under it, in a margin of ``row_height(size)`` more.
    """
    return {
        "text": text,
        "font": {"size": size, "color": TEXT_COLOR},
        "x": 0.02,
        "xanchor": "left",
        "yref": "container",
        "y": 1.0,
        "yanchor": "top",
        "pad": {"t": 4},
    }


def base_layout(uirevision: str | None = None, *, font_size: int = FONT_SIZE) -> dict:
    """Layout settings shared by every figure: fonts, colours, margins, uirevision."""
    layout = {
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"size": font_size, "color": TEXT_COLOR},
        "hoverlabel": hover_label(),
        "margin": {"l": 70, "r": 10, "t": 50, "b": 60},
    }
    if uirevision is not None:
        layout["uirevision"] = uirevision
    return layout


def panel_axis(title: str, **extra) -> dict:
    """An axis of the Choose K panels: the same style as every other axis."""
    return axis_style(title, **extra)


def panel_layout(height: int, **extra) -> dict:
    """Layout of the Choose K panels: the shared look, legend on top, ``extra``."""
    return {
        **base_layout(),
        "height": height,
        "margin": {"l": 80, "r": 20, "t": 60, "b": 60},
        "legend": legend_above(),
        **extra,
    }


#: Legend text, set explicitly (a host's theme would otherwise shrink it).
LEGEND_FONT = MappingProxyType({"size": FONT_SIZE, "color": TEXT_COLOR})


def legend_below(y: float, **extra) -> dict:
    """Horizontal legend, left-aligned, its top at ``y`` (paper units, < 0: under the plot)."""
    return {
        "orientation": "h",
        "x": 0.0,
        "y": y,
        "xanchor": "left",
        "yanchor": "top",
        "font": dict(LEGEND_FONT),
        **extra,
    }


def legend_above(y: float = 1.02, **extra) -> dict:
    """Horizontal legend, left-aligned, its bottom at ``y`` (just above the plot)."""
    return {
        "orientation": "h",
        "x": 0.0,
        "y": y,
        "xanchor": "left",
        "yanchor": "bottom",
        "font": dict(LEGEND_FONT),
        **extra,
    }


def legend_at_bottom(**extra) -> dict:
    """Horizontal legend, left-aligned, at the bottom edge of the whole figure.

    Its position is in container units (``yref="container"``, ``y=0``), so Plotly grows
    the bottom margin by the legend's own height: the legend stays under the x-axis title
    at every chart height and width, where a paper-unit ``y`` (a fraction of the plot's
    height) lets a short plot's legend ride up over the title.
    """
    return {
        "orientation": "h",
        "x": 0.0,
        "xanchor": "left",
        "yref": "container",
        "y": 0.0,
        "yanchor": "bottom",
        "font": dict(LEGEND_FONT),
        **extra,
    }


def snapshot_legend(y: float | None = None) -> dict:
    """Legend of the data views: symbols at one size, groups close.

    Parameters
    ----------
    y : float, optional
        The legend's top in paper units (under the plot when < 0). None (the default)
        puts it at the figure's bottom edge, under the x-axis title at any size
        (`legend_at_bottom`).
    """
    if y is None:
        return legend_at_bottom(itemsizing="constant", tracegroupgap=2)
    return legend_below(y, itemsizing="constant", tracegroupgap=2)


def centred_title(text: str) -> dict:
    """A title centred over the plot."""
    return {"text": text, "x": 0.5, "xanchor": "center"}


def layout_options(
    title: str | None = None, height: int | None = None, dragmode: str | None = None
) -> dict:
    """The layout entries a caller chose: a centred title, a height in px, a drag mode.

    Those left as None are left out, so Plotly (or the page) keeps its default.
    """
    chosen = {"height": height, "dragmode": dragmode}
    options = {key: value for key, value in chosen.items() if value is not None}
    if title is not None:
        options["title"] = centred_title(title)
    return options


def merged(base: Mapping, patch: Mapping | None) -> dict:
    """``base`` with ``patch`` laid over it, nested dicts merged (like ``update_layout``)."""
    out = dict(base)
    for key, value in (patch or {}).items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


# ------------------------------------------------------------------- large type
def _is_size(value) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool)


def _scaled_fonts(value, scale: float):
    """``value`` with the ``size`` of every ``*font`` mapping in it times ``scale``.

    Mappings and lists of mappings are copied as they are walked; anything else (the
    data arrays, texts) is shared, not copied.
    """
    if isinstance(value, Mapping):
        out = {key: _scaled_fonts(item, scale) for key, item in value.items()}
        for key, font in out.items():
            if key.endswith("font") and isinstance(font, dict) and _is_size(font.get("size")):
                font["size"] = round(font["size"] * scale)
        return out
    if isinstance(value, list | tuple) and value and isinstance(value[0], Mapping):
        return [_scaled_fonts(item, scale) for item in value]
    return value


def scaled_type(
    layout: Mapping, traces: Sequence[Mapping], scale: float
) -> tuple[dict, list[dict]]:
    """A figure's layout and traces with every text ``scale`` times larger.

    Every font size set anywhere (``layout.font``, axis titles and tick labels, 3-D
    scene axes, the legend, the annotations and the banner, the hover labels, a trace's
    ``textfont`` such as the outlines' mass labels) is multiplied by ``scale`` and
    rounded, and the margins grow by as much, so the larger text above and beside the
    plot still fits (the axes also grow theirs, ``automargin``).  Nothing else changes.

    Parameters
    ----------
    layout : mapping
        A figure's layout, as plain dicts.
    traces : sequence of mapping
        Its traces, as plain dicts.
    scale : float
        E.g. `PRESENT_TYPE_SCALE`; 1 returns ``layout`` and ``traces`` as they are.

    Returns
    -------
    layout : dict
    traces : list of dict
    """
    if not (_is_size(scale) and 0.5 <= scale <= 4):
        raise ValueError(f"type_scale must be a number from 0.5 to 4, got {scale!r}")
    if scale == 1:
        return dict(layout), list(traces)
    larger = _scaled_fonts(layout, scale)
    if "margin" in larger:
        larger["margin"] = {side: round(px * scale) for side, px in larger["margin"].items()}
    return larger, [_scaled_fonts(trace, scale) for trace in traces]
