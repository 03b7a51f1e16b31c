"""The options that widgets on more than one page offer, and how they are labelled."""

from __future__ import annotations

#: Largest generated data set, in points.
MAX_GENERATED = 200_000
REG_COVAR_CHOICES = (0.0, 1e-9, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1)
TOL_CHOICES = (1e-1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-8, 0.0)
COVARIANCE_LABELS = {
    "full": "full (any ellipse)",
    "tied": "tied (one shared ellipse)",
    "diag": "diag (axis-aligned)",
    "spherical": "spherical (circles)",
}


def number_label(value: float) -> str:
    """``0`` or the shortest form of a small positive number (``1e-06``)."""
    return "0" if value == 0 else f"{value:g}"
