"""The data EM runs on: messy CSV files, the built-in data sets, and synthetic data.

Public face of the data layer; the work is done in the modules below it:

==================  =====================================================================
``csv_loading``     ``load_csv``: a messy CSV file in, numeric columns and notes out
``decoding``        bytes to text, refusing binary files, JSON, HTML and XML
``sniffing``        separator, decimal mark and header row, from the first lines
``cells``           what a cell of text means as a number
``parsing``         the whole table read with its layout, numeric columns kept
``rows``            incomplete rows dropped, large tables sampled down
``messages``        how notes and errors word lists and counts
``builtin``         Old Faithful and iris, package data in ``builtin_csv/``
``dataset``         ``Dataset``: a table, the columns EM runs on, standardised or not
``generators``      ``generate``: seeded synthetic data sets for teaching
==================  =====================================================================

It needs NumPy, SciPy and pandas, and never imports Plotly or Streamlit.
"""

from gmm.data.builtin import (
    BUILTIN_DATASETS,
    builtin_dataset,
    load_faithful,
    load_iris,
)
from gmm.data.cells import MISSING_TOKENS
from gmm.data.csv_loading import MAX_FILE_MB, MAX_ROWS, load_csv
from gmm.data.dataset import Dataset
from gmm.data.generators import GENERATOR_KINDS, MIN_COMPONENTS, SyntheticData, generate
from gmm.data.parsing import NUMERIC_SHARE
from gmm.data.sniffing import SAMPLE_LINES, SEPARATORS

__all__ = [
    "BUILTIN_DATASETS",
    "GENERATOR_KINDS",
    "MAX_FILE_MB",
    "MAX_ROWS",
    "MIN_COMPONENTS",
    "MISSING_TOKENS",
    "NUMERIC_SHARE",
    "SAMPLE_LINES",
    "SEPARATORS",
    "Dataset",
    "SyntheticData",
    "builtin_dataset",
    "generate",
    "load_csv",
    "load_faithful",
    "load_iris",
]
