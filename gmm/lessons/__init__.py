"""Guided lessons: lesson files (TOML) read and checked, their runs, and the answers to
their questions computed by the engine. No Streamlit here: the Learn page draws them."""

from gmm.lessons.answers import KINDS, Context, Verdict, judge, options, recovered_share
from gmm.lessons.progress import LessonProgress
from gmm.lessons.runs import Outcome, lesson_dataset, perform, run_settings, start_run
from gmm.lessons.schema import (
    ACTIONS,
    DataSpec,
    Lesson,
    LessonError,
    Question,
    Setting,
    Step,
    load_lesson,
    load_lessons,
)

__all__ = [
    "ACTIONS",
    "KINDS",
    "Context",
    "DataSpec",
    "Lesson",
    "LessonError",
    "LessonProgress",
    "Outcome",
    "Question",
    "Setting",
    "Step",
    "Verdict",
    "judge",
    "lesson_dataset",
    "load_lesson",
    "load_lessons",
    "options",
    "perform",
    "recovered_share",
    "run_settings",
    "start_run",
]
