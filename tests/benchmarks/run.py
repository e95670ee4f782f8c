"""Speed benchmarks (``make bench``): our solvers against naive baselines.

Not part of ``make test``: it prints timings, and timings are not tests.
Each row runs *our* code and a *naive baseline* side by side in this one
process, on the same data and the same eps grid, checks that both give the
same values, and reports the ratio of their wall-clock times (CPU times too:
on a busy machine they are the steadier estimate).

(a) three classes, ``datasets.three_blobs(200)`` (600 points, 2-D, l2), 40 eps
    in [0, 0.5].  Ours: :func:`advot_teach.paths.risk_path`.  Baseline: a fresh
    the peers' route (Dai et al. 2023; Werenski): one cvxopt interior-point
    solve of the dual LP per eps, given the hypergraph our solver builds at
    that eps (its construction not timed); values agree to 1e-6 (cvxopt's
    default relative gap).  Floor: 10x.
(b) two classes, ``datasets.binary_blobs(2000)`` (4000 points), 100 eps in
    [0, 0.8] (R* from 0 to about 0.48).  Ours: ``risk_path`` (incremental
    matching).  Baseline: POT's ``ot.emd`` with the 0/1 cost per eps
    (``binary_risk_ot``), about 0.5-1.5 s per eps here, so the baseline alone
    takes one to two minutes (``--binary-stride 4`` times every 4th eps only
    and scales its time up).  Floor: 5x.
(c) ten classes, ``datasets.digits(n_per_class=50)`` (500 points, 64-D, l2),
    ``max_order=3``, 12 eps in [0.8, 1.35]; baseline as in (a), no floor.
(d) the eps-explorer redraw (median and p95), from ``bench_explorer.py``.
(e) executing every notebook (on a temporary copy of ``notebooks/``).
(g) one exact solve against the peers' route (``peers.py``): the dual LP
    (n variables q, one inequality per hyperedge) by cvxopt's interior point
    on the same hypergraph, timed against our whole ``optimal_adversarial_risk``
    (hypergraph included); values agree to 1e-7.  Floor: 2x on the digits.
(h) three Gaussians (Dai et al.'s set-up) at scale: wall time and peak memory
    of one exact solve in a fresh subprocess, 3 x 250 .. 3 x 4000 points at
    eps = 0.85 (floors at 3 x 4000: <= 15 s, <= 800 MB; 3 x 2000 at eps = 1:
    <= 3 s), log-log plot in ``tests/benchmarks/growth.png``.
Scaling: time against n for (a) and (b)'s problems, log-log plot in
``tests/benchmarks/scaling.png``.

The tables go to stdout and to ``tests/benchmarks/RESULTS.md``.  The exit
status is 1 if a floor is missed or values disagree.

Usage::

    python tests/benchmarks/run.py [--quick] [--skip-notebooks] [--skip-explorer] [--skip-peers]
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# Run as a script from anywhere: import this tree's package and tests helpers.
for path in (ROOT, ROOT / "tests", HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import numpy as np  # noqa: E402

from advot_teach import datasets, optimal_adversarial_risk  # noqa: E402
from advot_teach.binary import binary_risk_ot  # noqa: E402
from advot_teach.paths import risk_path_info  # noqa: E402

AGREEMENT = 1e-9  # largest |ours - baseline| accepted between two exact solvers
PEER_AGREEMENT = 1e-6  # against cvxopt's interior point (its default relative gap, reltol = 1e-6)


@dataclass
class Row:
    """One benchmark: our time and the baseline's, on the same eps grid."""

    name: str
    data: str
    n_eps: int
    ours_wall: float
    ours_cpu: float
    base_wall: float | None = None
    base_cpu: float | None = None
    baseline: str = ""
    max_diff: float | None = None
    floor: float | None = None
    note: str = ""
    agreement: float = AGREEMENT

    @property
    def ratio(self):
        return None if self.base_wall is None else self.base_wall / self.ours_wall

    @property
    def cpu_ratio(self):
        return None if self.base_cpu is None else self.base_cpu / self.ours_cpu

    @property
    def ok(self):
        agree = self.max_diff is None or self.max_diff <= self.agreement
        fast = self.floor is None or (self.ratio is not None and self.ratio >= self.floor)
        return agree and fast


def clock(fn, repeat=1):
    """Run ``fn`` ``repeat`` times; return its last result and the best wall and CPU seconds.

    The best of a few runs (timeit's convention) removes the noise that other
    processes add to a short run; the baselines run once, and being long
    (tens of solves) they average that noise out.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result, min(walls), min(cpus)


def per_eps(solve, eps_values):
    return np.array([solve(float(e)) for e in eps_values])


def say(text=""):
    print(text, flush=True)

#: The baseline of the eps-paths (a) and (c): the peers' route (Dai et al. 2023;
#: Werenski), one cvxopt interior-point solve of the dual LP per eps, given the
#: same hypergraph our solver builds at that eps (its construction not timed).
PEER_ROUTE = "cvxopt dual LP per eps (hypergraph given)"


def peers_per_eps(X, y, eps_values, max_order=None):
    """R* per eps by the peers' route; returns (risks, wall seconds, CPU seconds) of the LP solves."""
    from advot_teach._validation import check_data
    from advot_teach.hypergraph import conflict_hypergraph
    from peers import cvxopt_dual_lp

    _, codes, _, w = check_data(X, y)
    risks, wall, cpu = [], 0.0, 0.0
    for eps in eps_values:
        hg = conflict_hypergraph(X, codes, float(eps), 2, max_order)
        edges = [hg.edges[k] for k in hg.orders if max_order is None or k <= max_order]
        if edges:
            b_star, seconds, cpu_seconds = cvxopt_dual_lp(w, edges)
        else:  # no conflict: every point is its own atom, B* = 1
            b_star, seconds, cpu_seconds = 1.0, 0.0, 0.0
        risks.append(1.0 - b_star)
        wall += seconds
        cpu += cpu_seconds
    return np.array(risks), wall, cpu



# --- (a) three classes ------------------------------------------------------------

def bench_three_classes(args) -> Row:
    X, y = datasets.three_blobs(200)
    eps = np.linspace(0.0, 0.5, 40)
    info, wall, cpu = clock(lambda: risk_path_info(X, y, eps), repeat=3)
    say(f"(a) ours: {wall:.2f} s ({info.n_hyperedges:,} hyperedges at eps max, {info.n_solves} warm LP "
        f"solves, {info.n_columns:,} columns ever in the model); baseline running ...")
    base, base_wall, base_cpu = peers_per_eps(X, y, eps)
    return Row("(a) 3 classes, l2", "three_blobs(200): n = 600, d = 2", len(eps), wall, cpu, base_wall, base_cpu,
               PEER_ROUTE, float(np.abs(info.risk - base).max()), floor=10.0, agreement=PEER_AGREEMENT,
               note=f"eps in [0, 0.5]; R* up to {info.risk.max():.3f}")


# --- (b) two classes --------------------------------------------------------------

def bench_binary(args) -> Row:
    X, y = datasets.binary_blobs(2000)
    eps = np.linspace(0.0, 0.8, 100)
    info, wall, cpu = clock(lambda: risk_path_info(X, y, eps), repeat=3)
    say(f"(b) ours: {wall:.2f} s ({info.n_hyperedges:,} conflicting pairs at eps max, {info.n_solves} "
        f"alternating-path searches); baseline running on {len(eps[::args.binary_stride])} eps ...")
    sub = eps[::args.binary_stride]
    base, base_wall, base_cpu = clock(lambda: per_eps(lambda e: binary_risk_ot(X, y, e), sub))
    scale = len(eps) / len(sub)
    note = f"eps in [0, 0.8]; R* up to {info.risk.max():.3f}"
    if scale > 1:
        note += f"; baseline timed on every {args.binary_stride}th eps ({len(sub)}), time scaled x{scale:.2f}"
    return Row("(b) 2 classes, l2", "binary_blobs(2000): n = 4000, d = 2", len(eps), wall, cpu,
               base_wall * scale, base_cpu * scale, "POT ot.emd, 0/1 cost, per eps",
               float(np.abs(info.risk[::args.binary_stride] - base).max()), floor=5.0, note=note)


# --- (c) digits ---------------------------------------------------------------------

def bench_digits(args) -> Row:
    X, y = datasets.digits(n_per_class=50)
    eps = np.linspace(0.8, 1.35, 12)
    info, wall, cpu = clock(lambda: risk_path_info(X, y, eps, max_order=3), repeat=1)
    say(f"(c) ours: {wall:.2f} s ({info.n_hyperedges:,} hyperedges of size <= 3 at eps max, of which building "
        f"the hypergraph is most); baseline running ...")
    base, base_wall, base_cpu = peers_per_eps(X, y, eps, max_order=3)
    return Row("(c) 10 digits, l2, L = 3", "digits, 50 per class: n = 500, d = 64", len(eps), wall, cpu,
               base_wall, base_cpu, PEER_ROUTE, float(np.abs(info.risk - base).max()), agreement=PEER_AGREEMENT,
               note=f"eps in [0.8, 1.35]; R*_3 up to {info.risk.max():.3f}")


# --- (d) explorer ---------------------------------------------------------------------

def bench_single_eps(args):
    """Issue floor: one exact solve, 3 x 100 points in 2-D, about half of them in conflict, < 1 s."""
    from advot_teach.geometry import pairwise_distances

    X, y = datasets.three_blobs(100)
    D = pairwise_distances(X, X, 2)
    cross = np.where(y[:, None] != y[None, :], D, np.inf).min(axis=1)  # nearest other-class point
    eps = float(np.median(cross) / 2)  # half the points have a conflict partner at this eps
    in_conflict = float(np.mean(cross <= 2 * eps))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = optimal_adversarial_risk(X, y, eps)
        times.append(time.perf_counter() - start)
    best = min(times)
    return [f"three_blobs(100): n = 300, K = 3, eps = {eps:.4f}, {in_conflict:.0%} of points in conflict, "
            f"{len(result.hyperedges):,} hyperedges, R* = {result.risk:.4f}",
            f"optimal_adversarial_risk: best of 3 {best * 1000:.0f} ms (floor: < 1 s) -> "
            f"{'ok' if best < 1.0 else 'FLOOR MISSED'}"], best < 1.0


def bench_explorer(args):
    """Median and p95 redraw times (ms) from bench_explorer.py."""
    from bench_explorer import explorer_redraw_times

    report = explorer_redraw_times()
    lines = [f"setup: {report['setup']['wall_s']:.1f} s ({report['setup']['breakpoints']} breakpoints, "
             f"{report['setup']['lps']} LPs)"]
    for key, label in (("redraw", "slider move + full Agg render"), ("update", "of which artist updates"),
                       ("render", "of which Agg render"), ("naive", "naive: re-solve + new figure")):
        st = report[key]
        lines.append(f"{label}: median {st['wall_median_ms']:.1f} ms, p95 {st['wall_p95_ms']:.1f} ms")
    lines.append(f"speed-up of the median redraw: x{report['speedup']:.1f} (floor: median <= 60 ms)")
    return lines, ""


def explorer_lines(numbers, problem):
    if numbers is None:
        return [problem]
    if isinstance(numbers, dict):
        return [f"{key}: {_fmt_value(value)}" for key, value in numbers.items()]
    if isinstance(numbers, list):
        return [f"`{line}`" if not line.startswith("TODO") else line for line in numbers]
    return [str(numbers)]


def _fmt_value(value):
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


# --- (e) notebooks ------------------------------------------------------------------------

def bench_notebooks(args):
    """Execute every notebook of a temporary copy of notebooks/; return [(name, seconds or error)]."""
    import notebook_tools

    out = []
    saved = {key: os.environ.get(key) for key in ("MPLBACKEND", "PYTHONHASHSEED")}
    with tempfile.TemporaryDirectory(prefix="advot-bench-") as tmp:
        copy = Path(tmp) / "notebooks"
        shutil.copytree(ROOT / "notebooks", copy)
        for path in sorted(copy.glob("*.ipynb")):
            try:
                seconds = notebook_tools.execute(path)
                out.append((path.name, seconds))
                say(f"(e) {path.name:45s} {seconds:6.1f} s")
            except Exception as exc:  # noqa: BLE001 - one failing notebook must not hide the others
                out.append((path.name, f"failed: {type(exc).__name__}"))
                say(f"(e) {path.name:45s} FAILED ({type(exc).__name__}: {str(exc)[:200]})")
    for key, value in saved.items():  # notebook_tools.execute sets these for its kernels
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    return out


# --- scaling ---------------------------------------------------------------------------------

def bench_scaling(args):
    """Wall time against n for the problems of (a) and (b); baselines where affordable."""
    rows = []
    three = [25, 50, 100, 200] if args.quick else [25, 50, 100, 200, 400]
    binary = [250, 500, 1000] if args.quick else [250, 500, 1000, 2000, 4000]
    eps3, eps2 = np.linspace(0, 0.4, 20), np.linspace(0, 0.8, 20)
    for m in three:
        X, y = datasets.three_blobs(m)
        info, wall, _ = clock(lambda: risk_path_info(X, y, eps3))
        base_wall = None
        if m <= 200:
            _, base_wall, _ = clock(lambda: per_eps(lambda e: optimal_adversarial_risk(X, y, e).risk, eps3))
        rows.append(("3 classes", len(X), wall, base_wall, info.n_hyperedges))
        say(f"scaling 3 classes n = {len(X):5d}: ours {wall:7.2f} s, baseline {_fmt_s(base_wall)}")
    for m in binary:
        X, y = datasets.binary_blobs(m)
        info, wall, _ = clock(lambda: risk_path_info(X, y, eps2, max_hyperedges=20_000_000))
        base_wall = None
        if m <= 1000:
            _, base_wall, _ = clock(lambda: per_eps(lambda e: binary_risk_ot(X, y, e), eps2))
        rows.append(("2 classes", len(X), wall, base_wall, info.n_hyperedges))
        say(f"scaling 2 classes n = {len(X):5d}: ours {wall:7.2f} s, baseline {_fmt_s(base_wall)}")
    plot_scaling(rows, HERE / "scaling.png")
    return rows


def plot_scaling(rows, path):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 4.4), layout="constrained")
    ax = fig.add_subplot()
    styles = {"3 classes": "tab:blue", "2 classes": "tab:orange"}
    for problem, colour in styles.items():
        pts = [r for r in rows if r[0] == problem]
        n = np.array([r[1] for r in pts])
        ax.loglog(n, [r[2] for r in pts], "o-", color=colour, label=f"{problem}: risk_path")
        base = [(r[1], r[3]) for r in pts if r[3] is not None]
        if base:
            label = "fresh LP per eps" if problem == "3 classes" else "POT ot.emd per eps"
            ax.loglog(*zip(*base), "s--", color=colour, alpha=0.6, label=f"{problem}: {label}")
    ax.set_xlabel("number of points n")
    ax.set_ylabel("wall time for 20 eps values (s)")
    ax.set_title("Exact R*(eps) on a 20-value eps grid")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.savefig(path, dpi=110)


# --- (g) peers' route and (h) time and memory at scale -----------------------------------

PEER_SETTINGS = ["digits50", "digits100", "gauss:2000:1.0", "gauss:2000:0.88"]
PEER_FLOORS = {"digits50": 2.0, "digits100": 2.0}


def bench_peers(args):
    """Rows of (g): ours (whole solve) against cvxopt's dual LP on the same hypergraph."""
    import peers

    rows = []
    for name in PEER_SETTINGS[:2] if args.quick else PEER_SETTINGS:
        row = peers.one_shot_row(name)
        row["floor"] = PEER_FLOORS.get(name)
        rows.append(row)
        say(f"(g) {row['data']}: ours {row['ours']:.2f} s, cvxopt {row['cvxopt']:.2f} s, "
            f"x{row['cvxopt'] / row['ours']:.1f}, |diff| {row['diff']:.1e}")
    return rows


def bench_sinkhorn(args):
    """Sinkhorn bound with its certified rounding, on the digits settings of (g), best of 3 (no peer here)."""
    import peers

    from advot_teach import sinkhorn_adversarial_risk

    rows = []
    for name in PEER_SETTINGS[:2]:
        X, y, eps, L, description = peers.problem(name)
        result, wall, cpu = clock(lambda: sinkhorn_adversarial_risk(X, y, eps, max_order=L), repeat=3)
        rows.append({"data": description, "wall": wall, "cpu": cpu, "risk": result.risk, "dual": result.dual_bound})
        say(f"(g) Sinkhorn, {description}: {wall:.3f} s, bound {result.risk:.4f}")
    return rows


def bench_growth(args):
    """(h): wall time and peak memory of one exact solve, each in a fresh subprocess."""
    import peers

    sizes = [250, 500, 1000, 2000] if args.quick else [250, 500, 1000, 2000, 4000]
    runs = []
    for m in sizes:
        out = peers.measured_in_subprocess(f"gauss:{m}:0.85")
        runs.append({"n": 3 * m, "eps": 0.85, **out})
        say(f"(h) 3 x {m}, eps 0.85: {out['wall']:.2f} s, peak {out['peak_mb']:.0f} MB, "
            f"{out['hyperedges']:,} hyperedges")
    out = peers.measured_in_subprocess("gauss:2000:1.0")
    runs.append({"n": 6000, "eps": 1.0, **out})
    say(f"(h) 3 x 2000, eps 1.0: {out['wall']:.2f} s, peak {out['peak_mb']:.0f} MB")
    plot_growth([r for r in runs if r["eps"] == 0.85], HERE / "growth.png")
    return runs


def growth_ok(runs):
    """The issue's limits: 3 x 4000 at eps 0.85 <= 15 s and 800 MB; 3 x 2000 at eps 1 <= 3 s."""
    ok = True
    for r in runs:
        if r["n"] == 12000 and r["eps"] == 0.85:
            ok &= r["wall"] <= 15 and r["peak_mb"] <= 800
        if r["n"] == 6000 and r["eps"] == 1.0:
            ok &= r["wall"] <= 3
    return ok


def plot_growth(runs, path):
    from matplotlib.figure import Figure

    n = np.array([r["n"] for r in runs])
    fig = Figure(figsize=(6.4, 4.4), layout="constrained")
    ax = fig.add_subplot()
    ax.loglog(n, [r["wall"] for r in runs], "o-", color="tab:blue", label="wall time (s)")
    ax.set_xlabel("number of points n (three Gaussians, eps = 0.85)")
    ax.set_ylabel("wall time of one exact solve (s)")
    ax.grid(True, which="both", alpha=0.3)
    right = ax.twinx()
    right.loglog(n, [max(r["solve_mb"], 1.0) for r in runs], "s--", color="tab:orange",
                 label="peak memory above the call's start (MB)")
    right.set_ylabel("MB (upper bound on the solve's memory)")
    lines = ax.get_lines() + right.get_lines()
    ax.legend(lines, [line.get_label() for line in lines], loc="upper left", fontsize=8)
    ax.set_title("optimal_adversarial_risk: time and memory against n")
    fig.savefig(path, dpi=110)


# --- report ---------------------------------------------------------------------------------

def machine_info():
    import numpy
    import scipy

    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {"python": platform.python_version(), "numpy": numpy.__version__, "scipy": scipy.__version__}
    from importlib.metadata import PackageNotFoundError, version

    for name in ("highspy", "POT", "cvxopt"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {"nproc": os.cpu_count(), "cpu": model, "load": load, **versions}


def machine_line(machine):
    return (f"Machine: {machine['nproc']} cores, {machine['cpu']}; load average {machine['load']:.2f} at start. "
            f"Python {machine['python']}, numpy {machine['numpy']}, scipy {machine['scipy']}, "
            f"highspy {machine.get('highspy')}, cvxopt {machine.get('cvxopt')}.")


def _fmt_s(seconds):
    return "-" if seconds is None else f"{seconds:.2f} s"


def _fmt_x(ratio):
    return "-" if ratio is None else f"{ratio:.1f}x"


def render(machine, rows, explorer, notebooks, scaling, started, single=(), peer_rows=None, growth=None,
           sinkhorn=None):
    out = ["# Benchmark results", "",
           f"Machine: {machine['nproc']} cores, {machine['cpu']}; load average {machine['load']:.2f} at start. "
           f"Python {machine['python']}, numpy {machine['numpy']}, scipy {machine['scipy']}, "
           f"highspy {machine.get('highspy')}, POT {machine.get('POT')}.  "
           f"Generated by `make bench` ({time.strftime('%Y-%m-%d')}, {time.time() - started:.0f} s in all).", "",
           "Ours and the baseline run one after the other in the same process on the same data and eps grid; "
           "*ratio* = baseline wall time / our wall time (CPU-time ratio beside it).  Ours: best of 3 runs "
           "for (a) and (b), one run for (c); baselines: one run.  *max abs diff* compares the R* values of "
           f"the two (required: <= {AGREEMENT:g} between exact solvers, {PEER_AGREEMENT:g} against cvxopt).", "",
           "| benchmark | data | eps values | ours | baseline | ratio (wall) | ratio (CPU) | floor "
           "| max abs diff | ok |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|:---:|"]
    for r in rows:
        out.append(f"| {r.name} | {r.data} | {r.n_eps} | {_fmt_s(r.ours_wall)} | {_fmt_s(r.base_wall)} "
                   f"({r.baseline}) | **{_fmt_x(r.ratio)}** | {_fmt_x(r.cpu_ratio)} | "
                   f"{'-' if r.floor is None else f'{r.floor:g}x'} | "
                   f"{'-' if r.max_diff is None else f'{r.max_diff:.1e}'} | {'yes' if r.ok else 'NO'} |")
    out.append("")
    out += [f"- {r.name}: {r.note}" for r in rows if r.note]
    out.append("")
    out.append("## (d) Explorer redraw")
    out.append("")
    out += [f"- {line}" for line in explorer]
    out.append("")
    out.append("## (f) One exact solve")
    out.append("")
    out += [f"- {line}" for line in single]
    out.append("")
    out += render_peers(peer_rows, growth, sinkhorn)
    out.append("## (e) Notebooks (executed on a temporary copy)")
    out.append("")
    if notebooks is None:
        out.append("- skipped (--skip-notebooks)")
    else:
        out += ["| notebook | seconds |", "|---|---:|"]
        total = 0.0
        for name, seconds in notebooks:
            if isinstance(seconds, float):
                total += seconds
                out.append(f"| {name} | {seconds:.1f} |")
            else:
                out.append(f"| {name} | {seconds} |")
        out.append(f"| **total** | **{total:.1f}** |")
    out.append("")
    out.append("## Scaling (20 eps values; plot: tests/benchmarks/scaling.png)")
    out.append("")
    if scaling is None:
        out.append("- skipped")
    else:
        out += ["| problem | n | hyperedges at eps max | ours | baseline | ratio |", "|---|---:|---:|---:|---:|---:|"]
        for problem, n, wall, base, edges in scaling:
            out.append(f"| {problem} | {n} | {edges:,} | {_fmt_s(wall)} | {_fmt_s(base)} | "
                       f"{_fmt_x(None if base is None else base / wall)} |")
        out += ["", "3 classes: three_blobs, eps in [0, 0.4]; 2 classes: binary_blobs, eps in [0, 0.8] "
                "(n counts both classes).  Baselines as in (a) and (b), run for the smaller n only: they grow "
                "fastest.  The 2-class runs pass max_hyperedges=20_000_000: at n = 8000 there are 6.2 "
                "million conflicting pairs, above the default cap of 3 million."]
    return "\n".join(out) + "\n"


def render_peers(peer_rows, growth, sinkhorn=None):
    out = ["## (g) One exact solve against the peers' route (cvxopt interior point on the dual LP)", ""]
    if peer_rows is None:
        out += ["- skipped (--skip-peers)", ""]
    else:
        out += ["Ours: `optimal_adversarial_risk`, hypergraph included, best of 3.  Baseline: the dual LP "
                "(max w'q, one inequality per hyperedge, 0 <= q <= 1) by `cvxopt.solvers.lp`, one run, on the "
                f"same hypergraph (not timed).  Values must agree to {peers_agreement():g}.", "",
                "| setting | hyperedges | ours | cvxopt LP alone | ratio (wall) | ratio (CPU) | floor "
                "| abs diff of R* | ok |",
                "|---|---:|---:|---:|---:|---:|---:|---:|:---:|"]
        for r in peer_rows:
            ratio = r["cvxopt"] / r["ours"]
            floor = "-" if r["floor"] is None else f"{r['floor']:g}x"
            edges = " + ".join(f"{m:,}" for m in r["hyperedges"])
            out.append(f"| {r['data']} | {edges} | {r['ours']:.2f} s | {r['cvxopt']:.2f} s | **{ratio:.1f}x** | "
                       f"{r['cvxopt_cpu'] / r['ours_cpu']:.1f}x | {floor} | {r['diff']:.1e} | "
                       f"{'yes' if peer_ok(r) else 'NO'} |")
        out.append("")
    if sinkhorn:
        out += ["Sinkhorn lower bound with its certified rounding (`sinkhorn_adversarial_risk`, reg 0.05, "
                "hypergraph included, best of 3).  The peer's code (Werenski's `truncated_emot`, MattWerenski/"
                "Adversarial-OT) is no installable package, so it is not run here (one side-by-side run is in the "
                "README):", "",
                "| setting | wall | CPU | certified bound | dual bound |", "|---|---:|---:|---:|---:|"]
        out += [f"| {r['data']} | {r['wall']:.3f} s | {r['cpu']:.3f} s | {r['risk']:.4f} | {r['dual']:.4f} |"
                for r in sinkhorn]
        out.append("")
    out += ["## (h) Three Gaussians at scale: one exact solve in a fresh process (plot: tests/benchmarks/growth.png)",
            ""]
    if growth is None:
        out += ["- skipped (--skip-peers)", ""]
    else:
        out += ["| n | eps | hyperedges | wall | peak memory | peak above the call's start | R* |",
                "|---:|---:|---:|---:|---:|---:|---:|"]
        for r in growth:
            out.append(f"| {r['n']:,} | {r['eps']:g} | {r['hyperedges']:,} | {r['wall']:.2f} s | "
                       f"{r['peak_mb']:.0f} MB | {r['solve_mb']:.0f} MB | {r['risk']:.4f} |")
        out += ["", "Limits: 3 x 4000 at eps = 0.85 within 15 s and 800 MB, 3 x 2000 at eps = 1 within 3 s: "
                f"{'met' if growth_ok(growth) else 'MISSED'}.  Peak memory is the process's resident peak "
                "(interpreter and imports included); *peak above the call's start* is that peak minus the resident size "
                "just before the call, an upper bound on what the solve took (the peak may come from the imports).", ""]
    return out


def peers_agreement():
    import peers

    return peers.AGREEMENT


def peer_ok(row):
    import peers

    fast = row["floor"] is None or row["cvxopt"] / row["ours"] >= row["floor"]
    return fast and row["diff"] <= peers.AGREEMENT


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller scaling runs and the binary baseline on every 4th eps")
    parser.add_argument("--binary-stride", type=int, default=None,
                        help="time the (b) baseline on every k-th eps only (default 1; 4 with --quick)")
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--skip-explorer", action="store_true")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--skip-peers", action="store_true",
                        help="skip (g) the cvxopt comparison and (h) time and memory at scale")
    parser.add_argument("--only-peers", action="store_true", help="run (g) and (h) only")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    if args.binary_stride is None:
        args.binary_stride = 4 if args.quick else 1
    started = time.time()
    machine = machine_info()
    say(f"machine: nproc {machine['nproc']}, {machine['cpu']}, load {machine['load']:.2f}; python "
        f"{machine['python']}, numpy {machine['numpy']}, scipy {machine['scipy']}, highspy {machine.get('highspy')}")

    peer_rows = growth = sinkhorn = None
    if not args.skip_peers:
        peer_rows, sinkhorn, growth = bench_peers(args), bench_sinkhorn(args), bench_growth(args)
    peers_failed = [] if peer_rows is None else (
        [f"(g) {r['data']}" for r in peer_rows if not peer_ok(r)] + ([] if growth_ok(growth) else ["(h) limits"]))
    if args.only_peers:
        report = "\n".join(["# Benchmark results: (g) and (h) only", "", machine_line(machine), ""]
                           + render_peers(peer_rows, growth, sinkhorn)) + "\n"
        path = args.output.with_name("RESULTS_peers.md")
        path.write_text(report)
        say(report)
        say(f"written to {path}")
        return 1 if peers_failed else 0
    rows = [bench_three_classes(args), bench_binary(args), bench_digits(args)]
    single, single_ok = bench_single_eps(args)
    if args.skip_explorer:
        explorer = ["skipped (--skip-explorer)"]
    else:
        say("(d) explorer redraw ...")
        explorer = explorer_lines(*bench_explorer(args))
    scaling = None if args.skip_scaling else bench_scaling(args)
    notebooks = None if args.skip_notebooks else bench_notebooks(args)

    report = render(machine, rows, explorer, notebooks, scaling, started, single, peer_rows, growth, sinkhorn)
    args.output.write_text(report)
    say()
    say(report)
    say(f"written to {args.output}")
    failed = [r.name for r in rows if not r.ok] + ([] if single_ok else ["(f) one exact solve"]) + peers_failed
    if failed:
        say(f"FAILED (floor missed or values disagree): {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
