"""gmm.figures: Plotly figures of Gaussian mixtures fitted by EM.

Builders take plain NumPy arrays (the data and one snapshot's parameters) and return a
finished ``plotly.graph_objects.Figure``. This package imports NumPy, SciPy and Plotly,
never Streamlit, and never runs EM; ``import gmm`` does not import it.
"""

from .choose_k import (
    COVARIANCE_STYLE,
    METHOD_STYLE,
    MIN_LOGLIK_SPAN,
    criterion_plot,
    data_thumbnail,
    final_loglik_plot,
    loglik_overlay,
    model_thumbnail,
)
from .view_2d import (
    COLOR_STEP,
    FONT_SIZE,
    MAX_POINTS,
    component_traces,
    display_subsample,
    loglik_curve,
    quantise_colors,
    scatter_2d,
)
from .view_3d import density_1d, projections_3d, scatter_3d

__all__ = [
    "COLOR_STEP",
    "COVARIANCE_STYLE",
    "FONT_SIZE",
    "MAX_POINTS",
    "METHOD_STYLE",
    "MIN_LOGLIK_SPAN",
    "component_traces",
    "criterion_plot",
    "data_thumbnail",
    "density_1d",
    "display_subsample",
    "final_loglik_plot",
    "loglik_curve",
    "loglik_overlay",
    "model_thumbnail",
    "projections_3d",
    "quantise_colors",
    "scatter_2d",
    "scatter_3d",
]
