"""Execute course notebooks in place and keep them clean for version control.

``python tests/notebook_tools.py [NOTEBOOK ...]`` (what ``make notebooks``
runs) re-executes every notebook in ``notebooks/`` top to bottom in a fresh
kernel, from the notebooks folder, then strips what must not be committed:

* saved widget state (``metadata.widgets``): a notebook opened later would
  show "Error displaying widget: model not found" for it;
* the live-widget part of outputs (``application/vnd.jupyter.widget-view+json``):
  their models exist only in a running kernel.  The static fallbacks that
  our explorers put next to it (a PNG of the figure and a one-line hint) stay,
  so GitHub and an un-run notebook still show a picture;
* execution timestamps and kernel-specific metadata, so re-running gives a
  small diff.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def course_notebooks() -> list[Path]:
    """The numbered course notebooks and their appendices (``03a_...`` right after
    ``03_...``), in reading order, then the lecture app."""
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]*_*.ipynb")) + sorted(NOTEBOOK_DIR.glob("lecture.ipynb"))


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove widget state, widget views and volatile metadata (in place)."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data is not None and WIDGET_VIEW in data:
                data.pop(WIDGET_VIEW)
                if not data:
                    continue  # nothing static to show: drop the output
            kept.append(out)
        cell.outputs = kept
    return nb


def has_widget_state(nb: nbformat.NotebookNode) -> bool:
    """True if the notebook carries saved widget state or widget views."""
    if "widgets" in nb.metadata:
        return True
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if WIDGET_VIEW in out.get("data", {}):
                return True
    return False


def execute(path: Path, timeout: int = 600) -> float:
    """Execute ``path`` in place; return the wall time in seconds."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    # Same environment for every run: deterministic hashing, no GUI backend.
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    start = time.perf_counter()
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    elapsed = time.perf_counter() - start
    nbformat.write(clean(nb), path)
    return elapsed


def write_readme_figure(path: Path = NOTEBOOK_DIR / "images" / "overview.png") -> None:
    """The README's picture: the eps-explorer's static view of three blobs."""
    from advot_teach import datasets
    from advot_teach.widgets import epsilon_explorer

    X, y = datasets.three_blobs(n_per_class=30, seed=0)
    explorer = epsilon_explorer(X, y, eps_max=0.8)
    explorer.slider.value = 0.3
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(explorer.to_png())
    explorer.close()


def main(argv: list[str]) -> int:
    if not argv:
        write_readme_figure()
    paths = [Path(a).resolve() for a in argv] or course_notebooks()
    total = 0.0
    for path in paths:
        seconds = execute(path)
        total += seconds
        print(f"{path.name:45s} {seconds:6.1f} s")
    print(f"{'total':45s} {total:6.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
