"""The options that widgets on more than one page offer, and how they are labelled.

The covariance types' labels are the engine's (:data:`gmm.params.COVARIANCE_LABELS`), so
that the widgets and the engine's notices call a setting by the same name.
"""

from __future__ import annotations

from gmm.data.generators import MAX_POINTS
from gmm.params import COVARIANCE_LABELS

__all__ = [
    "COVARIANCE_LABELS",
    "MAX_GENERATED",
    "REG_COVAR_CHOICES",
    "TOL_CHOICES",
    "number_label",
]

#: Largest generated data set, in points: the generators' own limit. The 2-D chart draws
#: every point, as an image above 20,000 (`gmm.figures.raster_traces`).
MAX_GENERATED = MAX_POINTS
REG_COVAR_CHOICES = (0.0, 1e-9, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1)
TOL_CHOICES = (1e-1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-8, 0.0)


def number_label(value: float) -> str:
    """``0`` or the shortest form of a small positive number (``1e-06``)."""
    return "0" if value == 0 else f"{value:g}"
