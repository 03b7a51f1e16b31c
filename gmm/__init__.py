"""gmm: Gaussian mixtures fitted by EM, one half-step at a time.

The engine behind GMM Explorer. It needs only NumPy, SciPy and (for CSV loading) pandas;
``import gmm`` never imports Streamlit or Plotly.

Main entry points
-----------------
EMStepper        step through EM (E-step, M-step), run to convergence, go back.
GaussianMixture  drop-in for scikit-learn's GaussianMixture, built on the stepper.
MixtureParams    immutable weights, means and covariances.
initialize       starting parameters (kmeans, k-means++, random_from_data, random, explicit).
load_csv         messy CSV files in, numeric columns and plain-language notes out.
generate         seeded synthetic data sets for teaching.
"""

from gmm.checks import COVARIANCE_TYPES, INIT_METHODS
from gmm.data import GENERATOR_KINDS, SyntheticData, generate, load_csv, load_faithful, load_iris
from gmm.diagnostics import Diagnostic
from gmm.em import EStepResult, e_step, lower_bound, m_step
from gmm.errors import DataError
from gmm.init import INIT_METHOD_LABELS, initialize
from gmm.mixture import ConvergenceWarning, GaussianMixture, NotFittedError
from gmm.mixture_checks import InvalidParameterError
from gmm.params import MixtureParams, SingularCovarianceError
from gmm.selection import aic, bic, mclust_bic, n_parameters
from gmm.stepper import EMStepper, Snapshot

__all__ = [
    "COVARIANCE_TYPES",
    "GENERATOR_KINDS",
    "INIT_METHODS",
    "INIT_METHOD_LABELS",
    "ConvergenceWarning",
    "DataError",
    "Diagnostic",
    "EMStepper",
    "EStepResult",
    "GaussianMixture",
    "InvalidParameterError",
    "MixtureParams",
    "NotFittedError",
    "SingularCovarianceError",
    "Snapshot",
    "SyntheticData",
    "aic",
    "bic",
    "e_step",
    "generate",
    "initialize",
    "load_csv",
    "load_faithful",
    "load_iris",
    "lower_bound",
    "m_step",
    "mclust_bic",
    "n_parameters",
]
