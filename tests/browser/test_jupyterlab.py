"""Every notebook with an eps-explorer, run in JupyterLab in a real Chromium.

For each notebook (a code cell calls ``...explorer(``): open it, Run All
Cells, no error output and no "Error displaying widget"; then press
ArrowRight on the first eps-slider and check the figure changed, the slider
value went up and the R* readout (class ``advot-risk-readout``, text like
``eps = 0.350 | R* = 0.4167``) follows it.  The exact R* values are checked by
the widget tests on the Python side.
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


@pytest.mark.browser
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_slider_updates_figure(lab_page, lab_server, served_notebooks, name):
    page = lab_page
    n_cells = len(nbformat.read(served_notebooks / name, as_version=4).cells)
    bh.open_in_lab(page, lab_server, name, n_cells)
    # A student opening the un-run notebook must not see stale widget errors.
    assert bh.error_outputs(page) == [], f"{name} shows errors before running"

    state = bh.run_all_cells(page)
    errors = bh.error_outputs(page)
    assert errors == [], f"{name}: error outputs after Run All Cells:\n" + "\n---\n".join(errors)
    unexecuted = [i for i, p in enumerate(state["prompts"])
                  if not p["empty"] and not any(ch.isdigit() for ch in p["prompt"])]
    assert unexecuted == [], f"{name}: code cells {unexecuted} did not run"
    print(f"{name}: Run All Cells took {state['seconds']:.1f} s")

    info = bh.find_eps_slider(page)
    assert info is not None, f"{name}: no slider rendered (.widget-slider .noUi-handle)"
    assert info["figure"], f"{name}: slider {info['label']!r} has no figure next to it"
    move = bh.move_eps_slider(page, presses=3,
                              busy=lambda: not bh.kernel_idle(bh.lab_state(page)))
    print(f"{name}: figure changed {move.seconds_to_change:.1f} s after the key presses; "
          f"readout {move.before['readout']!r} -> {move.after['readout']!r}")
    assert bh.slider_problems(move, info["readout"]) == []
    assert bh.error_outputs(page) == [], f"{name}: errors after moving the slider"
