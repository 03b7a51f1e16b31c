"""gmm.figures: Plotly figures of Gaussian mixtures fitted by EM.

Builders take plain NumPy arrays (the data and one snapshot's parameters) and return a
finished ``plotly.graph_objects.Figure``. This package imports NumPy, SciPy and Plotly,
never Streamlit, and never runs EM; ``import gmm`` does not import it.

Modules: `style` (the one shared look), `colors`, `geometry` (probability contours),
`points` (subsampling, colour encoding, the points trace), `view_2d`, `view_3d`,
`view_1d`, `model` (`model_figure`: the view that fits the number of columns), `curve`
(the log-likelihood curve), `choose_k` (BIC/AIC and restarts).
"""

from .choose_k import (
    MIN_LOGLIK_SPAN,
    criterion_plot,
    data_thumbnail,
    final_loglik_plot,
    loglik_overlay,
    model_thumbnail,
)
from .curve import loglik_curve
from .model import model_figure
from .points import COLOR_STEP, MAX_POINTS, display_subsample, quantise_colors
from .style import COVARIANCE_STYLE, FONT_SIZE, METHOD_STYLE
from .view_1d import density_1d
from .view_2d import component_traces, scatter_2d
from .view_3d import projections_3d, scatter_3d

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
    "model_figure",
    "model_thumbnail",
    "projections_3d",
    "quantise_colors",
    "scatter_2d",
    "scatter_3d",
]
