"""Shared helpers for the exercise tests: a solution's ``answer`` and a wrong one.

``wrong_variant(answer)`` turns any stored solution into an answer that is
certainly wrong, by one generic rule per type, so that every checker of the
course is run on at least one wrong answer without anyone having to write it:

* a number (or a bool): shifted by ``SHIFT`` (a bool is negated);
* a numeric array: its first entry shifted by ``SHIFT``;
* a tuple (a fixed group of values, e.g. ``(W1, W2)``): its first entry made wrong;
* a list (a collection of results, e.g. conflicting pairs): its first item dropped;
* a function: the same function with its return value made wrong by these rules.

``SHIFT`` is large compared with every quantity the exercises ask for
(risks, masses, radii, moves inside a ball of radius <= 1), so a shifted
answer is never right by accident.  A solution of another type raises
``TypeError``: give that exercise an answer of a supported type.
"""
from functools import lru_cache
from numbers import Number

import numpy as np

from advot_teach.exercises import solution_code

SHIFT = 3.0


@lru_cache(maxsize=None)
def solution_answer(id):
    """Run the solution of exercise ``id`` and return its ``answer``."""
    namespace = {}
    exec(compile(solution_code(id), f"solution {id}", "exec"), namespace)
    return namespace["answer"]


def wrong_variant(answer):
    """A certainly wrong answer made from the right ``answer`` (rules in the module docstring)."""
    if callable(answer):
        def wrong(*args, **kwargs):
            return wrong_value(answer(*args, **kwargs))

        return wrong
    return wrong_value(answer)


def wrong_value(value):
    """``value`` made wrong: see the module docstring; empty lists are returned unchanged."""
    if isinstance(value, (bool, np.bool_)):
        return not value
    if isinstance(value, Number):
        return value + SHIFT
    if isinstance(value, np.ndarray) and value.size and np.issubdtype(value.dtype, np.number):
        out = value.astype(float)
        out.flat[0] += SHIFT
        return out
    if isinstance(value, tuple) and value:
        return (wrong_value(value[0]),) + value[1:]
    if isinstance(value, list):
        # An empty list is right or wrong as it is; the checker's other cases decide.
        return value[1:]
    raise TypeError(f"no generic wrong variant of a {type(value).__name__}; "
                    "answer with a number, array, tuple, list or a function returning one")
