"""Numeric arrays packed into one compressed, text-safe block for a standalone HTML page.

A standalone page (`gmm.figures.standalone`) carries plotly.js, a JSON manifest and the
frames' typed arrays in one binary block::

    uint32 LE  length of the script (bytes)
    script     UTF-8
    uint32 LE  length of the manifest (bytes, padded with spaces so that `binary`
               starts at a multiple of 8)
    manifest   UTF-8 JSON; its "arrays" entry says where each array lies in `binary`
    binary     the arrays, each starting at a multiple of 8 bytes, little-endian

The script (plotly.js, the same in every page) comes first, so that its compression is
done once per process and reused (`to_text`).

The block is gzip-compressed (the page unpacks it with the browser's
``DecompressionStream('gzip')``) and written as text in base 93: every printable ASCII
character but ``<`` (`ALPHABET`), so that the text can sit inside a ``<script>`` element
(no ``<``, so never ``</script>`` or ``<!--``; no space, so nothing to trim). Each 13 bits
of the stream become two characters (93² = 8649 ≥ 2¹³): the text costs 23% more than the
bytes, where base64 costs 33% and base 85 25%.

This module depends only on NumPy and the standard library.
"""

from __future__ import annotations

import functools
import gzip
import json
import struct
import zlib
from collections.abc import Collection, Mapping
from typing import Any

import numpy as np

__all__ = ["ALPHABET", "PAIR_BITS", "from_text", "pack", "prefix_length", "to_text", "unpack"]

#: The digits of base 93: the printable ASCII characters "!" to "~" but "<".
ALPHABET = "".join(chr(c) for c in range(33, 127) if chr(c) != "<")
#: Bits carried by each pair of digits.
PAIR_BITS = 13

#: Dtypes a page can read as JavaScript typed arrays, by the name the manifest gives.
TYPED_ARRAYS = {
    "uint8": "Uint8Array",
    "uint16": "Uint16Array",
    "uint32": "Uint32Array",
    "float32": "Float32Array",
    "float64": "Float64Array",
}

_ALIGN = 8


def pack(
    script: str,
    manifest: Mapping,
    arrays: Mapping[str, np.ndarray],
    shuffled: Collection[str] = (),
) -> bytes:
    """The uncompressed block: the script, the manifest and the arrays.

    Parameters
    ----------
    script : str
        JavaScript to run first (plotly.js).
    manifest : mapping
        JSON-serialisable; an ``"arrays"`` entry is added: for each array its
        ``dtype`` (a key of `TYPED_ARRAYS`), ``offset`` (bytes into the binary part) and
        ``length`` (elements).
    arrays : mapping of str to ndarray
        Flattened in C order and stored little-endian.
    shuffled : collection of str
        Arrays stored byte-shuffled (``shuffled: true`` in the manifest): all the first
        bytes of the elements, then all the second bytes, and so on. Numbers whose high
        bytes repeat (nearby floats, small indices in uint16) compress much better so.

    Returns
    -------
    bytes
    """
    binary = bytearray()
    where = {}
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        dtype = array.dtype.name
        if dtype not in TYPED_ARRAYS:
            raise ValueError(f"array {name!r} has dtype {dtype}, not one of {list(TYPED_ARRAYS)}")
        binary += b"\0" * (-len(binary) % _ALIGN)
        where[name] = {"dtype": dtype, "offset": len(binary), "length": int(array.size)}
        raw = np.frombuffer(array.astype(array.dtype.newbyteorder("<")).tobytes(), np.uint8)
        if name in shuffled:
            where[name]["shuffled"] = True
            raw = raw.reshape(-1, array.itemsize).T
        binary += raw.tobytes()
    text = json.dumps({**manifest, "arrays": where}, allow_nan=False, separators=(",", ":"))
    head = script.encode("utf-8")
    body = text.encode("utf-8")
    body += b" " * (-(8 + len(head) + len(body)) % _ALIGN)  # the binary part starts aligned
    head = struct.pack("<I", len(head)) + head
    return head + struct.pack("<I", len(body)) + body + bytes(binary)


def prefix_length(block: bytes) -> int:
    """Bytes of ``block`` up to the end of its script: the part every page shares."""
    return 4 + struct.unpack_from("<I", block)[0]


def unpack(block: bytes) -> tuple[str, dict, dict[str, np.ndarray]]:
    """The inverse of `pack`: the script, the manifest and the arrays (for tests)."""
    head_length = prefix_length(block)
    (body_length,) = struct.unpack_from("<I", block, head_length)
    script = block[4:head_length].decode("utf-8")
    manifest = json.loads(block[head_length + 4 : head_length + 4 + body_length])
    start = head_length + 4 + body_length
    arrays = {}
    for name, spec in manifest["arrays"].items():
        dtype = np.dtype(spec["dtype"]).newbyteorder("<")
        size = spec["length"] * dtype.itemsize
        raw = np.frombuffer(block, np.uint8, count=size, offset=start + spec["offset"])
        if spec.get("shuffled"):
            raw = raw.reshape(dtype.itemsize, -1).T
        arrays[name] = np.frombuffer(raw.tobytes(), dtype=dtype)
    return script, manifest, arrays


@functools.lru_cache(maxsize=2)
def _compressed_prefix(prefix: bytes, level: int) -> tuple[Any, bytes]:
    """A gzip compressor fed ``prefix``, and what it has written so far (copy it to go on)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)  # 31: a gzip stream, mtime 0
    return compressor, compressor.compress(prefix)


def to_text(block: bytes, level: int = 9, shared: int = 0) -> tuple[str, int]:
    """Gzip ``block`` and write it in base 93 (`ALPHABET`), 13 bits per two digits.

    Parameters
    ----------
    block : bytes
    level : int, default 9
        zlib's compression level.
    shared : int, default 0
        Bytes at the start of ``block`` that many blocks share (`prefix_length`): they
        are compressed once per process and the compressor's state is copied after them.

    Returns
    -------
    text : str
        The stream's bits, most significant first, in groups of `PAIR_BITS` (the last
        one padded with zero bits), each written as two digits, high then low.
    n_bytes : int
        Length of the gzip stream: the page drops the padding after it.
    """
    compressor, compressed = _compressed_prefix(block[:shared], level)
    compressor = compressor.copy()
    compressed += compressor.compress(block[shared:]) + compressor.flush()
    bits = np.unpackbits(np.frombuffer(compressed, dtype=np.uint8))
    bits = np.concatenate([bits, np.zeros(-len(bits) % PAIR_BITS, dtype=np.uint8)])
    weights = 1 << np.arange(PAIR_BITS - 1, -1, -1, dtype=np.int64)
    values = bits.reshape(-1, PAIR_BITS).astype(np.int64) @ weights
    high, low = np.divmod(values, len(ALPHABET))
    alphabet = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
    digits = np.stack([alphabet[high], alphabet[low]], axis=1)
    return digits.tobytes().decode("ascii"), len(compressed)


def from_text(text: str, n_bytes: int) -> bytes:
    """The inverse of `to_text` (for tests): the uncompressed block."""
    lookup = np.zeros(128, dtype=np.int64)
    lookup[np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)] = np.arange(len(ALPHABET))
    digits = lookup[np.frombuffer(text.encode("ascii"), dtype=np.uint8)].reshape(-1, 2)
    values = digits[:, 0] * len(ALPHABET) + digits[:, 1]
    shifts = np.arange(PAIR_BITS - 1, -1, -1)
    bits = ((values[:, None] >> shifts) & 1).astype(np.uint8).ravel()
    return gzip.decompress(np.packbits(bits).tobytes()[:n_bytes])
