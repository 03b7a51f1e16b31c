"""Dataset.key: what identifies the points EM sees, so results on them can be found again."""

import gmm
from gmm.data import Dataset


def faithful() -> Dataset:
    return Dataset.from_frame("Old Faithful", gmm.load_faithful())


def test_the_same_points_have_the_same_key():
    assert faithful().key == faithful().key
    assert hash(faithful().key) == hash(faithful().key)


def test_other_columns_standardisation_or_values_change_the_key():
    data = faithful()
    keys = {
        data.key,
        data.with_columns(["waiting", "eruptions"]).key,
        data.with_columns(["waiting"]).key,
        data.with_standardisation(True).key,
        Dataset.from_frame("Old Faithful", gmm.load_faithful() * 2).key,
    }
    assert len(keys) == 5
