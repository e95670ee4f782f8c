"""First start of the course (``make bench-start``): fresh clone until JupyterLab answers.

For each installer (uv, then pip as the baseline) this clones the repository's
committed ``HEAD`` into a temporary folder, runs ``make lab INSTALLER=...`` there
with empty package caches (``UV_CACHE_DIR`` and ``PIP_CACHE_DIR`` point into the
temporary folder; pip still sees this machine's own pip configuration) and times
until JupyterLab's ``/api`` answers HTTP 200. It also notes when the install
finished (the venv's stamp file appears). Then it stops the server by the process
group of the ``make`` it started, and removes the folder. Both installers install
the same locked versions; the table prints their times and the ratio.
``--ref COMMIT`` also times ``make lab`` as it was at an older commit (for example
the last one before the lock, whose Makefile installed with pip and no lock).

Not part of ``make test``: it prints timings, and timings are not tests.

Usage::

    python tests/benchmarks/first_start.py [--installers uv pip] [--runs 1] [--ref COMMIT]
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 600


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def first_start(installer: str, ref: str | None = None) -> tuple[float, float]:
    """Seconds from ``make lab`` to the install's end and to JupyterLab's first answer.

    ``ref``: run the Makefile of that commit instead of ``HEAD`` (``installer`` unused).
    """
    with tempfile.TemporaryDirectory(prefix="advot-first-start-") as tmp:
        tmp = Path(tmp)
        clone = tmp / "course"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        if ref is not None:
            subprocess.run(["git", "checkout", "-q", ref], cwd=clone, check=True)
        port = free_port()
        env = dict(os.environ,
                   UV_CACHE_DIR=str(tmp / "uv-cache"), PIP_CACHE_DIR=str(tmp / "pip-cache"),
                   JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"),
                   BROWSER="true")  # JupyterLab "opens" the page with /bin/true
        env.pop("VIRTUAL_ENV", None)
        log = open(tmp / "make-lab.log", "w")
        start = time.perf_counter()
        proc = subprocess.Popen(["make", "lab", f"INSTALLER={installer}", f"PORT={port}"],
                                cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        installed = None
        try:
            while True:
                now = time.perf_counter() - start
                if installed is None and (clone / ".venv" / ".installed-course").exists():
                    installed = now
                if answers(f"http://127.0.0.1:{port}/api"):
                    return installed if installed is not None else now, now
                if proc.poll() is not None or now > TIMEOUT_S:
                    log.close()
                    tail = (tmp / "make-lab.log").read_text()[-3000:]
                    raise RuntimeError(f"make lab INSTALLER={installer} did not answer:\n{tail}")
                time.sleep(0.1)
        finally:
            # make and jupyter lab share the session started above: stop that group only.
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
            log.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--installers", nargs="+", default=["uv", "pip"], choices=["uv", "pip"])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--ref", help="also time `make lab` as it was at this commit")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    print(f"first start of `make lab` from a fresh clone of {ROOT} (HEAD), empty caches; "
          f"{os.cpu_count()} cores, load {load:.1f}")
    results = {}
    runs = [(name, name, None) for name in args.installers]
    if args.ref:
        runs.append((f"make lab at {args.ref}", "pip", args.ref))
    for run in range(args.runs):
        for label, installer, ref in runs:
            install_s, answer_s = first_start(installer, ref)
            results.setdefault(label, []).append(answer_s)
            print(f"  run {run + 1} {label}: installed after {install_s:5.1f} s, "
                  f"JupyterLab answered after {answer_s:5.1f} s", flush=True)
    width = max(len(label) for label in results)
    print(f"\n{'install':>{width}}  best (s)  all runs (s)")
    for label, times in results.items():
        print(f"{label:>{width}}  {min(times):8.1f}  {', '.join(f'{t:.1f}' for t in times)}")
    if "uv" in results:
        for label, times in results.items():
            if label != "uv":
                print(f"{label} / uv: {min(times) / min(results['uv']):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
