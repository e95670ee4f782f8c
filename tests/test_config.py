"""Project configuration: dependency lists cannot drift, Binder picks up binder/."""
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _conda_deps(path: Path) -> set[str]:
    names, in_deps = set(), False
    for line in path.read_text().splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        m = re.match(r"^  - ([A-Za-z0-9_.-]+)", line)
        if in_deps and m:
            names.add(_name(m.group(1)))
    return names - {"python", "pip"}


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_environment_files_match_pyproject():
    runtime = {_name(r) for r in _pyproject()["dependencies"]}
    assert _conda_deps(ROOT / "environment.yml") == runtime
    binder = _conda_deps(ROOT / "binder" / "environment.yml")
    # Binder also needs voila for the lecture app; nothing else may differ.
    assert binder - {"voila"} == runtime
    assert "voila" in {_name(r) for r in _pyproject()["optional-dependencies"]["test"]}


def test_versions_agree_where_pinned():
    def pins(lines):
        out = {}
        for r in lines:
            m = re.match(r"^([A-Za-z0-9_.-]+)\s*(>=|==)\s*([0-9.]+)", r.strip())
            if m:
                out[_name(m.group(1))] = m.group(3)
        return out

    py = pins(_pyproject()["dependencies"])
    for path in (ROOT / "environment.yml", ROOT / "binder" / "environment.yml"):
        conda = pins(l.strip()[2:] for l in path.read_text().splitlines() if l.startswith("  - "))
        for name, version in py.items():
            assert conda.get(name) == version, f"{path.name}: {name} pinned {conda.get(name)}, pyproject {version}"


def test_binder_post_build_installs_the_package():
    text = (ROOT / "binder" / "postBuild").read_text()
    assert "set -e" in text and "pip install" in text and "-e ." in text
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"
    assert "ipywidgets>=8" in (ROOT / "binder" / "environment.yml").read_text()


def test_repo2docker_uses_binder_folder():
    exe = shutil.which("jupyter-repo2docker", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.fail("jupyter-repo2docker is missing from the test environment (pyproject test extra)")
    out = subprocess.run([exe, "--no-build", "--debug", str(ROOT)], capture_output=True, text=True, timeout=300)
    text = out.stdout + out.stderr
    assert out.returncode == 0, text[-2000:]
    assert "binder/environment.yml" in text
    assert "./binder/postBuild" in text


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
