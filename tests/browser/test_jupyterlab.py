"""Every notebook with an explorer, run in JupyterLab in a real Chromium.

For each notebook (a code cell calls ``...explorer(``): open it, Run All
Cells, no error output and no "Error displaying widget"; then, for every
explorer on the page (a widget box with an ``advot-risk-readout``), move its
first slider with the keyboard and check that the figure changed, the
slider went up and the readout follows it (``eps = 0.350 | R* = 0.4167``,
``eps = 0.350 | robust accuracy = 0.9083``, ``eps = 0.350 | W_inf <= eps:
yes``, ``t = 0.50``).

``test_epsilon_explorer_prints_the_solvers_risk`` opens ``browser_check.ipynb``
(written into the served copy by the fixtures) and checks the R* printed after
the move against ``optimal_adversarial_risk`` computed here on the same data.
"""
from __future__ import annotations

import nbformat
import pytest

import browser_helpers as bh

SOURCE = bh.notebooks_dir()
NOTEBOOKS = bh.explorer_notebooks(SOURCE) if SOURCE.is_dir() else []


@pytest.mark.browser
def test_course_has_explorer_notebooks():
    # Without this, an empty parametrization below would pass silently.
    assert NOTEBOOKS, (f"no notebook in {SOURCE} has a code cell calling "
                       f"'{bh.EXPLORER_MARKER}': nothing for the browser tests to run")


def run_in_lab(page, server, folder, name) -> None:
    """Open ``name`` in Lab, Run All Cells, assert every code cell ran without error."""
    n_cells = len(nbformat.read(folder / name, as_version=4).cells)
    bh.open_in_lab(page, server, name, n_cells)
    # A student opening the un-run notebook must not see stale widget errors.
    assert bh.error_outputs(page) == [], f"{name} shows errors before running"
    state = bh.run_all_cells(page)
    errors = bh.error_outputs(page)
    assert errors == [], f"{name}: error outputs after Run All Cells:\n" + "\n---\n".join(errors)
    unexecuted = [i for i, p in enumerate(state["prompts"])
                  if not p["empty"] and not any(ch.isdigit() for ch in p["prompt"])]
    assert unexecuted == [], f"{name}: code cells {unexecuted} did not run"
    print(f"{name}: Run All Cells took {state['seconds']:.1f} s")


def kernel_busy(page):
    return lambda: not bh.kernel_idle(bh.lab_state(page))


@pytest.mark.browser
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_sliders_update_figures(lab_page, lab_server, served_notebooks, name):
    page = lab_page
    run_in_lab(page, lab_server, served_notebooks, name)

    expected = bh.explorer_cells(served_notebooks / name)
    explorers = bh.wait_explorers(page, expected)
    assert len(explorers) >= expected, (
        f"{name}: {expected} code cells call an explorer but {len(explorers)} explorers "
        f"(.{bh.READOUT_CLASS} in a widget box) are shown")
    moves, problems = bh.check_explorers(page, busy=kernel_busy(page))
    for move in moves:
        print(f"{name}: {move.describe()}")
    assert problems == [], f"{name}:\n" + "\n".join(problems)
    assert bh.error_outputs(page) == [], f"{name}: errors after moving the sliders"


@pytest.mark.browser
def test_epsilon_explorer_prints_the_solvers_risk(lab_page, lab_server, served_notebooks):
    page = lab_page
    run_in_lab(page, lab_server, served_notebooks, bh.CHECK_NOTEBOOK)
    X, y = bh.check_data()
    moves, checked, problems = bh.check_exact_risk(page, X, y, busy=kernel_busy(page))
    for move in moves:
        print(move.describe())
    print(f"checked against optimal_adversarial_risk: {checked}")
    assert problems == [], "\n".join(problems)
    assert bh.error_outputs(page) == []
