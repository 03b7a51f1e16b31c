"""Colour-blind-safe component colours and responsibility blending.

Palette
-------
The first seven colours are the Okabe-Ito palette (M. Okabe & K. Ito,
"Color Universal Design", 2002, https://jfly.uni-koeln.de/color/), the
de-facto standard set distinguishable under protanopia, deuteranopia and
tritanopia, without its black (black is reserved for outlines and text)
and reordered so that the first few components -- the usual K = 2..4 --
get the most distinct hues.  Yellow comes last of the seven because it is
hard to see on white through a washed-out projector.  Components 8-10
take three dark hues from Paul Tol's schemes
(https://personal.sron.nl/~pault/): wine and indigo from "muted", olive
from "dark".  They were picked from Tol's muted/bright/vibrant/dark sets
as the triple that keeps the smallest pairwise CIELAB distance of the
ten colours as large as for Okabe-Ito alone (16 units, sky blue vs.
bluish green under tritanopia), for normal vision and for simulated
protanopia, deuteranopia and tritanopia (Machado et al. 2009, severity
1); ``tests/figures/test_colors.py`` checks this.  Still, no 10-colour set is
comfortably separable for every viewer, which is why the figures also
tell components apart by outline dash, shading and labels, never by
colour alone.  For K > 10 the palette repeats.

Blending
--------
A point's display colour is the responsibility-weighted average of the
component colours, ``responsibilities @ palette_rgb``, so a point that is
half component 1 and half component 2 is drawn exactly half-way between
the two colours (in sRGB).

This module depends only on NumPy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "ALERT",
    "NEUTRAL",
    "PALETTE",
    "PALETTE_NAMES",
    "blend",
    "component_color",
    "darken",
    "hex_to_rgb",
    "palette_rgb",
    "rgb_to_hex",
    "to_rgb_strings",
]

#: Ten component colours as hex strings (see module docstring for sources).
PALETTE: tuple[str, ...] = (
    "#0072B2",  # Okabe-Ito blue
    "#E69F00",  # Okabe-Ito orange
    "#009E73",  # Okabe-Ito bluish green
    "#CC79A7",  # Okabe-Ito reddish purple
    "#56B4E9",  # Okabe-Ito sky blue
    "#D55E00",  # Okabe-Ito vermillion
    "#F0E442",  # Okabe-Ito yellow
    "#882255",  # Tol muted wine
    "#332288",  # Tol muted indigo
    "#666633",  # Tol dark olive
)

#: Human-readable names matching `PALETTE`, e.g. for alt text.
PALETTE_NAMES: tuple[str, ...] = (
    "blue",
    "orange",
    "bluish green",
    "reddish purple",
    "sky blue",
    "vermillion",
    "yellow",
    "wine",
    "indigo",
    "dark olive",
)

#: Colour for points before the first E-step (no responsibilities yet).
NEUTRAL: str = "#9A9A9A"

#: Colour for outlines of highlighted (e.g. collapsed) components.
ALERT: str = "#B2182B"


def hex_to_rgb(colors: str | Sequence[str]) -> np.ndarray:
    """Convert ``#RRGGBB`` strings to RGB floats.

    Parameters
    ----------
    colors : str or sequence of str, length K
        Hex colours.

    Returns
    -------
    ndarray, shape (3,) or (K, 3)
        Channels in 0..255 as floats.
    """
    single = isinstance(colors, str)
    items = [colors] if single else list(colors)
    rgb = np.array(
        [[int(c.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)] for c in items],
        dtype=float,
    )
    return rgb[0] if single else rgb


def rgb_to_hex(rgb: np.ndarray) -> str:
    """Convert one RGB triple (0..255, rounded) to a ``#RRGGBB`` string.

    Parameters
    ----------
    rgb : ndarray, shape (3,)

    Returns
    -------
    str
    """
    r, g, b = np.clip(np.rint(np.asarray(rgb, dtype=float)), 0, 255).astype(int)
    return f"#{r:02X}{g:02X}{b:02X}"


def darken(color: str, factor: float = 0.65) -> str:
    """Darker shade of a hex colour (each channel scaled by ``factor``).

    Used for outlines drawn over points of the same hue.

    Parameters
    ----------
    color : str
        ``#RRGGBB``.
    factor : float, default 0.65
        Channel multiplier in [0, 1]; 1 leaves the colour unchanged.

    Returns
    -------
    str
        ``#RRGGBB``.
    """
    return rgb_to_hex(hex_to_rgb(color) * factor)


def palette_rgb(n_components: int, palette: Sequence[str] | None = None) -> np.ndarray:
    """RGB colours for ``n_components`` components, cycling the palette.

    Parameters
    ----------
    n_components : int
        Number of components K.
    palette : sequence of str, optional
        Hex colours; defaults to `PALETTE`.

    Returns
    -------
    ndarray, shape (K, 3)
        Channels in 0..255 as floats.
    """
    base = hex_to_rgb(PALETTE if palette is None else palette)
    return base[np.arange(n_components) % len(base)]


def component_color(k: int, palette: Sequence[str] | None = None) -> str:
    """Hex colour of component ``k`` (0-based), cycling the palette."""
    colors = PALETTE if palette is None else palette
    return colors[k % len(colors)]


def blend(responsibilities: np.ndarray, palette: Sequence[str] | None = None) -> np.ndarray:
    """Blend component colours by responsibility.

    Parameters
    ----------
    responsibilities : ndarray, shape (n, K)
        Rows are the posterior probabilities gamma_ik (normally summing
        to 1).
    palette : sequence of str, optional
        Hex colours of the components; defaults to `PALETTE` (cycled if
        K exceeds its length).

    Returns
    -------
    ndarray, shape (n, 3)
        ``responsibilities @ palette_rgb``: RGB floats in 0..255.
    """
    gamma = np.asarray(responsibilities, dtype=float)
    if gamma.ndim != 2:
        raise ValueError(f"responsibilities must be 2-D (n, K), got shape {gamma.shape}")
    return gamma @ palette_rgb(gamma.shape[1], palette)


def to_rgb_strings(rgb: np.ndarray) -> np.ndarray:
    """Format RGB rows as CSS ``rgb(r,g,b)`` strings without a Python loop.

    Only for consumers that cannot take numeric colours; the figures in
    `gmm.figures` use a quantised colour index instead (much smaller JSON).

    Parameters
    ----------
    rgb : ndarray, shape (n, 3)
        Channels in 0..255 (rounded to integers).

    Returns
    -------
    ndarray of str, shape (n,)
    """
    channels = np.clip(np.rint(rgb), 0, 255).astype(int).astype(str)
    joined = np.char.add(np.char.add(channels[:, 0], ","), channels[:, 1])
    joined = np.char.add(np.char.add(joined, ","), channels[:, 2])
    return np.char.add(np.char.add("rgb(", joined), ")")
