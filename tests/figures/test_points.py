"""Tests for gmm.figures.points: subsampling and the colour encoding."""

import numpy as np

from gmm.figures.points import COLOR_STEP, quantise_colors

MASSES = (0.5, 0.9)


def test_quantised_colours_are_close_and_compact():
    rng = np.random.default_rng(1)
    rgb = rng.uniform(0, 255, size=(5000, 3))
    index, table = quantise_colors(rgb)
    assert index.dtype == np.uint16 and index.shape == (5000,)  # > 256 colours
    assert quantise_colors(rgb[:10])[0].dtype == np.uint8
    assert np.abs(table[index] - rgb).max() <= COLOR_STEP / 2
    assert len(table) == len(np.unique(table, axis=0))
