"""Shared helper for the exercise tests: a solution file's ``answer``."""
from functools import lru_cache

from advot_teach.exercises import solution_code


@lru_cache(maxsize=None)
def solution_answer(id):
    """Run the solution of exercise ``id`` and return its ``answer``."""
    namespace = {}
    exec(compile(solution_code(id), f"solution {id}", "exec"), namespace)
    return namespace["answer"]
