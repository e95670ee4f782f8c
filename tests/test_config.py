"""Project configuration: one lock, and every way of installing the course agrees with it.

``requirements/lock.txt`` (written by ``make lock``) pins every distribution that
the course, its tests and Binder need, for the Python that Binder and CI run.
``binder/requirements.txt`` and ``environment.yml`` are written from it, ``make lab``
and ``make test`` install with it as constraints. These tests keep all of them
from drifting apart, offline: nothing here resolves anything from the network.
"""
import importlib.metadata
import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
BINDER = ROOT / "binder"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$")


def _pins(path: Path) -> dict[str, str]:
    """``{canonical name: version}`` of a pip requirements file made only of exact pins."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = PIN.match(line)
        assert m, f"{path.name}: {line!r} is not an exact pin name==version"
        name = canonicalize_name(m.group(1))
        assert name not in pins, f"{path.name} pins {name} twice"
        pins[name] = m.group(2)
    return pins


def _lock() -> dict[str, str]:
    return _pins(LOCK)


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _runtime() -> list[Requirement]:
    return [Requirement(r) for r in _project()["dependencies"]]


def _binder_extras() -> list[Requirement]:
    lines = (ROOT / "requirements" / "binder.in").read_text().splitlines()
    return [Requirement(l) for l in (l.strip() for l in lines) if l and not l.startswith("#")]


def _lock_python() -> str:
    m = re.search(r"^LOCK_PYTHON\s*:?=\s*(\d+\.\d+)\s*$", (ROOT / "Makefile").read_text(), re.M)
    assert m, "Makefile must set LOCK_PYTHON, the Python version the lock is resolved for"
    return m.group(1)


def _conda_names() -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("conda_pins", ROOT / "requirements" / "conda_pins.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CONDA_NAMES


def test_lock_pins_every_requirement_within_its_range():
    lock = _lock()
    requirements = _runtime() + _binder_extras()
    for extra, reqs in _project().get("optional-dependencies", {}).items():
        requirements += [Requirement(r) for r in reqs]
    assert len(requirements) > 10
    for req in requirements:
        name = canonicalize_name(req.name)
        assert name in lock, f"{req} is not in the lock: run `make lock` and commit {LOCK.name}"
        assert req.specifier.contains(lock[name], prereleases=True), (
            f"lock pins {name}=={lock[name]}, outside pyproject's {req}: run `make lock`")


def test_lock_is_written_by_make_lock():
    text = LOCK.read_text()
    assert "#    make lock" in text.splitlines()[1], "lock header must name `make lock`"
    make = (ROOT / "Makefile").read_text()
    assert "pip compile pyproject.toml requirements/binder.in --all-extras $(LOCK_FLAGS)" in make
    assert re.search(r"^LOCK_FLAGS\s*:=\s*--python-version \$\(LOCK_PYTHON\)", make, re.M)


def test_binder_installs_exactly_the_locked_versions():
    lock, binder = _lock(), _pins(BINDER / "requirements.txt")
    differ = {n: (v, lock.get(n)) for n, v in binder.items() if lock.get(n) != v}
    assert not differ, f"binder/requirements.txt disagrees with the lock (binder, lock): {differ}"
    for req in _runtime() + _binder_extras():
        assert canonicalize_name(req.name) in binder, f"Binder would not install {req.name}"
    # The front end and kernel side of the widgets come from the lock, and stay on 8.
    assert binder["ipywidgets"].startswith("8.")
    assert (BINDER / "runtime.txt").read_text().strip() == f"python-{_lock_python()}"
    # repo2docker would take its dependencies from any of these instead.
    for other in ("environment.yml", "Pipfile", "Pipfile.lock", "setup.py", "Project.toml", "install.R"):
        assert not (BINDER / other).exists(), f"binder/{other} would bypass the lock"


def test_binder_requirements_are_closed_under_dependencies():
    """pip on Binder installs binder/requirements.txt; anything it misses, pip would
    resolve freely. Walk the installed metadata from Binder's roots (the test venv
    installs the same set) and check every dependency reached is pinned there."""
    binder = _pins(BINDER / "requirements.txt")
    todo = [(canonicalize_name(r.name), frozenset(r.extras)) for r in _runtime() + _binder_extras()]
    seen = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        assert name in binder, f"{name} is needed on Binder but not pinned in binder/requirements.txt"
        try:
            requires = importlib.metadata.distribution(name).requires or []
        except importlib.metadata.PackageNotFoundError:
            pytest.fail(f"{name} is not installed here: run `make test`, which installs Binder's set too")
        for text in requires:
            req = Requirement(text)
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in extras | {""}):
                todo.append((canonicalize_name(req.name), frozenset(req.extras)))
    assert len(seen) > 50


def test_environment_yml_pins_the_locked_versions():
    lock, names = _lock(), _conda_names()
    text = (ROOT / "environment.yml").read_text()
    entries = [l.strip()[2:] for l in text[text.index("\ndependencies:"):].splitlines()
               if re.match(r"^  - \S", l)]
    assert f"python={_lock_python()}" in entries
    conda = {}
    for entry in entries:
        m = re.match(r"^([A-Za-z0-9._-]+)==(\S+)$", entry)
        if m:
            conda[m.group(1)] = m.group(2)
    expected = {names.get(n, n): lock[n] for n in (canonicalize_name(r.name) for r in _runtime())}
    assert conda == expected, "environment.yml must pin exactly the locked direct dependencies: run `make lock`"
    assert set(entries) - {f"{k}=={v}" for k, v in conda.items()} == {f"python={_lock_python()}", "pip", "pip:"}


def test_binder_post_build_installs_only_the_package():
    path = BINDER / "postBuild"
    assert path.stat().st_mode & 0o111, "postBuild must be executable"
    commands = [l.strip() for l in path.read_text().splitlines() if l.strip() and not l.startswith("#")]
    assert commands[0] == "set -e", "postBuild must stop at the first failure"
    # Everything else comes from binder/requirements.txt: the package only, no resolution.
    assert commands[1:] == ["python -m pip install --no-deps -e ."]


def test_repo2docker_uses_binder_folder():
    exe = shutil.which("jupyter-repo2docker", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.fail("jupyter-repo2docker is missing from the test environment (pyproject test extra)")
    out = subprocess.run([exe, "--no-build", "--debug", str(ROOT)], capture_output=True, text=True, timeout=300)
    text = out.stdout + out.stderr
    assert out.returncode == 0, text[-2000:]
    assert f"Building conda environment for python={_lock_python()}" in text
    installs = [l for l in text.splitlines() if "pip install" in l]
    assert installs == ['RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"'], installs
    assert "RUN ./binder/postBuild" in text


def test_installed_direct_dependencies_match_lock():
    """The venv the tests run in holds exactly the locked versions (make test installs
    with the lock as constraints); `make test-latest` deselects this test."""
    lock = _lock()
    direct = _runtime() + [Requirement(r) for r in _project()["optional-dependencies"]["test"]]
    assert len(direct) > 10
    differ = {}
    for req in direct:
        name = canonicalize_name(req.name)
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != lock.get(name):
            differ[name] = (installed, lock.get(name))
    # Whatever else is installed and locked (the transitive dependencies) must match too.
    for dist in importlib.metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name in lock and dist.version != lock[name]:
            differ[name] = (dist.version, lock[name])
    assert not differ, f"installed versions differ from the lock (installed, locked): {differ}"


def test_make_demo_lets_voila_serve_images_only():
    # Voila serves every file of its root that the allowlist matches (and the
    # denylist, *.ipynb and *.py by default, does not): the repository's README,
    # Makefile and .git must not be among them.
    import ast
    import shlex

    text = (ROOT / "Makefile").read_text()
    demo = re.search(r"^demo:.*\n\t(.+)$", text, re.M).group(1)
    assert "$(VOILA_FILES)" in demo and "file_allowlist" not in demo
    (option,) = shlex.split(re.search(r"^VOILA_FILES\s*:=\s*(.+)$", text, re.M).group(1))
    key, value = option.split("=", 1)
    assert key == "--VoilaConfiguration.file_allowlist"
    patterns = ast.literal_eval(value)

    def served(path):
        return any(re.fullmatch(p, path, re.IGNORECASE) for p in patterns)  # as Voila matches

    assert served("notebooks/images/overview.png") and served("a/b.svg")
    for private in ["README.md", "Makefile", ".git/config", "pyproject.toml", "notebooks/00_welcome.ipynb",
                    "advot_teach/risk.py", "environment.yml", "tests/nbval_sanitize.cfg"]:
        assert not served(private), private
