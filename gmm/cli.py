"""The command line, ``python -m gmm``: fit a mixture, choose K, animate a run.

::

    python -m gmm fit FILE.csv --k 3 [--covariance full] [--init kmeans] [--seed 0]
                               [--columns a,b] [--standardise] [--out run.json]
    python -m gmm select FILE.csv --k 1-8 [--covariance full,tied] [--restarts 3]
    python -m gmm animate FILE.csv --k 3 --out em.html
    python -m gmm fit --builtin old-faithful --k 2

Every command has ``--help``. The data are read with the app's loader
(:func:`gmm.data.load_csv`), so a messy file gets the same messages as an upload.
Results go to standard output; a problem is one line on standard error, never a
traceback, with exit status 2 for a usage mistake (an unknown option, a bad K range) and
1 for data that cannot be used (a missing file, an unknown column, K larger than the
data). Long runs report their progress on standard error when it is a terminal, or with
``--progress``.

Built on :mod:`argparse` from the standard library: the commands are few and flat, and
the engine's only dependencies stay NumPy, SciPy and pandas. Plotly is imported only by
``animate`` (through :mod:`gmm.animation`).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from gmm.animation import ANIMATED_DIMENSIONS
from gmm.checks import COVARIANCE_TYPES, SEEDED_INIT_METHODS
from gmm.data import Dataset, builtin_dataset, load_csv
from gmm.data.builtin import BUILTIN_DATASETS
from gmm.errors import DataError
from gmm.export import parameter_frame, run_to_json
from gmm.params import describe_covariance
from gmm.run import RunSettings
from gmm.selection import aic, bic, n_parameters
from gmm.status import describe
from gmm.stepper import EMStepper
from gmm.sweep import SweepResult, fit_sweep

PROGRAM = "python -m gmm"
#: Built-in data sets by their command-line name: "old-faithful", "iris".
BUILTIN_NAMES = {name.lower().replace(" ", "-"): name for name in BUILTIN_DATASETS}


class UsageError(Exception):
    """A mistake in the command line itself (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, with a mistake reported as one line (not the usage block) and no exit."""

    def error(self, message: str):
        raise UsageError(f"{self.prog}: error: {message} (see `{self.prog} --help`)")


# ============================================================ argument types
def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def _k_range(text: str) -> tuple[int, ...]:
    """``"1-8"``, ``"2,4,6"`` or ``"1-3,6"`` as the K values, sorted."""
    values: set[int] = set()
    for part in text.split(","):
        low, dash, high = part.strip().partition("-")
        try:
            first, last = int(low), int(high if dash else low)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a K range; write e.g. 1-8, 2,4,6 or 1-3,6"
            ) from None
        if first < 1 or last < first:
            raise argparse.ArgumentTypeError(
                f"{part.strip()!r}: K runs from 1 up, low to high (e.g. 1-8)"
            )
        values.update(range(first, last + 1))
    return tuple(sorted(values))


def _names(choices: Sequence[str]):
    """A comma-separated list of names among ``choices``."""

    def parse(text: str) -> tuple[str, ...]:
        names = tuple(n.strip() for n in text.split(",") if n.strip())
        unknown = [n for n in names if n not in choices]
        if unknown or not names:
            raise argparse.ArgumentTypeError(
                f"{text!r}: choose among {', '.join(choices)} (comma-separated)"
            )
        return names

    return parse


def _columns(text: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(","))
    if not all(names):
        raise argparse.ArgumentTypeError(f"{text!r}: name the columns, comma-separated (a,b)")
    return names


# ================================================================= the parser
def _data_options() -> argparse.ArgumentParser:
    options = _Parser(add_help=False)
    group = options.add_argument_group("data")
    group.add_argument("file", nargs="?", type=Path, help="a CSV file (or use --builtin)")
    group.add_argument(
        "--builtin",
        choices=sorted(BUILTIN_NAMES),
        help="a built-in data set instead of a file",
    )
    group.add_argument(
        "--columns",
        type=_columns,
        help="the columns EM uses, comma-separated (default: the first two numeric ones)",
    )
    group.add_argument(
        "--standardise",
        action="store_true",
        help="centre each column and scale it to unit variance",
    )
    return options


def _run_options(*, many: bool) -> argparse.ArgumentParser:
    options = _Parser(add_help=False)
    group = options.add_argument_group("EM")
    if many:
        group.add_argument(
            "--k",
            type=_k_range,
            required=True,
            help="the numbers of components to try: 1-8, 2,4,6 or 1-3,6",
        )
        group.add_argument(
            "--covariance",
            type=_names(COVARIANCE_TYPES),
            default=COVARIANCE_TYPES,
            help=f"covariance types to try, comma-separated (default: {','.join(COVARIANCE_TYPES)})",
        )
        group.add_argument(
            "--restarts", type=_positive_int, default=3, help="EM runs per fit (default 3)"
        )
    else:
        group.add_argument(
            "--k", type=_positive_int, required=True, help="the number of components"
        )
        group.add_argument(
            "--covariance",
            choices=COVARIANCE_TYPES,
            default="full",
            help="covariance type (default full)",
        )
    group.add_argument(
        "--init",
        choices=SEEDED_INIT_METHODS,
        default="kmeans",
        help="initialisation (default kmeans)",
    )
    group.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    group.add_argument(
        "--reg-covar", type=float, default=1e-6, help="added to the covariances' diagonal"
    )
    group.add_argument("--tol", type=float, default=1e-3, help="convergence threshold")
    group.add_argument(
        "--max-iter",
        type=int,
        default=200 if many else 100,
        help="most EM iterations per run",
    )
    group.add_argument(
        "--progress",
        action="store_true",
        help="report progress on standard error (on by default in a terminal)",
    )
    return options


#: For each command: whether it tries many K, its line in ``--help``, its description.
_COMMAND_WORDS = {
    "fit": (
        False,
        "fit one mixture; print its parameters, log-likelihood, BIC and AIC",
        "Fit one Gaussian mixture by EM and print its parameters, log-likelihood, BIC "
        "and AIC (lower is better).",
    ),
    "select": (
        True,
        "fit every K and covariance type; print the BIC/AIC table and the choice",
        "Fit every K and covariance type (the best of a few restarts each) and print BIC "
        "and AIC (lower is better) and the model each one chooses.",
    ),
    "animate": (
        False,
        "write the run as one HTML animation that plays offline",
        "Fit one mixture on one to three columns and write the whole run as one self-contained "
        "HTML file (plotly.js inside) that plays with no network.",
    ),
}


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m gmm`` and its three commands."""
    parser = _Parser(
        prog=PROGRAM,
        description="Gaussian mixtures fitted by EM: fit one, choose K, animate a run.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    data = _data_options()
    made = {
        name: commands.add_parser(
            name,
            parents=[data, _run_options(many=many)],
            help=summary,
            description=description,
        )
        for name, (many, summary, description) in _COMMAND_WORDS.items()
    }
    made["fit"].add_argument(
        "--out", type=Path, help="write the whole run (every half-step) as JSON"
    )
    animate = made["animate"]
    animate.add_argument(
        "--out", type=Path, required=True, help="the HTML file to write (e.g. em.html)"
    )
    animate.add_argument(
        "--max-points",
        type=_positive_int,
        default=20_000,
        help="draw at most this many points, a seeded subset (default 20000)",
    )
    return parser


# ====================================================================== data
def load_dataset(args: argparse.Namespace) -> Dataset:
    """The data the command line names, with its columns and standardisation.

    Raises
    ------
    UsageError
        Neither or both of a file and ``--builtin``.
    DataError
        A file that cannot be read, or columns that are not in it.
    """
    if (args.file is None) == (args.builtin is None):
        which = "not both" if args.file is not None else "one of them"
        raise UsageError(
            f"{PROGRAM} {args.command}: error: give a CSV file or --builtin NAME, {which}"
        )
    if args.builtin is not None:
        name = BUILTIN_NAMES[args.builtin]
        frame, notes, shown = builtin_dataset(name), (), name
    else:
        frame, notes = load_csv(args.file)
        shown = args.file.name
    dataset = Dataset.from_frame(shown, frame, notes=notes, columns=args.columns)
    return dataset.with_standardisation(args.standardise)


def _em_settings(args: argparse.Namespace) -> dict:
    """The settings every run takes, whatever K: init, seed, reg_covar, tol, max_iter."""
    names = ("init", "seed", "reg_covar", "tol", "max_iter")
    return {name: getattr(args, name) for name in names}


def _settings(args: argparse.Namespace) -> RunSettings:
    return RunSettings(n_components=args.k, covariance_type=args.covariance, **_em_settings(args))


def _progress(args: argparse.Namespace, what: str):
    """A progress callback writing one updating line on standard error, or None."""
    if not (args.progress or sys.stderr.isatty()):
        return None
    ending = "\r" if sys.stderr.isatty() else "\n"

    def report(done: int, total: int, label: str) -> None:
        print(f"{what}: {done} of {total} · {label}", end=ending, file=sys.stderr, flush=True)
        if done >= total and ending == "\r":
            print(file=sys.stderr)

    return report


def _run(args: argparse.Namespace, dataset: Dataset) -> tuple[RunSettings, EMStepper]:
    settings = _settings(args)
    stepper = settings.start(dataset.X)
    stepper.run(progress=_progress(args, "EM iterations"))
    return settings, stepper


def _describe_data(dataset: Dataset) -> str:
    standardised = ", standardised" if dataset.standardised else ""
    return (
        f"Data: {dataset.name}, {dataset.n_samples:,} points, "
        f"columns {' × '.join(dataset.columns)}{standardised}"
    )


def _check_out(path: Path | None) -> None:
    """Refuse, before any work, an output file whose folder does not exist."""
    if path is not None and not path.absolute().parent.is_dir():
        raise DataError(f"Could not write {path}: the folder {path.parent} does not exist.")


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise DataError(f"Could not write {path}: {error.strerror or error}.") from None


# ================================================================== commands
def fit(args: argparse.Namespace) -> None:
    """``fit``: one run; its parameters, log-likelihood, BIC and AIC."""
    _check_out(args.out)
    dataset = load_dataset(args)
    settings, stepper = _run(args, dataset)
    if args.out is not None:  # before printing: a failure is then the only output
        _write(args.out, run_to_json(stepper, settings.to_dict(), dataset.describe()))
    params = stepper.current.params
    log_likelihood = stepper.current.log_likelihood
    p = n_parameters(params.n_components, dataset.n_features, settings.covariance_type)
    print(_describe_data(dataset))
    for note in dataset.notes:
        print(f"Note: {note}")
    print(
        f"Model: K = {settings.n_components}, {describe_covariance(settings.covariance_type)}"
        f" covariances, init {settings.init}, seed {settings.seed}"
    )
    print(f"Status: {describe(stepper).text()}")
    if stepper.halted is not None:
        print(f"Warning: {stepper.halted}")
    print(f"Iterations: {stepper.iterations_done}")
    print(f"log-likelihood: {log_likelihood:.6f}")
    print(f"BIC: {bic(log_likelihood, p, dataset.n_samples):.4f}  (lower is better)")
    print(f"AIC: {aic(log_likelihood, p):.4f}  (lower is better)")
    print(f"Free parameters: {p}")
    print()
    frame = parameter_frame(params, dataset.axis_labels)
    print(frame.to_string(float_format=lambda v: f"{v:.6g}"))
    if args.out is not None:
        print(f"\nWrote the run ({len(stepper.snapshots)} half-steps) to {args.out}")


def _sweep_table(result: SweepResult) -> str:
    """The sweep as a text table, one row per fit, best by BIC marked."""
    best_bic, best_aic = result.best("bic"), result.best("aic")
    header = f"{'K':>3}  {'covariance':<10} {'p':>5} {'log-likelihood':>16} {'BIC':>14} {'AIC':>14}"
    lines = [header, "-" * len(header)]
    for row in result.rows:
        marks = "".join(
            mark for mark, best in ((" ← BIC", best_bic), (" ← AIC", best_aic)) if row is best
        )
        values = "".join(
            f" {'—':>14}" if np.isnan(v) else f" {v:>14.3f}" for v in (row.bic, row.aic)
        )
        loglik = f"{'—':>16}" if row.degenerate else f"{row.log_likelihood:>16.3f}"
        note = f"  ({row.note})" if row.note else ""
        lines.append(
            f"{row.n_components:>3}  {row.covariance_type:<10} {row.n_parameters:>5} "
            f"{loglik}{values}{marks}{note}"
        )
    return "\n".join(lines)


def select(args: argparse.Namespace) -> None:
    """``select``: every K and covariance type; the BIC/AIC table and the choice."""
    dataset = load_dataset(args)
    result = fit_sweep(
        dataset.X,
        args.k,
        args.covariance,
        n_restarts=args.restarts,
        progress=_progress(args, "fits"),
        **_em_settings(args),
    )
    print(_describe_data(dataset))
    print(
        f"Each fit: the best of {result.n_restarts} run(s) from init {result.init}, "
        f"seed {result.seed}. Lower BIC and AIC are better."
    )
    print()
    print(_sweep_table(result))
    print()
    for criterion in ("bic", "aic"):
        best = result.best(criterion)
        if best is None:
            print(f"Choice by {criterion.upper()}: none (no fit was usable)")
        else:
            print(
                f"Choice by {criterion.upper()}: K = {best.n_components}, "
                f"{best.covariance_type} ({criterion.upper()} {best.score(criterion):.3f}, "
                f"seed {best.seed})"
            )


def animate(args: argparse.Namespace) -> None:
    """``animate``: one run, written as a standalone HTML animation."""
    if importlib.util.find_spec("plotly") is None:  # the figures need it; the engine not
        raise DataError(
            "animate needs Plotly, which is not installed: pip install 'gmm-explorer[app]'"
        )
    from gmm.animation import run_animation  # Plotly only for this command

    _check_out(args.out)
    dataset = load_dataset(args)
    if dataset.n_features not in ANIMATED_DIMENSIONS:
        raise UsageError(
            f"{PROGRAM} animate: error: the animation draws one to three columns, not "
            f"{dataset.n_features}; name them with --columns (this data set has "
            f"{', '.join(dataset.frame.columns)})"
        )
    settings, stepper = _run(args, dataset)
    page = run_animation(stepper, dataset, settings, max_points=args.max_points)
    _write(args.out, page)
    print(_describe_data(dataset))
    print(f"Status: {describe(stepper).text()}")
    print(
        f"Wrote {args.out}: {len(stepper.snapshots)} half-steps, "
        f"{len(page.encode('utf-8')) / 1e6:.2f} MB; open it in a browser (no network needed)"
    )


def _one_line(message: str) -> str:
    return " ".join(message.split())


COMMANDS = {"fit": fit, "select": select, "animate": animate}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m gmm`` with ``argv`` (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 for data that cannot be used, 2 for a usage mistake,
        130 when interrupted.
    """
    parser = build_parser()
    args = None
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        COMMANDS[args.command](args)
        sys.stdout.flush()  # a closed pipe fails here, where it is caught, not at exit
    except UsageError as error:
        print(_one_line(str(error)), file=sys.stderr)
        return 2
    except (DataError, ValueError) as error:
        command = f"{PROGRAM} {getattr(args, 'command', None) or ''}".rstrip()
        print(_one_line(f"{command}: error: {error}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROGRAM}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader left (`| head`): stop quietly, as Python's docs advise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0
