"""Tests of gmm.data.builtin: Old Faithful and iris, shipped as package data."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import gmm.data
from gmm.data import (
    BUILTIN_DATASETS,
    builtin_dataset,
    load_csv,
    load_faithful,
    load_iris,
)


def test_faithful():
    frame = load_faithful()
    assert frame.shape == (272, 2)
    assert list(frame.columns) == ["eruptions", "waiting"]
    assert (frame.dtypes == np.float64).all()
    assert frame.iloc[0].tolist() == [3.6, 79.0]


def test_iris_keeps_its_species_label():
    frame = load_iris()
    assert frame.shape == (150, 5)
    numeric = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    assert list(frame.columns) == [*numeric, "species"]
    assert (frame[numeric].dtypes == np.float64).all()
    assert sorted(frame["species"].unique()) == ["setosa", "versicolor", "virginica"]


def test_load_csv_of_iris_drops_the_label():
    with (files("gmm.data") / "builtin_csv" / "iris.csv").open("rb") as handle:
        frame, notes = load_csv(handle)
    assert frame.shape == (150, 4)
    assert notes == ["Dropped 1 text column (EM only works with numbers): 'species'."]


def test_builtin_datasets_by_name():
    assert list(BUILTIN_DATASETS) == ["Old Faithful", "Iris"]
    pd.testing.assert_frame_equal(builtin_dataset("Old Faithful"), load_faithful())
    with pytest.raises(ValueError, match="no built-in data set called 'Wine'.*'Iris'"):
        builtin_dataset("Wine")


def test_builtin_files_are_package_data_with_their_provenance():
    folder = files("gmm.data") / "builtin_csv"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "datasets::faithful" in readme and "datasets::iris" in readme
    assert (folder / "faithful.csv").is_file() and (folder / "iris.csv").is_file()
    package = Path(gmm.data.__file__).resolve().parent
    assert Path(str(folder)).resolve() == package / "builtin_csv"


def test_pyproject_ships_every_builtin_file_as_package_data():
    root = Path(__file__).resolve().parents[3]
    setuptools = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    package = Path(gmm.data.__file__).resolve().parent
    shipped = {
        path for pattern in setuptools["package-data"]["gmm.data"] for path in package.glob(pattern)
    }
    assert shipped == set((package / "builtin_csv").iterdir())
    assert "gmm*" in setuptools["packages"]["find"]["include"]  # gmm.data and the others
