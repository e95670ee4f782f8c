"""Write environment.yml (conda users) with the lock's versions of the course's dependencies.

Usage: ``python requirements/conda_pins.py requirements/lock.txt environment.yml 3.11``
(``make lock`` runs it). conda resolves everything else; only the packages
pyproject.toml names directly are pinned, at exactly the locked versions, and
Python at the version the lock was resolved for.
"""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# PyPI name -> conda-forge name, where they differ (none do today).
CONDA_NAMES: dict[str, str] = {}

HEADER = """\
# Conda environment for local use: conda env create -f environment.yml
# Written by `make lock` from requirements/lock.txt: the course's direct dependencies
# at exactly the locked versions (tests/test_config.py checks they agree). Do not edit
# by hand: change pyproject.toml, then run `make lock`.
name: advot-teach
channels:
  - conda-forge
dependencies:
"""


def normalize(name: str) -> str:
    """PEP 503 normalised distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    """Distribution name of a PEP 508 requirement string."""
    return normalize(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1))


def read_lock(path: Path) -> dict[str, str]:
    """Pins ``{normalised name: version}`` of a uv lock file."""
    pins = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line)
        if m:
            pins[normalize(m.group(1))] = m.group(2)
    return pins


def environment_yml(lock: Path, python: str) -> str:
    """environment.yml's text: Python ``python`` and the locked direct dependencies."""
    pins = read_lock(lock)
    runtime = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lines = [f"  - python={python}"]
    for name in sorted(requirement_name(r) for r in runtime):
        lines.append(f"  - {CONDA_NAMES.get(name, name)}=={pins[name]}")
    lines += ["  - pip", "  - pip:", "      - -e ."]
    return HEADER + "\n".join(lines) + "\n"


if __name__ == "__main__":
    lock_path, out_path, python_version = sys.argv[1:4]
    Path(out_path).write_text(environment_yml(Path(lock_path), python_version))
