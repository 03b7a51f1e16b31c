"""Tests for gmm.figures.colors: palette and responsibility blending."""

import re

import numpy as np
import pytest

from gmm.figures.colors import (
    ALERT,
    NEUTRAL,
    PALETTE,
    PALETTE_NAMES,
    blend,
    component_color,
    darken,
    hex_to_rgb,
    palette_rgb,
    rgb_to_hex,
    to_rgb_strings,
)

# Machado, Oliveira & Fernandes (2009) colour-vision-deficiency simulation
# matrices at severity 1.0, acting on linear RGB.
CVD_MATRICES = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}


def srgb_to_linear(rgb: np.ndarray) -> np.ndarray:
    """Linear-light RGB in 0..1 of sRGB rows in 0..255."""
    c = rgb / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_lab(linear: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of linear-RGB rows."""
    to_xyz = np.array(
        [
            [0.4124, 0.3576, 0.1805],
            [0.2126, 0.7152, 0.0722],
            [0.0193, 0.1192, 0.9505],
        ]
    )
    xyz = np.clip(linear, 0, 1) @ to_xyz.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    x, y, z = f.T
    return np.column_stack([116 * y - 16, 500 * (x - y), 200 * (y - z)])


def min_pairwise_distance(points: np.ndarray) -> float:
    """Smallest Euclidean distance between two rows."""
    d = np.linalg.norm(points[:, None] - points[None], axis=-1)
    return d[np.triu_indices(len(points), 1)].min()


# ------------------------------------------------------------------ palette


def test_palette_has_ten_distinct_hex_colours_with_names():
    assert len(PALETTE) == len(set(PALETTE)) == len(PALETTE_NAMES) == 10
    for color in (*PALETTE, NEUTRAL, ALERT):
        assert re.fullmatch(r"#[0-9A-F]{6}", color)
    assert NEUTRAL not in PALETTE


@pytest.mark.parametrize("vision", sorted(CVD_MATRICES))
def test_palette_stays_distinguishable_under_colour_vision_deficiency(vision):
    simulated = srgb_to_linear(hex_to_rgb(PALETTE)) @ CVD_MATRICES[vision].T
    assert min_pairwise_distance(linear_to_lab(simulated)) > 15.0


def test_hex_round_trip():
    rgb = hex_to_rgb(PALETTE)
    assert rgb.shape == (10, 3)
    assert [rgb_to_hex(row) for row in rgb] == list(PALETTE)
    np.testing.assert_array_equal(hex_to_rgb("#0072B2"), [0, 114, 178])


def test_palette_cycles_beyond_ten_components():
    rgb = palette_rgb(13)
    assert rgb.shape == (13, 3)
    np.testing.assert_array_equal(rgb[10:], rgb[:3])
    assert component_color(11) == PALETTE[1]


# ----------------------------------------------------------------- blending


def test_one_hot_responsibilities_give_palette_colours():
    np.testing.assert_allclose(blend(np.eye(4)), hex_to_rgb(PALETTE[:4]))


def test_half_way_point_is_half_way_colour():
    rgb = blend(np.array([[0.5, 0.5, 0.0]]))
    expected = (hex_to_rgb(PALETTE[0]) + hex_to_rgb(PALETTE[1])) / 2
    np.testing.assert_allclose(rgb[0], expected)


def test_blend_is_a_convex_combination():
    rng = np.random.default_rng(0)
    gamma = rng.dirichlet(np.ones(5), size=1000)
    rgb = blend(gamma)
    assert rgb.shape == (1000, 3)
    colours = palette_rgb(5)
    assert (rgb >= colours.min(axis=0) - 1e-9).all() and (rgb <= colours.max(axis=0) + 1e-9).all()


def test_blend_with_custom_palette():
    rgb = blend(np.array([[0.25, 0.75]]), palette=["#000000", "#FFFFFF"])
    np.testing.assert_allclose(rgb, [[191.25] * 3])


def test_blend_rejects_one_dimensional_input():
    with pytest.raises(ValueError):
        blend(np.array([0.5, 0.5]))


def test_rgb_strings_are_rounded_css():
    strings = to_rgb_strings(np.array([[0.4, 127.5, 255.0], [300.0, -2.0, 10.6]]))
    assert strings.tolist() == ["rgb(0,128,255)", "rgb(255,0,11)"]


def test_darken_scales_channels():
    assert darken("#FF8000", 0.5) == "#804000"
    assert darken("#123456", 1.0) == "#123456"
