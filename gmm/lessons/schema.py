"""Lessons as data: the schema of a lesson file, and reading one without a traceback.

A lesson is a TOML file in ``assets/lessons/`` (read with the standard library's
``tomllib``). A teacher adds one without touching Python::

    title = "What a responsibility is"
    summary = "One sentence for the list of lessons."
    order = 1                      # place in the list
    sources = ["Bishop, PRML (2006), §9.2"]   # optional citations

    [setting]                      # the run every step starts from
    data = { builtin = "Old Faithful", standardise = true }
    k = 2
    init = "explicit"              # any of gmm.init's methods
    means = [[-1.5, 1.0], [1.5, -1.0]]
    show = 0                       # the half-step to open at (0 = the initialisation)

    [[step]]
    title = "Predict a colour"
    narration = "A few sentences."
    action = "e_step"              # what the learner's button does (see ACTIONS)
    point = 17                     # optional: the point at the arrow
    [step.question]                # optional: asked BEFORE the action
    kind = "colour_after_e"        # see gmm.lessons.answers.KINDS
    ask = "Which colour will the point at the arrow take?"

A step with its own ``[step.setting]`` starts a new run from the lesson's setting with
those fields changed; a step without one carries on from where the previous step left
the run. The answer of a question is never written in the file: the options and the
right one come from the engine (:mod:`gmm.lessons.answers`).

Data are ``{ builtin = name }``, ``{ generate = kind, n, k, dim, seed }`` (the sidebar's
generator) or ``{ file = "data/x.csv" }`` (relative to the lesson file), each with an
optional ``standardise``.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from gmm.checks import INIT_METHODS

#: What a step's button can do, and its label.
ACTIONS = {
    "none": "Next",
    "e_step": "E-step",
    "m_step": "M-step",
    "step": "E-step + M-step",
    "iterations": "Run {iterations} iterations",
    "run": "Run EM to convergence",
    "restarts": "Run {restarts} restarts",
    "sweep": "Fit K = {k_first} … {k_last} and compute BIC",
    "point": "Show the arithmetic of the point at the arrow",
}
#: The fields of a setting and their types (a number may be written as an int).
SETTING_FIELDS = {
    "data": dict,
    "k": int,
    "init": str,
    "seed": int,
    "means": list,
    "covariance_scale": float,
    "reg_covar": float,
    "tol": float,
    "max_iter": int,
    "show": int,
}
DATA_KINDS = ("builtin", "generate", "file")


class LessonError(ValueError):
    """A lesson file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class DataSpec:
    """Where a lesson's data come from.

    Attributes
    ----------
    kind : {'builtin', 'generate', 'file'}
    name : str
        The built-in name, the generator kind, or the CSV file's path (absolute).
    n, k, dim, seed : int
        The generator's arguments (``generate`` only).
    standardise : bool
    """

    kind: str
    name: str
    n: int = 0
    k: int = 0
    dim: int = 2
    seed: int = 0
    standardise: bool = False

    @property
    def source_key(self) -> tuple:
        """The key the sidebar gives these data (``data_source`` in the app)."""
        if self.kind == "builtin":
            return ("builtin", self.name)
        if self.kind == "generate":
            return ("generate", self.name, self.n, self.k, self.dim, self.seed)
        return ("lesson", Path(self.name).name)


@dataclass(frozen=True)
class Setting:
    """A run: its data, its EM settings and the half-step to open at.

    ``covariance_scale`` (with ``init = 'explicit'``) starts every component with the
    covariance ``covariance_scale × I`` instead of the data's covariance, as Bishop's
    figure 9.8 does (precisions proportional to the identity).
    """

    data: DataSpec
    k: int = 2
    init: str = "kmeans"
    seed: int = 0
    means: tuple[tuple[float, ...], ...] | None = None
    covariance_scale: float | None = None
    reg_covar: float = 1e-6
    tol: float = 1e-3
    max_iter: int = 100
    show: int = 0


@dataclass(frozen=True)
class Question:
    """A multiple-choice question, asked before the step's action.

    Attributes
    ----------
    kind : str
        Which fact of the engine answers it (:data:`gmm.lessons.answers.KINDS`).
    ask : str
        The question as the learner reads it.
    explain : str
        Optional words added to the engine's explanation once it is revealed.
    other_seed : int or None
        ``same_solution``: the seed of the run to compare with.
    k_low, k_high : int or None
        ``loglik_grows_with_k``: the two K compared.
    """

    kind: str
    ask: str
    explain: str = ""
    other_seed: int | None = None
    k_low: int | None = None
    k_high: int | None = None


@dataclass(frozen=True)
class Step:
    """One step of a lesson.

    Attributes
    ----------
    title, narration : str
    action : str
        A key of :data:`ACTIONS`.
    setting : Setting or None
        A new run for this step, or None to carry on with the previous step's run.
    point : int or None
        The point at the arrow.
    question : Question or None
    iterations, restarts : int
        For the ``iterations`` and ``restarts`` actions.
    k_values : tuple of int
        For the ``sweep`` action and the K questions.
    small_multiples : tuple of int
        Iterations L to show side by side once the action is done (Bishop's 1, 2, 5, 20).
    hide_data_name : bool
        Keep the data's name (which may say the true K) hidden until the question is
        answered.
    """

    title: str
    narration: str
    action: str = "none"
    setting: Setting | None = None
    point: int | None = None
    question: Question | None = None
    iterations: int = 1
    restarts: int = 10
    k_values: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
    small_multiples: tuple[int, ...] = ()
    hide_data_name: bool = False

    @property
    def button(self) -> str:
        """The label of the step's action button."""
        if self.action == "none":
            return "Check my answer" if self.question is not None else "Next"
        return ACTIONS[self.action].format(
            iterations=self.iterations,
            restarts=self.restarts,
            k_first=self.k_values[0],
            k_last=self.k_values[-1],
        )


@dataclass(frozen=True)
class Lesson:
    """A lesson: its steps, each with a setting to run (the first step always has one)."""

    slug: str
    title: str
    summary: str
    steps: tuple[Step, ...]
    order: int = 0
    sources: tuple[str, ...] = ()
    path: Path | None = field(default=None, compare=False)


# ----------------------------------------------------------------------------- reading
class _Reader:
    """Checks one file's fields, naming the file and the field in every message."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, message: str):
        raise LessonError(f"{self.path.name}: {where}: {message}")

    def get(self, table: dict, key: str, kind, where: str, default=dataclasses.MISSING):
        if key not in table:
            if default is dataclasses.MISSING:
                self.fail(where, f"the field '{key}' is missing.")
            return default
        value = table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            self.fail(
                f"{where}.{key}", f"expected {kind.__name__}, got {type(value).__name__} {value!r}."
            )
        return value

    def unknown(self, table: dict, allowed, where: str) -> None:
        extra = sorted(set(table) - set(allowed))
        if extra:
            self.fail(where, f"unknown field(s) {', '.join(extra)}; allowed: {', '.join(allowed)}.")


def _data(reader: _Reader, table: dict, where: str) -> DataSpec:
    kinds = [k for k in DATA_KINDS if k in table]
    if len(kinds) != 1:
        reader.fail(where, f"give exactly one of {', '.join(DATA_KINDS)}.")
    kind = kinds[0]
    allowed = {
        "builtin": ("builtin", "standardise"),
        "generate": ("generate", "n", "k", "dim", "seed", "standardise"),
        "file": ("file", "standardise"),
    }[kind]
    reader.unknown(table, allowed, where)
    name = reader.get(table, kind, str, where)
    standardise = reader.get(table, "standardise", bool, where, False)
    if kind == "file":
        resolved = (reader.path.parent / name).resolve()
        if not resolved.is_file():
            reader.fail(f"{where}.file", f"no file {name} next to the lesson.")
        return DataSpec("file", str(resolved), standardise=standardise)
    if kind == "generate":
        numbers = {f: reader.get(table, f, int, where) for f in ("n", "k", "dim", "seed")}
        return DataSpec("generate", name, standardise=standardise, **numbers)
    return DataSpec("builtin", name, standardise=standardise)


def _setting(reader: _Reader, table, where: str, base: Setting | None) -> Setting:
    if not isinstance(table, dict):
        reader.fail(where, "expected a table of settings.")
    reader.unknown(table, SETTING_FIELDS, where)
    changes = {}
    for key, kind in SETTING_FIELDS.items():
        if key in table:
            changes[key] = reader.get(table, key, kind, where)
    if "data" in changes:
        changes["data"] = _data(reader, changes["data"], f"{where}.data")
    elif base is None:
        reader.fail(where, "the field 'data' is missing.")
    if "means" in changes:
        try:
            changes["means"] = tuple(tuple(float(v) for v in row) for row in changes["means"])
        except (TypeError, ValueError):
            reader.fail(f"{where}.means", "expected a list of lists of numbers.")
    setting = dataclasses.replace(base, **changes) if base else Setting(**changes)
    if setting.init not in INIT_METHODS:
        reader.fail(f"{where}.init", f"{setting.init!r} is not one of {', '.join(INIT_METHODS)}.")
    if setting.init == "explicit" and (setting.means is None or len(setting.means) != setting.k):
        reader.fail(f"{where}.means", f"'explicit' needs {setting.k} starting means (one per K).")
    if setting.covariance_scale is not None and setting.init != "explicit":
        reader.fail(f"{where}.covariance_scale", "only with init = 'explicit'.")
    if setting.show < 0 or setting.k < 1:
        reader.fail(where, "show must be 0 or more and k at least 1.")
    return setting


_QUESTION_FIELDS = ("kind", "ask", "explain", "other_seed", "k_low", "k_high")
_STEP_FIELDS = (
    "title",
    "narration",
    "action",
    "setting",
    "point",
    "question",
    "iterations",
    "restarts",
    "k_values",
    "small_multiples",
    "hide_data_name",
)


def _question(reader: _Reader, table, where: str) -> Question:
    from gmm.lessons.answers import KINDS  # the kinds live with the code that answers them

    if not isinstance(table, dict):
        reader.fail(where, "expected a table.")
    reader.unknown(table, _QUESTION_FIELDS, where)
    kind = reader.get(table, "kind", str, where)
    if kind not in KINDS:
        reader.fail(f"{where}.kind", f"{kind!r} is not one of {', '.join(KINDS)}.")
    optional = {f: reader.get(table, f, int, where, None) for f in _QUESTION_FIELDS[3:]}
    return Question(
        kind,
        reader.get(table, "ask", str, where),
        reader.get(table, "explain", str, where, ""),
        **optional,
    )


def _step(reader: _Reader, table, where: str, lesson_setting: Setting, first: bool) -> Step:
    if not isinstance(table, dict):
        reader.fail(where, "expected a table.")
    reader.unknown(table, _STEP_FIELDS, where)
    action = reader.get(table, "action", str, where, "none")
    if action not in ACTIONS:
        reader.fail(f"{where}.action", f"{action!r} is not one of {', '.join(ACTIONS)}.")
    setting = None
    if "setting" in table:
        setting = _setting(reader, table["setting"], f"{where}.setting", lesson_setting)
    elif first:
        setting = lesson_setting
    lists = {}
    for key in ("k_values", "small_multiples"):
        values = reader.get(table, key, list, where, None)
        if values is not None:
            if not values or not all(isinstance(v, int) and v >= 0 for v in values):
                reader.fail(f"{where}.{key}", "expected a list of whole numbers.")
            lists[key] = tuple(values)
    question = None
    if "question" in table:
        question = _question(reader, table["question"], f"{where}.question")
    point = reader.get(table, "point", int, where, None)
    if question is not None:
        _check_question(reader, question, action, point, lists, where)
    return Step(
        title=reader.get(table, "title", str, where),
        narration=reader.get(table, "narration", str, where),
        action=action,
        setting=setting,
        point=point,
        question=question,
        iterations=reader.get(table, "iterations", int, where, 1),
        restarts=reader.get(table, "restarts", int, where, 10),
        hide_data_name=reader.get(table, "hide_data_name", bool, where, False),
        **lists,
    )


def _check_question(reader, question: Question, action: str, point, lists, where: str) -> None:
    """What a kind of question needs from its step: an action, a point, two K, a seed."""
    from gmm.lessons.answers import KINDS

    needed = KINDS[question.kind][2]
    if needed is not None and action != needed:
        reader.fail(f"{where}.action", f"a {question.kind} question needs action = '{needed}'.")
    if question.kind == "colour_after_e" and point is None:
        reader.fail(f"{where}.point", "a colour question needs the point at the arrow.")
    if question.kind == "same_solution" and question.other_seed is None:
        reader.fail(f"{where}.question.other_seed", "same_solution needs the seed to compare.")
    k_values = lists.get("k_values", Step.k_values)
    if question.kind == "loglik_grows_with_k" and not {question.k_low, question.k_high} <= set(
        k_values
    ):
        reader.fail(f"{where}.question", "k_low and k_high must be among the step's k_values.")


def load_lesson(path) -> Lesson:
    """Read and check one lesson file.

    Raises
    ------
    LessonError
        With the file's name and the field at fault: bad TOML, a missing or unknown
        field, a value of the wrong type, an unknown action or question kind.
    """
    path = Path(path)
    reader = _Reader(path)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        reader.fail("file", f"cannot be read ({error}).")
    except tomllib.TOMLDecodeError as error:
        reader.fail("TOML", f"{error}.")
    reader.unknown(table, ("title", "summary", "order", "sources", "setting", "step"), "top")
    lesson_setting = _setting(reader, reader.get(table, "setting", dict, "top"), "setting", None)
    steps = reader.get(table, "step", list, "top")
    if not 3 <= len(steps) <= 8:
        reader.fail("step", f"a lesson has 3 to 8 steps; this one has {len(steps)}.")
    sources = reader.get(table, "sources", list, "top", [])
    if not all(isinstance(s, str) for s in sources):
        reader.fail("sources", "expected a list of strings.")
    return Lesson(
        slug=path.stem,
        title=reader.get(table, "title", str, "top"),
        summary=reader.get(table, "summary", str, "top"),
        steps=tuple(
            _step(reader, s, f"step {i + 1}", lesson_setting, i == 0) for i, s in enumerate(steps)
        ),
        order=reader.get(table, "order", int, "top", 0),
        sources=tuple(sources),
        path=path,
    )


def load_lessons(folder) -> tuple[list[Lesson], list[str]]:
    """Every ``*.toml`` lesson in ``folder``, in their ``order``, and the messages of the
    files that could not be used (so one bad file does not hide the others)."""
    lessons, problems = [], []
    for path in sorted(Path(folder).glob("*.toml")):
        try:
            lessons.append(load_lesson(path))
        except LessonError as error:
            problems.append(str(error))
    return sorted(lessons, key=lambda lesson: (lesson.order, lesson.slug)), problems
