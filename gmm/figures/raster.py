"""Every point of a large 2-D data set as an image: a pixel grid, its counts and colours.

Above the point-drawing limit (`gmm.figures.points.MAX_POINTS`) the 2-D view draws all n
points as an image, in the manner of datashader, instead of a sample
(`gmm.figures.raster_traces`). This module is its arithmetic, in NumPy only:

1. `pixel_grid` (once per data set and plot range; `cached_grid` keeps the last few):
   a grid of about `GRID_SIZE` pixels over the plot's range, the pixel of every point
   (``slot``: its index among the non-empty pixels), and the count of each non-empty
   pixel. Pixels are square in data units when the view has equal axis scales.
2. `pixel_means` (per snapshot): each non-empty pixel's mean responsibilities, one
   `np.bincount` per component over all n points.
3. `pixel_rgb`: the blend of that mean (`gmm.figures.colors.blend`, the points' palette;
   the blend is linear, so it equals the mean of the pixel's point colours), or
   `gmm.figures.colors.NEUTRAL` before the first E-step; `pixel_alpha`: an opacity that
   grows with the log of the count from `ALPHA_FLOOR` (one point, still visible) to 1.
4. `rgba_image` and `png_data_uri`: the picture as an RGBA array and as a PNG data URI
   (a small encoder over `zlib`, no image library).

For the browser
---------------
A client that redraws snapshots by itself (a history player) needs, once per data set,
the grid's ``shape``, ``x_range``, ``y_range``, the flat pixel numbers ``occupied`` and
`pixel_alpha` of ``counts``; then per E-step only `pixel_colors`: one small unsigned
integer per non-empty pixel into a colour table of at most a few thousand rows (the
quantisation of `gmm.figures.points.quantise_colors`), so a 10⁶-point snapshot is a few
tens of kilobytes. Pixel ``p`` of ``occupied`` is row ``p // cols`` (counted from the
bottom, the lowest y) and column ``p % cols``; its colour is ``table[index]`` and its
alpha ``255 * alpha``. `rgba_image` builds exactly that picture on the server.
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .array_cache import derived
from .colors import NEUTRAL, blend, hex_to_rgb
from .points import COLOR_STEP, quantise_colors
from .style import view_extent

__all__ = [
    "ALPHA_FLOOR",
    "GRID_SIZE",
    "PixelGrid",
    "cached_grid",
    "grid_shape",
    "nearest_in_pixel",
    "pixel_alpha",
    "pixel_colors",
    "pixel_grid",
    "pixel_means",
    "pixel_rgb",
    "png_data_uri",
    "rgba_image",
]

#: Pixels of the grid at most, (columns, rows): about the plot's size in the app, so a
#: pixel of the grid is one or two of the screen's.
GRID_SIZE = (400, 300)
#: Opacity of a pixel that holds one point; the most crowded pixel is opaque.
ALPHA_FLOOR = 0.4


@dataclass(frozen=True)
class PixelGrid:
    """The pixels of a plot range and the pixel of every point.

    Attributes
    ----------
    x_range, y_range : (float, float)
        The data range the grid covers: its outer edges.
    shape : (int, int)
        ``(rows, cols)``; row 0 is the lowest y, column 0 the lowest x.
    occupied : ndarray of int64, shape (m,)
        Flat numbers ``row * cols + col`` of the m non-empty pixels, ascending.
    counts : ndarray of int64, shape (m,)
        Points in each non-empty pixel; they sum to n.
    slot : ndarray of int32, shape (n,)
        Each point's pixel, as an index into ``occupied``.
    """

    x_range: tuple[float, float]
    y_range: tuple[float, float]
    shape: tuple[int, int]
    occupied: np.ndarray
    counts: np.ndarray
    slot: np.ndarray

    @property
    def pixel_size(self) -> tuple[float, float]:
        """``(dx, dy)``: a pixel's width and height in data units."""
        rows, cols = self.shape
        return (
            (self.x_range[1] - self.x_range[0]) / cols,
            (self.y_range[1] - self.y_range[0]) / rows,
        )

    def centres(self) -> np.ndarray:
        """Centres of the non-empty pixels, shape (m, 2), in data units."""
        cols = self.shape[1]
        dx, dy = self.pixel_size
        row, col = np.divmod(self.occupied, cols)
        return np.column_stack(
            [self.x_range[0] + (col + 0.5) * dx, self.y_range[0] + (row + 0.5) * dy]
        )


# ================================================================ the grid
def grid_shape(
    x_range: Sequence[float], y_range: Sequence[float], square: bool, size=GRID_SIZE
) -> tuple[tuple[int, int], tuple[float, float]]:
    """Rows and columns over a range, and the y range they cover.

    Parameters
    ----------
    x_range, y_range : (float, float)
        The plot's range, lower edge first.
    square : bool
        Pixels square in data units (the view has equal axis scales): the grid then
        fits in ``size`` with the data's aspect, and its y range grows by less than a
        pixel to hold a whole number of rows. Otherwise exactly ``size``.
    size : (int, int), default `GRID_SIZE`
        ``(cols, rows)`` at most.

    Returns
    -------
    shape : (int, int)
        ``(rows, cols)``.
    y_range : (float, float)
    """
    max_cols, max_rows = size
    if not square:
        return (max_rows, max_cols), (float(y_range[0]), float(y_range[1]))
    width, height = x_range[1] - x_range[0], y_range[1] - y_range[0]
    pixel = max(width / max_cols, height / max_rows)
    cols = max(1, min(max_cols, int(width / pixel + 1e-9)))
    dx = width / cols  # at least ``pixel``, so the rows below fit in max_rows
    rows = max(1, min(max_rows, int(np.ceil(height / dx - 1e-9))))
    top = y_range[0] + rows * dx  # square: dy = dx
    return (rows, cols), (float(y_range[0]), float(top))


def _bins(values: np.ndarray, lo: float, hi: float, count: int) -> np.ndarray:
    """The bin (0 .. count - 1) of each value in ``count`` equal bins over [lo, hi]."""
    scaled = (values - lo) * (count / (hi - lo))
    scaled = np.nan_to_num(scaled, nan=0.0, posinf=count - 1, neginf=0.0)
    return np.clip(scaled, 0, count - 1).astype(np.int64)


def pixel_grid(
    X: np.ndarray,
    x_range: Sequence[float] | None = None,
    y_range: Sequence[float] | None = None,
    size=GRID_SIZE,
) -> PixelGrid:
    """Bin every point of ``X`` on a pixel grid over the plot's range.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        Finite data.
    x_range, y_range : (float, float), optional
        The range to cover; default the 2-D view's, with square pixels when it draws
        equal axis scales (`gmm.figures.style.view_extent`). A point outside falls in the nearest
        edge pixel.
    size : (int, int), default `GRID_SIZE`
        ``(cols, rows)`` at most.

    Returns
    -------
    PixelGrid

    Raises
    ------
    ValueError
        If ``X`` is not (n, 2), is empty or holds a value that is not finite.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
        raise ValueError(f"X must have shape (n, 2) with n >= 1, got {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError("X holds values that are not finite; they cannot be placed on a grid")
    x_view, y_view, equal = view_extent(X)
    square = equal and x_range is None and y_range is None
    x_range = tuple(x_view if x_range is None else x_range)
    y_range = tuple(y_view if y_range is None else y_range)
    shape, y_range = grid_shape(x_range, y_range, square, size)
    rows, cols = shape
    pixel = _bins(X[:, 1], *y_range, rows) * cols + _bins(X[:, 0], *x_range, cols)
    per_pixel = np.bincount(pixel, minlength=rows * cols)
    occupied = np.flatnonzero(per_pixel)
    numbering = np.zeros(rows * cols, dtype=np.int32)
    numbering[occupied] = np.arange(len(occupied), dtype=np.int32)
    return PixelGrid(
        x_range=(float(x_range[0]), float(x_range[1])),
        y_range=y_range,
        shape=shape,
        occupied=occupied,
        counts=per_pixel[occupied],
        slot=numbering[pixel],
    )


def cached_grid(X: np.ndarray, size=GRID_SIZE) -> PixelGrid:
    """`pixel_grid` of ``X`` over the view's own range, computed once per array.

    The data of a session is one read-only array, so the grid is kept while the array
    lives (`gmm.figures.array_cache.derived`) and each snapshot costs only `pixel_means`.
    """
    return derived(X, ("pixel_grid", tuple(size)), lambda X: pixel_grid(X, size=size))


def nearest_in_pixel(grid: PixelGrid, X: np.ndarray, index: int, target=None) -> int:
    """The row of ``X`` in non-empty pixel ``index`` that lies nearest to ``target``.

    Parameters
    ----------
    grid : PixelGrid
        The grid of ``X``.
    X : ndarray, shape (n, 2)
    index : int
        A non-empty pixel, as an index into ``grid.occupied``.
    target : (float, float), optional
        Where the user clicked; default the pixel's centre.

    Returns
    -------
    int
        A row of ``X``: a real data point, to select when a pixel is clicked.
    """
    if not 0 <= index < len(grid.occupied):
        raise ValueError(f"pixel {index} is not one of the {len(grid.occupied)} non-empty pixels")
    rows = np.flatnonzero(grid.slot == index)
    centre = grid.centres()[index] if target is None else np.asarray(target, dtype=float)
    scale = np.asarray(grid.pixel_size)
    distance = np.sum(((X[rows] - centre) / scale) ** 2, axis=1)
    return int(rows[np.argmin(distance)])


# ================================================================ per snapshot
def pixel_means(grid: PixelGrid, responsibilities: np.ndarray) -> np.ndarray:
    """Each non-empty pixel's mean responsibilities.

    Parameters
    ----------
    grid : PixelGrid
    responsibilities : ndarray, shape (n, K)

    Returns
    -------
    ndarray, shape (m, K)
        Row i: the mean of the responsibilities of the points in pixel
        ``grid.occupied[i]`` (rows still sum to 1).
    """
    gamma = np.asarray(responsibilities, dtype=float)
    if gamma.ndim != 2 or len(gamma) != len(grid.slot):
        raise ValueError(
            f"responsibilities must have shape ({len(grid.slot)}, K), got {gamma.shape}"
        )
    m = len(grid.occupied)
    sums = np.empty((m, gamma.shape[1]))
    for k in range(gamma.shape[1]):
        sums[:, k] = np.bincount(grid.slot, weights=gamma[:, k], minlength=m)
    return sums / grid.counts[:, None]


def pixel_rgb(
    grid: PixelGrid, responsibilities: np.ndarray | None, palette: Sequence[str] | None = None
) -> np.ndarray:
    """Colour of each non-empty pixel: the blend of its mean responsibilities.

    Parameters
    ----------
    grid : PixelGrid
    responsibilities : ndarray, shape (n, K), or None
        None (before the first E-step) colours every pixel `gmm.figures.colors.NEUTRAL`,
        as are pixels whose mean is not finite.
    palette : sequence of str, optional
        Component colours (default `gmm.figures.colors.PALETTE`).

    Returns
    -------
    ndarray, shape (m, 3)
        RGB floats in 0..255.
    """
    grey = np.broadcast_to(hex_to_rgb(NEUTRAL), (len(grid.occupied), 3))
    if responsibilities is None:
        return grey.copy()
    rgb = blend(pixel_means(grid, responsibilities), palette)
    return np.where(np.isfinite(rgb).all(axis=1, keepdims=True), rgb, grey)


def pixel_colors(
    grid: PixelGrid,
    responsibilities: np.ndarray | None,
    palette: Sequence[str] | None = None,
    step: int = COLOR_STEP,
) -> tuple[np.ndarray, np.ndarray]:
    """The compact colours of a snapshot: a colour index per non-empty pixel and a table.

    Returns
    -------
    index : ndarray of uint8, uint16 or uint32, shape (m,)
    table : ndarray of int, shape (t, 3)
        Distinct colours, each channel a multiple of ``step``
        (`gmm.figures.points.quantise_colors`).
    """
    return quantise_colors(pixel_rgb(grid, responsibilities, palette), step)


def pixel_alpha(counts: np.ndarray, floor: float = ALPHA_FLOOR) -> np.ndarray:
    """Opacity of each non-empty pixel from its count, on a log scale.

    Parameters
    ----------
    counts : ndarray of int, shape (m,)
        Points per pixel, each at least 1.
    floor : float, default `ALPHA_FLOOR`
        Opacity of a pixel with one point.

    Returns
    -------
    ndarray, shape (m,)
        ``floor + (1 - floor) * log(count) / log(max count)``: one point gets ``floor``,
        the fullest pixel 1 (all pixels 1 when none holds more than one point).
    """
    logs = np.log(np.asarray(counts, dtype=float))
    top = logs.max(initial=0.0)
    if top <= 0:
        return np.ones(len(logs))
    return floor + (1.0 - floor) * logs / top


def rgba_image(grid: PixelGrid, rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The picture: transparent where no point falls.

    Parameters
    ----------
    grid : PixelGrid
    rgb : ndarray, shape (m, 3)
        Colour of each non-empty pixel, 0..255.
    alpha : ndarray, shape (m,)
        Its opacity, 0..1.

    Returns
    -------
    ndarray of uint8, shape (rows, cols, 4)
        Row 0 is the lowest y.
    """
    rows, cols = grid.shape
    image = np.zeros((rows * cols, 4), dtype=np.uint8)
    image[grid.occupied, :3] = np.clip(np.rint(rgb), 0, 255)
    image[grid.occupied, 3] = np.clip(np.rint(255 * np.asarray(alpha)), 0, 255)
    return image.reshape(rows, cols, 4)


def png_data_uri(rgba: np.ndarray, level: int = 1) -> str:
    """An RGBA image as a ``data:image/png;base64,...`` URI.

    Parameters
    ----------
    rgba : ndarray of uint8, shape (rows, cols, 4)
        Row 0 is the top row of the PNG.
    level : int, default 1
        zlib compression level: the images are mostly empty, so a fast level is small.

    Returns
    -------
    str
    """
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    rows, cols, channels = rgba.shape
    if channels != 4:
        raise ValueError(f"rgba must have shape (rows, cols, 4), got {rgba.shape}")
    scanlines = np.zeros((rows, 1 + 4 * cols), dtype=np.uint8)  # filter byte 0: none
    scanlines[:, 1:] = rgba.reshape(rows, 4 * cols)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", cols, rows, 8, 6, 0, 0, 0)  # 8-bit RGBA
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(scanlines.tobytes(), level))
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
