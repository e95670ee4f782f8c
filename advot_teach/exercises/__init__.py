"""Exercises with checkers and solutions that load on demand.

Every notebook's exercises live in one module ``advot_teach.exercises.nbXX``
that registers them with :func:`register`.  A learner calls::

    from advot_teach.exercises import check, solution
    check("01.1", my_answer)     # prints "Correct" or a hint, never a traceback
    solution("01.1")             # a collapsed block; click to reveal the code

A checker returns None for a right answer and a hint otherwise; anything it
calls may also stop it with ``raise Hint("...")``.  For answers that are
functions, :func:`function_results` runs the usual loop (is it a function?
call it on copies of each case, did it return None?) so a checker only
compares values::

    @register("05.1", "The smallest measure above every attacked class")
    def check_upper_envelope(answer):
        for (A,), value in function_results(answer, "barycenter_mass", cases):
            if not np.isclose(value, A.max(axis=0).sum()):
                return "take the largest class mass at every location"
        return None

The course's tests run every checker on its stored solution (it must pass)
and on a wrong answer made from it (it must give a hint), so a checker that
cannot fail is caught.

Solutions are plain Python files in ``advot_teach/exercises/solutions/``
named ``<id with '.' replaced by '_'>.py`` (e.g. ``01_1.py``), so they can also
be loaded into a cell with ``%load`` and are tested like any other code.
"""
from __future__ import annotations

import html
import importlib
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

__all__ = ["Exercise", "Hint", "NONE_HINT", "register", "check", "function_results", "solution", "solution_code",
           "exercise_ids"]

_SOLUTIONS_DIR = Path(__file__).with_name("solutions")
_REGISTRY: dict[str, "Exercise"] = {}


@dataclass(frozen=True)
class Exercise:
    """One exercise.

    Parameters
    ----------
    id : str
        ``"NN.k"``: notebook number and exercise number, e.g. ``"04.2"``.
    title : str
        Short title shown with the verdict.
    checker : callable
        ``checker(answer) -> str | None``: ``None`` when the answer is right,
        otherwise a hint for the learner.  It may raise; :func:`check` turns
        any exception into a hint.
    """

    id: str
    title: str
    checker: Callable[[Any], "str | None"]


def register(id: str, title: str):
    """Decorator: register ``checker`` as the checker of exercise ``id``."""

    def wrap(checker):
        _REGISTRY[id] = Exercise(id, title, checker)
        return checker

    return wrap


NONE_HINT = "your function returns None: write its body and `return` the value."


class Hint(Exception):
    """Raised inside a checker (or a helper it calls) to stop with this hint for the learner."""


def function_results(answer, name, cases, convert=float):
    """Call a learner's function on every case; yield ``(case, result)``.

    Parameters
    ----------
    answer : object
        The learner's answer, expected to be a function.
    name : str
        The function's name in the notebook, for the hint.
    cases : iterable of tuple
        Argument tuples; arrays are copied first, since a learner's function
        may modify its inputs in place.
    convert : callable or None
        Applied to each result (default ``float``); None keeps it as it is.

    Raises
    ------
    Hint
        If ``answer`` is not callable or returns None.
    """
    if not callable(answer):
        raise Hint(f"answer with the function itself, e.g. `answer = {name}` (no parentheses).")
    for case in cases:
        result = answer(*(a.copy() if hasattr(a, "copy") else a for a in case))
        if result is None:
            raise Hint(NONE_HINT)
        yield case, (result if convert is None else convert(result))


def _load_all() -> None:
    # Exercise modules register themselves on import; load them lazily so that
    # importing advot_teach stays cheap.
    for path in sorted(Path(__file__).parent.glob("nb*.py")):
        importlib.import_module(f"{__name__}.{path.stem}")


def _get(id: str) -> Exercise:
    if not isinstance(id, str):
        raise TypeError(f"exercise id must be a string like '04.2', got {type(id).__name__}")
    if id not in _REGISTRY:
        _load_all()
    if id not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise ValueError(f"unknown exercise id {id!r}; known ids: {known}")
    return _REGISTRY[id]


def exercise_ids() -> list[str]:
    """All registered exercise ids, sorted."""
    _load_all()
    return sorted(_REGISTRY)


@dataclass(frozen=True)
class Verdict:
    """Result of :func:`check`: ``correct`` and the message shown."""

    id: str
    correct: bool
    message: str

    def __repr__(self) -> str:
        return self.message

    def __bool__(self) -> bool:
        return self.correct


def check(id: str, answer: Any) -> Verdict:
    """Check a learner's ``answer`` to exercise ``id``.

    Returns a :class:`Verdict` whose text is ``"[04.2] Correct! ..."`` or
    ``"[04.2] Not yet: <hint>"``.  An answer that is still ``None`` or
    ``...`` (the placeholder in the notebooks) gets a gentle reminder; an answer
    that makes the checker fail gets a hint, never a traceback.
    """
    ex = _get(id)
    head = f"[{ex.id}] {ex.title}:"
    if answer is None or answer is Ellipsis:
        return Verdict(id, False, f"{head} not answered yet. Replace the `...` with your answer and run the cell again.")
    try:
        hint = ex.checker(answer)
    except Hint as stop:
        hint = str(stop)
    except Exception as exc:  # a learner's code may fail in any way
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        hint = f"your answer raised {last}. Check its type and shape against the question."
    if hint is None:
        return Verdict(id, True, f"{head} Correct! Well done.")
    return Verdict(id, False, f"{head} Not yet: {hint}")


def solution_code(id: str) -> str:
    """The source code of the solution of exercise ``id``."""
    _get(id)
    path = _SOLUTIONS_DIR / (id.replace(".", "_") + ".py")
    if not path.exists():
        raise ValueError(f"exercise {id!r} has no solution file {path.name}")
    return path.read_text()


class _Solution:
    def __init__(self, id: str, code: str):
        self.id, self.code = id, code

    def _repr_html_(self) -> str:
        return (
            f"<details><summary><b>Show solution {html.escape(self.id)}</b> (click)</summary>"
            f"<pre><code>{html.escape(self.code)}</code></pre></details>"
        )

    def __repr__(self) -> str:
        # A path relative to the package, so saved outputs match on every machine.
        return f"Solution {self.id} (advot_teach/exercises/solutions/{self.id.replace('.', '_')}.py):\n{self.code}"


def solution(id: str) -> _Solution:
    """A collapsed, click-to-reveal view of the solution of exercise ``id``.

    In JupyterLab the solution stays folded until the learner clicks
    "Show solution"; ``print(solution_code(id))`` prints it directly.
    """
    return _Solution(id, solution_code(id))
