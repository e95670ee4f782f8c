"""One exact solve against the peers' route, and time and memory at scale (``make bench``).

The peers' fastest exact route on dense problems (Dai et al. 2023; the same
as Werenski's exact solver) is the *dual* LP

    max w'q  subject to  sum_{j in e} q_j <= 1 for every hyperedge e,  0 <= q <= 1,

n variables, solved by cvxopt's interior point (``cvxopt.solvers.lp``, its
default tolerances).  Here it gets the SAME hypergraph our solver builds
(not timed), and is timed against our whole ``optimal_adversarial_risk``
call, hypergraph included.  Values must agree to 1e-7 (cvxopt's tolerance).

Time and peak memory at scale are measured in a fresh subprocess per run
(``resource.getrusage(RUSAGE_SELF).ru_maxrss`` in the child: its peak
resident set, interpreter and imports included), so that earlier runs leave
nothing behind.

Data: Dai et al.'s three Gaussians -- centres at distance 3 from the origin,
120 degrees apart, unit variance, in the plane (seeded here) -- and
scikit-learn's bundled digits.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
AGREEMENT = 1e-7


def gaussians(n_per_class, seed=0, distance=3.0):
    """Three unit-variance Gaussians in the plane, centres ``distance`` from 0, 120 degrees apart."""
    rng = np.random.default_rng(seed)
    angles = np.deg2rad([150.0, 30.0, 270.0])
    centres = distance * np.column_stack([np.cos(angles), np.sin(angles)])
    X = np.concatenate([c + rng.standard_normal((n_per_class, 2)) for c in centres])
    return X, np.repeat(np.arange(3), n_per_class)


def problem(name):
    """(X, y, eps, max_order, description) of a named setting."""
    from advot_teach import datasets

    if name == "digits50":
        X, y = datasets.digits(n_per_class=50)
        return X, y, 1.3, 3, "digits 10 x 50, l2, L = 3, eps = 1.3"
    if name == "digits100":
        X, y = datasets.digits(n_per_class=100)
        return X, y, 1.3, 2, "digits 10 x 100, l2, L = 2, eps = 1.3"
    kind, n, eps = name.split(":")  # "gauss:2000:1.0"
    X, y = gaussians(int(n))
    return X, y, float(eps), None, f"three Gaussians 3 x {n}, l2, eps = {eps}"


def cvxopt_dual_lp(weights, edges):
    """The peers' LP on the given hyperedges; returns (B*, wall and CPU seconds of ``solvers.lp``)."""
    from cvxopt import matrix, solvers, spmatrix

    solvers.options["show_progress"] = False
    n = len(weights)
    rows, cols, r = [], [], 0
    for E in edges:
        m, k = E.shape
        rows.append(np.repeat(np.arange(r, r + m), k))
        cols.append(E.ravel())
        r += m
    rows += [np.arange(r, r + n), np.arange(r + n, r + 2 * n)]  # q <= 1, then -q <= 0
    cols += [np.arange(n), np.arange(n)]
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    values = np.ones(len(rows))
    values[-n:] = -1.0
    G = spmatrix(values.tolist(), rows.tolist(), cols.tolist(), (r + 2 * n, n))
    h = matrix(np.concatenate([np.ones(r + n), np.zeros(n)]))
    c = matrix(-np.asarray(weights, dtype=float))
    start, cpu = time.perf_counter(), time.process_time()
    solution = solvers.lp(c, G, h)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if solution["status"] != "optimal":
        raise RuntimeError(f"cvxopt: {solution['status']}")
    return -float(solution["primal objective"]), seconds, cpu


def one_shot_row(name, repeat=3):
    """Our whole solve (best of ``repeat``) against cvxopt's LP alone on the same hypergraph."""
    from advot_teach import optimal_adversarial_risk
    from advot_teach._validation import check_data
    from advot_teach.hypergraph import conflict_hypergraph

    X, y, eps, L, description = problem(name)
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = optimal_adversarial_risk(X, y, eps, max_order=L)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    _, codes, _, w = check_data(X, y)
    hg = conflict_hypergraph(X, codes, eps, 2, L)
    edges = [hg.edges[k] for k in hg.orders if L is None or k <= L]
    b_star, base, base_cpu = cvxopt_dual_lp(w, edges)
    return {"name": name, "data": description, "hyperedges": [len(E) for E in edges], "ours": min(walls),
            "ours_cpu": min(cpus), "cvxopt": base, "cvxopt_cpu": base_cpu, "risk": result.risk,
            "diff": abs((1 - b_star) - result.risk)}


_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {here!r})
from peers import problem
from advot_teach import optimal_adversarial_risk
X, y, eps, L, _ = problem({name!r})
with open("/proc/self/statm") as f:  # resident pages after the imports and the data
    before = int(f.read().split()[1]) * resource.getpagesize() / 2**20
start = time.perf_counter()
result = optimal_adversarial_risk(X, y, eps, max_order=L, max_hyperedges=20_000_000)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
edges = int(sum(len(e) for e in result.hypergraph.edges.values()))
print(json.dumps({{"wall": wall, "peak_mb": peak, "solve_mb": peak - before, "risk": result.risk,
                  "hyperedges": edges}}))
"""


def measured_in_subprocess(name, timeout=600):
    """Wall seconds of the solve and the child's peak memory (MB), in a fresh interpreter."""
    code = _CHILD.format(here=str(Path(__file__).resolve().parent), name=name)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{name}: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
