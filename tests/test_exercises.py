"""Every exercise of the course: its solution passes its checker, placeholders
and junk get a hint (never a traceback), and each notebook poses its exercises."""
import json
import re
from pathlib import Path

import pytest

from advot_teach.exercises import check, exercise_ids, solution, solution_code

from exercise_solutions import solution_answer

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
@pytest.mark.parametrize("junk", [..., None, "nonsense", 42, [1, 2, 3], lambda *a, **k: 1 / 0])
def test_placeholders_and_junk_get_a_hint(id, junk):
    verdict = check(id, junk)  # must not raise
    assert not verdict.correct
    assert "Not yet" in verdict.message or "not answered yet" in verdict.message


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
