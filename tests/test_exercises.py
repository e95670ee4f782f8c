"""Every exercise of the course: its solution passes its checker, a wrong answer
made from the solution and junk get a hint (never a traceback), the `...`/None
placeholders get a reminder without reaching the checker, and each notebook
poses its exercises."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

from advot_teach import exercises
from advot_teach.exercises import check, exercise_ids, solution, solution_code

from exercise_solutions import solution_answer, wrong_variant

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
IDS = exercise_ids()


def test_every_course_notebook_has_three_to_five_exercises():
    for nb in sorted(NOTEBOOKS.glob("0[1-7]_*.ipynb")):
        ids = {i for i in IDS if i.startswith(nb.name[:2] + ".")}
        assert 3 <= len(ids) <= 5, f"{nb.name} has {len(ids)} exercises"


@pytest.mark.parametrize("id", IDS)
def test_exercise_is_posed_in_its_notebook(id):
    (nb,) = NOTEBOOKS.glob(id[:2] + "_*.ipynb")
    sources = "".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"])
    assert re.search(rf"check\(\s*[\"']{re.escape(id)}[\"']", sources), f"no check({id!r}, ...) in {nb.name}"
    assert re.search(rf"solution\(\s*[\"']{re.escape(id)}[\"']\s*\)", sources), f"no solution({id!r}) in {nb.name}"


@pytest.mark.parametrize("id", IDS)
def test_solution_passes_and_stays_folded(id):
    verdict = check(id, solution_answer(id))
    assert verdict.correct, verdict.message
    html = solution(id)._repr_html_()
    assert html.startswith("<details>") and "Show solution" in html
    assert "answer" in solution_code(id)


@pytest.mark.parametrize("id", IDS)
def test_a_wrong_answer_gets_a_hint(id):
    # The checker itself must reject it with a hint of its own, not by crashing.
    verdict = check(id, wrong_variant(solution_answer(id)))
    assert not verdict.correct, f"{id}: the checker accepted a wrong answer"
    assert "Not yet" in verdict.message and "your answer raised" not in verdict.message, verdict.message


@pytest.mark.parametrize("id", IDS)
@pytest.mark.parametrize("junk", ["nonsense", 42, [1, 2, 3], lambda *a, **k: 1 / 0])
def test_junk_gets_a_hint(id, junk):
    verdict = check(id, junk)  # must not raise
    assert not verdict.correct
    assert "Not yet" in verdict.message, verdict.message


@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholders_get_a_reminder_without_reaching_the_checker(placeholder, monkeypatch):
    calls = []
    monkeypatch.setitem(exercises._REGISTRY, "99.1",
                        exercises.Exercise("99.1", "spy", lambda answer: calls.append(answer)))
    verdict = check("99.1", placeholder)
    assert not verdict.correct and not calls
    assert verdict.message == ("[99.1] spy: not answered yet. Replace the `...` with your answer "
                               "and run the cell again.")


def test_unknown_id_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown exercise id"):
        check("99.9", 1)
    with pytest.raises(TypeError, match="exercise id must be a string"):
        check(4.2, 1)


def test_exercises_appear_in_numbered_order():
    for nb in sorted(NOTEBOOKS.glob("0[0-7]_*.ipynb")):
        sources = "".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"])
        posed = re.findall(r"check\(\s*[\"'](\d\d\.\d)[\"']", sources)
        first_seen = list(dict.fromkeys(posed))
        assert first_seen == sorted(first_seen), f"{nb.name}: {first_seen}"


@pytest.mark.parametrize("right", [0.5, 3, True, np.array([[0.25, 0.75]]), (0.5, 2.0), [(0, 1), (2, 3)]])
def test_wrong_variant_changes_every_supported_answer(right):
    wrong = wrong_variant(right)
    assert not np.array_equal(np.asarray(wrong, dtype=object), np.asarray(right, dtype=object))
    assert not np.array_equal(np.asarray(wrong_variant(lambda: right)(), dtype=object),
                              np.asarray(right, dtype=object))


def test_wrong_variant_refuses_what_it_cannot_change():
    with pytest.raises(TypeError, match="no generic wrong variant of a dict"):
        wrong_variant({"a": 1})


def test_a_hint_raised_inside_a_checker_is_shown_as_the_hint(monkeypatch):
    def checker(answer):
        for _case, _value in exercises.function_results(answer, "f", [(1.0,)]):
            raise exercises.Hint("a hint from deep inside")
        return None

    monkeypatch.setitem(exercises._REGISTRY, "99.2", exercises.Exercise("99.2", "spy", checker))
    assert check("99.2", lambda x: x).message == "[99.2] spy: Not yet: a hint from deep inside"
    assert check("99.2", 3).message == ("[99.2] spy: Not yet: answer with the function itself, "
                                        "e.g. `answer = f` (no parentheses).")
    assert check("99.2", lambda x: None).message == f"[99.2] spy: Not yet: {exercises.NONE_HINT}"
