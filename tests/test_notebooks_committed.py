"""The committed notebooks: executed, without widget state, linked together."""
import re

import nbformat
import pytest

from notebook_tools import NOTEBOOK_DIR, course_notebooks, has_widget_state

NOTEBOOKS = course_notebooks()
NUMBERED = [p for p in NOTEBOOKS if re.match(r"[0-9]{2}_", p.name)]
APPENDICES = [p for p in NOTEBOOKS if re.match(r"[0-9]{2}[a-z]_", p.name)]
LINK = r"\(([0-9]{2}[a-z]?_[a-z0-9_]+\.ipynb)\)"


def test_the_course_is_complete():
    numbers = [p.name[:2] for p in NUMBERED]
    assert numbers == [f"{i:02d}" for i in range(8)], numbers
    assert (NOTEBOOK_DIR / "lecture.ipynb").exists()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_and_clean(path):
    nb = nbformat.read(path, as_version=4)
    assert not has_widget_state(nb), "run `make notebooks`: saved widget state or widget views found"
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert code and all(c.execution_count for c in code), "every code cell must be stored executed"
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "cells must be executed top to bottom in one run"
    for cell in code:
        for out in cell.outputs:
            assert out.output_type != "error", f"stored error output in cell: {cell.source[:60]!r}"
            if out.output_type == "stream" and out.name == "stderr":
                assert "Traceback" not in out.text and "Warning" not in out.text, out.text[:200]


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_navigation_links_point_to_neighbours(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    links = set(re.findall(LINK, text))
    for link in links:
        assert (NOTEBOOK_DIR / link).exists(), f"broken link to {link}"
    i = NUMBERED.index(path)
    if i > 0:
        assert NUMBERED[i - 1].name in links, "no link to the previous notebook"
    if i + 1 < len(NUMBERED):
        assert NUMBERED[i + 1].name in links, "no link to the next notebook"
    if i > 0:
        assert "00_welcome.ipynb" in links, "no link back to the course map"


@pytest.mark.parametrize("path", APPENDICES, ids=lambda p: p.name)
def test_appendix_is_linked_both_ways(path):
    # An appendix (e.g. 03a) hangs off its notebook (03): linked from it and from the course map,
    # and it links back to both and on to the next notebook.
    def links_of(p):
        text = "\n".join(c.source for c in nbformat.read(p, as_version=4).cells if c.cell_type == "markdown")
        return set(re.findall(LINK, text))

    (parent,) = [p for p in NUMBERED if p.name[:2] == path.name[:2]]
    links = links_of(path)
    for link in links:
        assert (NOTEBOOK_DIR / link).exists(), f"broken link to {link}"
    assert {parent.name, "00_welcome.ipynb"} <= links
    following = NUMBERED[NUMBERED.index(parent) + 1]
    assert following.name in links, "no link to the next notebook"
    assert path.name in links_of(parent), f"{parent.name} does not link to its appendix"
    assert path.name in links_of(NOTEBOOK_DIR / "00_welcome.ipynb"), "the course map does not list the appendix"
