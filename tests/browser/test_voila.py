"""The lecture app (notebooks/lecture.ipynb) served by Voila in a real Chromium.

Voila executes the notebook when the page is requested; the page must show
no error, and the first eps-slider must redraw its figure and update its R*
readout, as in JupyterLab.
"""
from __future__ import annotations

import pytest

import browser_helpers as bh

LECTURE = "lecture.ipynb"


@pytest.mark.browser
def test_lecture_runs_in_voila_and_slider_updates_figure(page, voila_server, served_notebooks):
    if not (served_notebooks / LECTURE).is_file():
        pytest.fail(f"{LECTURE} missing in {bh.notebooks_dir()}", pytrace=False)
    server = voila_server(LECTURE)
    seconds = bh.open_in_voila(page, server)
    errors = bh.error_outputs(page)
    assert errors == [], f"{LECTURE} in Voila shows errors:\n" + "\n---\n".join(errors)
    print(f"{LECTURE}: Voila showed the slider after {seconds:.1f} s")

    info = bh.find_eps_slider(page)
    assert info is not None, f"{LECTURE}: no slider rendered by Voila"
    assert info["figure"], f"{LECTURE}: slider {info['label']!r} has no figure next to it"
    move = bh.move_eps_slider(page, presses=3)
    print(f"{LECTURE}: figure changed {move.seconds_to_change:.1f} s after the key presses; "
          f"readout {move.before['readout']!r} -> {move.after['readout']!r}")
    assert bh.slider_problems(move, info["readout"]) == []
    assert bh.error_outputs(page) == [], f"{LECTURE}: errors after moving the slider"
