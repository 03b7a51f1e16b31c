"""A learner's way through one lesson: the step, its run, the answer chosen, the reveal.

:class:`LessonProgress` is plain Python (no Streamlit), so that the page and the tests
walk a lesson the same way:

1. :meth:`LessonProgress.enter` opens a step: a step with its own setting starts a new
   run, taken to its half-step ``show``; otherwise the previous step's run carries on.
2. :meth:`LessonProgress.options` lists the question's options, before anything moves.
3. :meth:`LessonProgress.act` does the step's action (on a copy of the run) and, if there
   is a question, judges the learner's choice against what the engine did.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gmm.data import Dataset
from gmm.stepper import EMStepper

from .answers import Context, Verdict, judge, options
from .runs import Outcome, lesson_dataset, perform, start_run
from .schema import Lesson, Setting, Step


@dataclass(eq=False)
class LessonProgress:
    """Where a learner is in a lesson.

    Attributes
    ----------
    lesson : Lesson
    index : int
        The step on screen (0-based).
    setting : Setting
        The setting of the run on screen.
    dataset : Dataset
    stepper : EMStepper
        The run before the step's action.
    outcome : Outcome or None
        What the action did, once done.
    choice : int or None
        The option the learner chose (before the action).
    verdict : Verdict or None
        The engine's answer, once revealed.
    history : list
        (setting, dataset, stepper) at the start of every earlier step, for Back.
    """

    lesson: Lesson
    index: int = 0
    setting: Setting | None = None
    dataset: Dataset | None = None
    stepper: EMStepper | None = None
    outcome: Outcome | None = None
    choice: int | None = None
    verdict: Verdict | None = None
    history: list = field(default_factory=list)

    @classmethod
    def begin(cls, lesson: Lesson) -> LessonProgress:
        """The lesson at its first step."""
        progress = cls(lesson)
        progress.enter(0)
        return progress

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.index]

    @property
    def done(self) -> bool:
        """Whether the step's action has been taken."""
        return self.outcome is not None

    @property
    def last(self) -> bool:
        return self.index == len(self.lesson.steps) - 1

    @property
    def shown(self) -> EMStepper:
        """The run to draw: after the action once taken, else before it."""
        return self.outcome.stepper if self.outcome is not None else self.stepper

    def context(self) -> Context:
        return Context(self.step.question, self.step, self.stepper, self.setting, self.dataset)

    def enter(self, index: int) -> None:
        """Open step ``index``: a new run for a step with a setting, else carry on."""
        step = self.lesson.steps[index]
        if step.setting is not None:
            if self.setting is None or step.setting.data != self.setting.data:
                self.dataset = lesson_dataset(step.setting.data)
            self.setting = step.setting
            self.stepper = start_run(step.setting, self.dataset.X)
        elif self.outcome is not None:
            self.stepper = self.outcome.stepper
        self.index, self.outcome, self.choice, self.verdict = index, None, None, None
        self._done_if_nothing_to_do()

    def _done_if_nothing_to_do(self) -> None:
        """A step with no action and no question is done as soon as it is opened."""
        if self.step.action == "none" and self.step.question is None:
            self.act()

    def options(self) -> tuple[str, ...]:
        """The question's options (empty without a question)."""
        return options(self.context()) if self.step.question is not None else ()

    def act(self, choice: int | None = None) -> Outcome:
        """Take the step's action; with a question, ``choice`` is the learner's answer,
        given before the action, and the engine's verdict is kept."""
        if self.step.question is not None and choice is None:
            raise ValueError("Answer the question first: the app reveals after you predict.")
        self.choice = choice
        self.outcome = perform(self.step, self.stepper, self.setting)
        if self.step.question is not None:
            self.verdict = judge(self.context(), self.outcome)
        return self.outcome

    def next(self) -> None:
        """On to the next step (after the action)."""
        self.history.append((self.setting, self.dataset, self.stepper))
        self.enter(self.index + 1)

    def skip_to(self, index: int) -> None:
        """Open step ``index`` (a link to a lesson step): the earlier steps' actions are
        taken, their questions left unanswered. ``index`` past the last step opens the
        last one."""
        index = min(max(index, 0), len(self.lesson.steps) - 1)
        while self.index < index:
            if not self.done:
                self.outcome = perform(self.step, self.stepper, self.setting)
            self.next()

    def back(self) -> None:
        """Back to the start of the previous step."""
        if not self.history:
            return
        self.setting, self.dataset, self.stepper = self.history.pop()
        self.outcome = None
        self.index, self.choice, self.verdict = self.index - 1, None, None
        self._done_if_nothing_to_do()
