"""Explorers that fit the page: a laptop in JupyterLab and Voila, a projector in Voila.

* Every notebook with an explorer, in JupyterLab with the file browser open,
  at 1366x768 and at 1400x900: every explorer's figure lies inside its
  output area and nothing scrolls sideways.
* The lecture app in Voila at the same two sizes, the same checks.
* The lecture app at 1920x1080 (a projector at 100 % zoom): no dead link,
  every explorer's slider reachable by Tab, x tick labels at least 18 px
  high as seen on screen, figures using the width, and Voila serving only
  what the page needs (images), not the notebooks or the code.

Screenshots of every explorer at every size go to tests/browser/artifacts/
(``layout-<notebook>-<explorer>-<width>x<height>.png``).
"""
from __future__ import annotations

import re
import shlex

import nbformat
import pytest

import browser_helpers as bh
import layout_helpers as lh
from figure_pixels import x_tick_label_px

SOURCE = bh.notebooks_dir()
NOTEBOOKS = [n for n in bh.explorer_notebooks(SOURCE) if n != "lecture.ipynb"] if SOURCE.is_dir() else []
LECTURE = "lecture.ipynb"
#: Smallest tick-label font on the projector (CSS px at 100 % zoom).
PROJECTOR_TICK_PX = 18.0
#: Measurement error allowed (the sub-pixel height of antialiased digits is
#: read to within 0.9 px of the font size from 18 px up; tests/browser/test_figure_pixels.py).
TICK_PX_TOLERANCE = 0.5


def _check_sizes(page, sizes, stem, busy=None, before_each=None):
    """Resize to each viewport, wait for the explorers to settle, check the
    layout of each and screenshot it; return the problems."""
    problems = []
    for width, height in sizes:
        page.set_viewport_size({"width": width, "height": height})
        if before_each is not None:
            before_each()
        explorers = bh.find_explorers(page)
        indices = [info["index"] for info in explorers]
        if not lh.wait_layout_settled(page, indices, busy=busy):
            problems.append(f"{stem} at {width}x{height}: the explorers kept changing")
        explorers = bh.find_explorers(page)
        if not explorers:
            problems.append(f"{stem} at {width}x{height}: no explorer on the page")
        for info in explorers:
            i = info["index"]
            where = f"{stem} explorer #{i} at {width}x{height}"
            layout = lh.explorer_layout(page, i)
            problems += lh.layout_problems(layout, where)
            lh.screenshot_explorer(page, i, f"layout-{stem}-{i}-{width}x{height}")
            fig = layout.get("figure", {})
            print(f"{where}: figure {fig.get('width', 0):.0f}x{fig.get('height', 0):.0f} px "
                  f"in an output area of {layout.get('area', {}).get('width', 0):.0f} px")
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_explorers_fit_a_laptop_with_the_file_browser_open(lab_page, lab_server, served_notebooks, name):
    page = lab_page
    w, h = lh.LAPTOP_SIZES[0]
    page.set_viewport_size({"width": w, "height": h})
    n_cells = len(nbformat.read(served_notebooks / name, as_version=4).cells)
    bh.open_in_lab(page, lab_server, name, n_cells)
    lh.open_file_browser(page)
    bh.run_all_cells(page)
    assert bh.error_outputs(page) == [], f"{name}: errors after Run All Cells"
    expected = bh.explorer_cells(served_notebooks / name)
    assert len(bh.wait_explorers(page, expected)) >= expected

    def busy():
        return not bh.kernel_idle(bh.lab_state(page))

    def file_browser_open():
        width = lh.open_file_browser(page)
        print(f"{name}: file browser open, {width:.0f} px wide")

    problems = _check_sizes(page, lh.LAPTOP_SIZES, name.removesuffix(".ipynb"), busy=busy,
                            before_each=file_browser_open)
    assert problems == [], "\n".join(problems)


def demo_voila_options() -> list[str]:
    """The Voila options of ``make demo`` (the Makefile's ``VOILA_FILES``)."""
    text = (bh.REPO / "Makefile").read_text()
    match = re.search(r"^VOILA_FILES\s*:=\s*(.+)$", text, re.M)
    assert match, "the Makefile defines no VOILA_FILES (the files Voila may serve)"
    return shlex.split(match.group(1))


@pytest.fixture(scope="module")
def lecture_server(voila_server, served_notebooks):
    """The lecture app served as ``make demo`` serves it."""
    if not (served_notebooks / LECTURE).is_file():
        pytest.fail(f"{LECTURE} missing in {bh.notebooks_dir()}", pytrace=False)
    return voila_server(LECTURE, *demo_voila_options())


@pytest.mark.browser
def test_lecture_app_fits_a_laptop(page, lecture_server, served_notebooks):
    w, h = lh.LAPTOP_SIZES[0]
    page.set_viewport_size({"width": w, "height": h})
    bh.open_in_voila(page, lecture_server, n_explorers=bh.explorer_cells(served_notebooks / LECTURE))
    assert bh.error_outputs(page) == []
    problems = _check_sizes(page, lh.LAPTOP_SIZES, "lecture")
    assert problems == [], "\n".join(problems)


@pytest.fixture(scope="module")
def projector_page(browser, lecture_server, served_notebooks):
    """The lecture app at 1920x1080, loaded once for the projector checks."""
    context = browser.new_context(viewport={"width": lh.PROJECTOR[0], "height": lh.PROJECTOR[1]})
    page = context.new_page()
    page.set_default_timeout(60_000)
    bh.open_in_voila(page, lecture_server, n_explorers=bh.explorer_cells(served_notebooks / LECTURE))
    lh.wait_layout_settled(page, [info["index"] for info in bh.find_explorers(page)])
    yield page
    bh.save_screenshot(page, "lecture-1920x1080")
    context.close()


@pytest.mark.browser
def test_lecture_app_has_no_dead_links(projector_page, lecture_server):
    problems, external = lh.link_problems(projector_page, lecture_server.url)
    print("external links (not fetched, no network):", *external, sep="\n  ")
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_lecture_app_every_slider_is_reachable_by_tab(projector_page):
    page = projector_page
    explorers = bh.find_explorers(page)
    assert len(explorers) >= 4
    visited = lh.tab_through(page)
    reached = {f["slider"] for f in visited if f and f["slider"] is not None}
    trapped = [f for f in visited[-5:] if f and f["canvas"]]
    print(f"Tab visited {len(visited)} stops; sliders reached: {sorted(reached)}")
    missing = [info["index"] for info in explorers if str(info["index"]) not in reached]
    assert missing == [], (f"sliders of explorers {missing} never got focus by Tab"
                           + (" (focus stayed in a figure)" if trapped else ""))


@pytest.mark.browser
def test_lecture_app_is_readable_on_a_projector(projector_page):
    page = projector_page
    problems = []
    for info in bh.find_explorers(page):
        i = info["index"]
        layout = lh.explorer_layout(page, i)
        problems += lh.layout_problems(layout, f"explorer #{i} at 1920x1080")
        lh.screenshot_explorer(page, i, f"layout-lecture-{i}-1920x1080")
        sizes = x_tick_label_px(lh.figure_pixels(page, i))
        fig, area = layout["figure"], layout["area"]
        print(f"explorer #{i}: figure {fig['width']:.0f} px of {area['width']:.0f} px; "
              f"x tick labels {[round(s, 1) for s in sizes]} px")
        if not sizes:
            problems.append(f"explorer #{i}: no x tick labels found in its figure")
        elif min(sizes) < PROJECTOR_TICK_PX - TICK_PX_TOLERANCE:
            problems.append(f"explorer #{i}: x tick labels {min(sizes):.1f} px high, "
                            f"below {PROJECTOR_TICK_PX:.0f} px")
        # "uses the width": at least 85 % of the page's text column
        if fig["width"] < 0.85 * area["width"]:
            problems.append(f"explorer #{i}: the figure uses {fig['width']:.0f} of {area['width']:.0f} px")
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_voila_serves_images_but_not_the_course_files(lecture_server, served_notebooks):
    # Voila's file handler, configured as `make demo` configures it
    images = sorted(p.relative_to(served_notebooks) for p in served_notebooks.rglob("*.png"))
    assert images, "no image in the served notebooks to check that images are served"
    url = f"{lecture_server.url}/voila/files/"
    assert bh._http_status(url + images[0].as_posix()) == 200
    # a file of another kind, as the repository has many (README, Makefile, .git/...)
    (served_notebooks / "notes.txt").write_text("not for the audience")
    for private in ["notes.txt", "00_welcome.ipynb", LECTURE, "browser_check.ipynb"]:
        assert bh._http_status(url + private) != 200, f"Voila serves {private}"
