"""Data sets made from a name (`gmm.data.named`): what the sidebar and the lessons share."""

from __future__ import annotations

import numpy as np
import pytest

from gmm.data import generate
from gmm.data.named import builtin_data, generated_data


@pytest.mark.parametrize("dim", [1, 2, 3])
def test_generated_data_keeps_every_column_in_view_with_the_truth_and_labels(dim):
    dataset = generated_data("separated", 300, 3, dim, 7)
    raw = generate("separated", 300, 3, dim, 7)
    assert dataset.columns == tuple(f"x{j + 1}" for j in range(dim))
    np.testing.assert_array_equal(dataset.X, raw.X)
    np.testing.assert_array_equal(dataset.labels, raw.labels)
    np.testing.assert_array_equal(dataset.truth.means, raw.true_means)
    assert "n=300" in dataset.name and "K=3" in dataset.name and "seed 7" in dataset.name


def test_builtin_iris_keeps_its_species_as_labels_and_faithful_has_none():
    iris, faithful = builtin_data("Iris"), builtin_data("Old Faithful")
    assert iris.n_samples == 150 and len(set(iris.labels)) == 3
    assert faithful.labels is None and faithful.n_features == 2


def test_an_unknown_builtin_name_is_refused_with_the_names_there_are():
    with pytest.raises(ValueError, match="choose one of 'Old Faithful', 'Iris'"):
        builtin_data("No such data")
