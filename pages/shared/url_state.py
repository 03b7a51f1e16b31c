"""A link that reproduces what is on screen: the state in the URL, and back.

Every setting that defines the picture is a query parameter: the data source (a
built-in name, or the generator's kind, n, true K, dimensions and seed), the columns and
standardisation, the run's settings (K, covariance type, initialisation and its seed,
``reg_covar``, ``tol``, ``max_iter``, the picked means), the half-step on screen, the
density and sample views, presentation mode and the controls a link hides, and a
lesson step (``lesson``, ``step``: the Learn page's lesson file name and its step,
counted from 1; :func:`pages.shared.lesson_state.open_linked` opens them).
EM is deterministic, so replaying the run up to the half-step in the link shows the
same snapshot on any server.

:func:`decode` and :func:`encode` are plain functions of the parameters (no Streamlit):
``decode`` checks each parameter on its own, and a bad one gets a message that names it
and falls back to its default. :mod:`pages.shared.link` applies a decoded link at
session start and writes the link of what is on screen.

Nothing a link carries is ever rendered as HTML: every value quoted in a message goes
through :func:`quoted`, which escapes Markdown and cuts it short.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from gmm.data import BUILTIN_DATASETS, GENERATOR_KINDS, MIN_COMPONENTS
from gmm.init import INIT_METHOD_LABELS
from gmm.params import COVARIANCE_TYPES
from gmm.run import RunSettings
from pages.shared.choices import MAX_GENERATED, REG_COVAR_CHOICES, TOL_CHOICES
from pages.shared.state import DEFAULT_DATA, DEFAULT_SETTINGS, MAX_SEED

#: The controls a link can hide for students (``hide=run,back``).
HIDEABLE = {
    "back": "Back",
    "next": "Next: E-step / M-step",
    "step": "Step (E+M)",
    "run": "Run to convergence",
    "play": "Play / Pause and the speed",
    "slider": "the half-step slider",
}
#: Largest K and max_iter the sidebar offers.
MAX_K, MAX_ITER = 10, 10_000
#: The half-step index a link may ask for: two per iteration, beyond max_iter too.
MAX_HALF_STEP = 2 * MAX_ITER + 1
#: Points "Sample from this model" may draw.
MAX_SAMPLE = 20_000
#: Longest value quoted back in a message.
QUOTE_LENGTH = 40
#: A lesson's name: letters, digits, - and _.
LESSON_NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")

DEFAULT_SOURCE = ("builtin", DEFAULT_DATA)

#: Every parameter a link may carry, in the order a link lists them.
PARAMETERS = (
    "data", "gen_kind", "gen_n", "gen_k", "gen_dim", "gen_seed", "file", "cols", "std",
    "k", "cov", "init", "seed", "reg_covar", "tol", "max_iter", "means", "halfstep",
    "density", "sample", "sample_seed", "present", "hide", "lesson", "step",
)  # fmt: skip
#: Parameters that may repeat (one column each).
REPEATED = {"cols"}


@dataclass(frozen=True)
class Link:
    """What a link says should be on screen.

    Attributes
    ----------
    source : tuple
        ``("builtin", name)``, ``("generate", kind, n, true_k, dim, seed)`` or
        ``("upload", file_name)``: uploaded data cannot travel in a URL.
    columns : tuple of str, or None
        The columns EM runs on (None: the data set's default). Checked against the
        data when they are loaded.
    standardise : bool
    settings : RunSettings
        ``means`` is set for ``init="explicit"``; its dimension is checked against
        the columns when the data are loaded.
    half_step : int
        Index of the snapshot on screen.
    density : bool
    sample, sample_seed : int
        Points drawn from the model (0: none), and their seed.
    present : bool
    hidden : frozenset of str
        Names from :data:`HIDEABLE`.
    lesson : (str, int) or None
        The Learn page's lesson (its file name) and step, counted from 1.
    """

    source: tuple = DEFAULT_SOURCE
    columns: tuple[str, ...] | None = None
    standardise: bool = False
    settings: RunSettings = DEFAULT_SETTINGS
    half_step: int = 0
    density: bool = False
    sample: int = 0
    sample_seed: int = 0
    present: bool = False
    hidden: frozenset[str] = field(default_factory=frozenset)
    lesson: tuple[str, int] | None = None


class BadValue(ValueError):
    """A parameter's value is not one the app accepts; the message says which are."""


def quoted(value: str) -> str:
    """``value`` safe to show in Markdown: cut to :data:`QUOTE_LENGTH` characters, on
    one line, every punctuation mark escaped, so that nothing in it is markup or HTML.
    """
    text = " ".join(str(value).split())
    if len(text) > QUOTE_LENGTH:
        text = text[: QUOTE_LENGTH - 1] + "…"
    return "“" + re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text) + "”"


# ----------------------------------------------------------------- one value each
def _whole(text: str, low: int, high: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise BadValue(f"is not a whole number from {low:,} to {high:,}") from None
    if not low <= value <= high:
        raise BadValue(f"is not a whole number from {low:,} to {high:,}")
    return value


def _switch(text: str) -> bool:
    if text.strip() not in ("0", "1"):
        raise BadValue("is neither 0 nor 1")
    return text.strip() == "1"


def _one_of(text: str, options: Sequence[str]) -> str:
    if text not in options:
        raise BadValue("is not one of " + ", ".join(options))
    return text


def _choice(text: str, choices: Sequence[float]) -> float:
    """One of the slider's values: the sidebar offers no other."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    for choice in choices:
        if math.isclose(value, choice, rel_tol=1e-9, abs_tol=0.0):
            return choice
    raise BadValue("is not one of " + ", ".join("0" if c == 0 else f"{c:g}" for c in choices))


def _means(text: str, n_components: int) -> tuple[tuple[float, ...], ...]:
    """``"x,y;x,y"``: K points of 1 to 3 finite coordinates each."""
    try:
        means = tuple(tuple(float(v) for v in point.split(",")) for point in text.split(";"))
    except ValueError:
        raise BadValue("is not a list of points such as 1.5,60;4.2,80") from None
    if len(means) != n_components:
        raise BadValue(f"has {len(means)} point(s), but K is {n_components}")
    if len({len(m) for m in means}) != 1 or not 1 <= len(means[0]) <= 3:
        raise BadValue("needs points with the same number (1 to 3) of coordinates")
    if not all(math.isfinite(v) for m in means for v in m):
        raise BadValue("has a coordinate that is not a finite number")
    return means


def _hidden(text: str) -> frozenset[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in HIDEABLE]
    if unknown:
        raise BadValue("names no control to hide; these can be hidden: " + ", ".join(HIDEABLE))
    return frozenset(names)


# ----------------------------------------------------------------------- decoding
class _Reader:
    """Reads parameters one by one, collecting a message for each bad one."""

    def __init__(self, query: Mapping[str, Sequence[str] | str]):
        self.query = {
            name: [values] if isinstance(values, str) else list(values)
            for name, values in query.items()
        }
        self.problems: list[str] = []

    def given(self, name: str) -> bool:
        return bool(self.query.get(name))

    def read(self, name: str, parse, default, *args, shown_default: str | None = None):
        """``parse(value, *args)`` of the last value given for ``name``, or ``default``
        (with a message naming ``name``) if it is missing or bad."""
        if not self.given(name):
            return default
        text = self.query[name][-1]
        try:
            return parse(text, *args)
        except BadValue as why:
            shown = shown_default if shown_default is not None else _shown(default)
            self.problems.append(f"**{name}** = {quoted(text)} {why}: using {shown}.")
            return default


def _shown(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return "0" if value == 0 else f"{value:g}"
    return quoted(value) if isinstance(value, str) else str(value)


def _source(reader: _Reader) -> tuple:
    data = reader.read(
        "data", _one_of, DEFAULT_SOURCE[1], [*BUILTIN_DATASETS, "generate", "upload"]
    )
    if data == "upload":
        name = reader.query.get("file", ["a file"])[-1]
        return ("upload", " ".join(name.split())[:200] or "a file")
    if data != "generate":
        return ("builtin", data)
    kind = reader.read("gen_kind", _one_of, "separated", list(GENERATOR_KINDS))
    n = reader.read("gen_n", _whole, 500, 10, MAX_GENERATED)
    true_k = reader.read("gen_k", _whole, 3, MIN_COMPONENTS[kind], 10)
    dim = reader.read("gen_dim", _whole, 2, 1, 3)
    seed = reader.read("gen_seed", _whole, 0, 0, MAX_SEED)
    return ("generate", kind, n, true_k, dim, seed)


def _settings(reader: _Reader) -> RunSettings:
    d = DEFAULT_SETTINGS
    k = reader.read("k", _whole, d.n_components, 1, MAX_K)
    init = reader.read("init", _one_of, d.init, list(INIT_METHOD_LABELS))
    means = None
    if init == "explicit":
        means = reader.read("means", _means, None, k, shown_default=f"the default start ({d.init})")
        if means is None:
            if not reader.given("means"):
                reader.problems.append(
                    f"**means** is missing for init = {quoted('explicit')}: "
                    f"using the default start ({d.init})."
                )
            init = d.init
    return RunSettings(
        n_components=k,
        covariance_type=reader.read("cov", _one_of, d.covariance_type, list(COVARIANCE_TYPES)),
        init=init,
        seed=reader.read("seed", _whole, d.seed, 0, MAX_SEED),
        reg_covar=reader.read("reg_covar", _choice, d.reg_covar, REG_COVAR_CHOICES),
        tol=reader.read("tol", _choice, d.tol, TOL_CHOICES),
        max_iter=reader.read("max_iter", _whole, d.max_iter, 1, MAX_ITER),
        means=means,
    )


def _lesson(reader: _Reader) -> tuple[str, int] | None:
    if not reader.given("lesson"):
        return None
    name = reader.query["lesson"][-1]
    if not LESSON_NAME.fullmatch(name):
        reader.problems.append(
            f"**lesson** = {quoted(name)} is not a lesson's name (letters, digits, - "
            "and _): no lesson is opened."
        )
        return None
    return name, reader.read("step", _whole, 0, 0, 999)


def decode(query: Mapping[str, Sequence[str] | str]) -> tuple[Link, list[str]]:
    """The link a URL's query parameters describe, and what was wrong with them.

    Parameters
    ----------
    query : mapping of str to str or list of str
        The parameters, each with its values in order (``cols`` may repeat; for the
        others the last value counts).

    Returns
    -------
    link : Link
        Each bad or missing parameter replaced by its default.
    problems : list of str
        One Markdown message per bad or unknown parameter, naming it; every value
        quoted in them is escaped (:func:`quoted`).
    """
    reader = _Reader(query)
    unknown = sorted(name for name in reader.query if name not in PARAMETERS)
    for name in unknown[:5]:
        reader.problems.append(f"{quoted(name)} is not a setting this app knows: ignored.")
    source = _source(reader)
    columns = tuple(reader.query["cols"]) if reader.given("cols") else None
    if columns is not None and not 1 <= len(columns) <= 3:
        reader.problems.append(
            f"**cols** names {len(columns)} columns; EM runs on 1 to 3: using the default columns."
        )
        columns = None
    link = Link(
        source=source,
        columns=columns,
        standardise=reader.read("std", _switch, False),
        settings=_settings(reader),
        half_step=reader.read("halfstep", _whole, 0, 0, MAX_HALF_STEP),
        density=reader.read("density", _switch, False),
        sample=reader.read("sample", _whole, 0, 0, MAX_SAMPLE),
        sample_seed=reader.read("sample_seed", _whole, 0, 0, MAX_SEED),
        present=reader.read("present", _switch, False),
        hidden=reader.read("hide", _hidden, frozenset(), shown_default="no control hidden"),
        lesson=_lesson(reader),
    )
    return link, reader.problems


# ----------------------------------------------------------------------- encoding
def _number(value: float) -> str:
    """The shortest text that reads back as exactly ``value``."""
    return repr(float(value)) if value != int(value) or abs(value) >= 1e15 else str(int(value))


def encode(link: Link) -> dict[str, str | list[str]]:
    """The query parameters of ``link``, in :data:`PARAMETERS` order.

    The data and run settings are always written (a link keeps its meaning if the
    defaults change); the views only when they are on. ``decode(encode(link))``
    gives ``link`` back, with no problems.
    """
    params: dict[str, str | list[str]] = {}
    kind, *rest = link.source
    if kind == "builtin":
        params["data"] = rest[0]
    elif kind == "generate":
        params["data"] = "generate"
        for name, value in zip(("gen_kind", "gen_n", "gen_k", "gen_dim", "gen_seed"), rest):
            params[name] = str(value)
    else:
        params |= {"data": "upload", "file": rest[0]}
    if link.columns:
        params["cols"] = list(link.columns)
    params["std"] = "1" if link.standardise else "0"
    s = link.settings
    params |= {
        "k": str(s.n_components),
        "cov": s.covariance_type,
        "init": s.init,
        "seed": str(s.seed),
        "reg_covar": _number(s.reg_covar) if s.reg_covar else "0",
        "tol": _number(s.tol) if s.tol else "0",
        "max_iter": str(s.max_iter),
    }
    if s.means is not None:
        params["means"] = ";".join(",".join(_number(v) for v in m) for m in s.means)
    params["halfstep"] = str(link.half_step)
    if link.density:
        params["density"] = "1"
    if link.sample:
        params |= {"sample": str(link.sample), "sample_seed": str(link.sample_seed)}
    if link.present:
        params["present"] = "1"
    if link.hidden:
        params["hide"] = ",".join(name for name in HIDEABLE if name in link.hidden)
    if link.lesson is not None:
        params |= {"lesson": link.lesson[0], "step": str(link.lesson[1])}
    return params


def without_means(link: Link) -> Link:
    """``link`` starting from the default initialisation instead of its picked means."""
    return replace(link, settings=replace(link.settings, init=DEFAULT_SETTINGS.init, means=None))
