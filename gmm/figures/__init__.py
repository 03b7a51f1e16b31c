"""gmm.figures: Plotly figures of Gaussian mixtures fitted by EM.

Builders take plain NumPy arrays (the data and one snapshot's parameters) and return a
finished ``plotly.graph_objects.Figure``. This package imports NumPy, SciPy and Plotly,
never Streamlit, and never runs EM; ``import gmm`` does not import it.

Modules: `style` (the one shared look), `colors`, `geometry` (probability contours),
`labels` (where an outline's label goes), `points` (subsampling, colour encoding, the
points trace), `svg_or_webgl` (a small view is SVG, a large one WebGL), `raster` and `raster_traces` (every point of a large 2-D data set as an
image); the views `view_1d`, `view_2d` and `view_3d`, each drawing its
components with `components_1d`, `components_2d` and `components_3d`; `model` (`model_figure`: the view that fits the
number of columns); `curve` (the log-likelihood curve); `choose_k` (BIC/AIC against K,
thumbnails) and `optima` (where restarts end).
"""

from .choose_k import criterion_plot, data_thumbnail, model_thumbnail
from .components_2d import component_traces
from .curve import loglik_curve
from .model import model_figure
from .optima import MIN_LOGLIK_SPAN, final_loglik_plot, loglik_overlay
from .points import COLOR_STEP, MAX_POINTS, display_subsample, quantise_colors
from .raster_traces import clicked_row
from .style import COVARIANCE_STYLE, FONT_SIZE, METHOD_STYLE, PRESENT_TYPE_SCALE
from .view_1d import density_1d
from .view_2d import scatter_2d
from .view_3d import projections_3d, scatter_3d

__all__ = [
    "COLOR_STEP",
    "COVARIANCE_STYLE",
    "FONT_SIZE",
    "MAX_POINTS",
    "METHOD_STYLE",
    "MIN_LOGLIK_SPAN",
    "PRESENT_TYPE_SCALE",
    "clicked_row",
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
