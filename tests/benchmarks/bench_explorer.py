"""How fast does the eps-explorer redraw?  (Not a test: prints numbers.)

Data: ``datasets.three_blobs(100)`` (K = 3, 300 points), default ``eps_max``.
One *redraw* = set ``explorer.slider.value`` (which updates every artist in
place) + a full render ``explorer.fig.canvas.draw()`` of the ipympl canvas
(Agg render plus the PNG diff frame it would send to the browser).

Baseline, a *naive redraw*: solve ``optimal_adversarial_risk`` at eps,
build a new figure with :func:`plots.draw_result` and the (already known)
R* curve, and render it with Agg.

Usage::

    python tests/benchmarks/bench_explorer.py [--moves 40] [--n-per-class 100]

Prints wall-clock and CPU (process) time; on a busy machine the CPU time is
the better estimate of an unloaded wall clock.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from advot_teach import datasets, optimal_adversarial_risk, plots
from advot_teach.widgets import epsilon_explorer


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def summary(name, samples):
    wall = 1000 * np.array([s[0] for s in samples])
    cpu = 1000 * np.array([s[1] for s in samples])
    print(f"{name:34s} wall median {np.median(wall):7.1f} ms  p95 {np.percentile(wall, 95):7.1f} ms | "
          f"cpu median {np.median(cpu):7.1f} ms  p95 {np.percentile(cpu, 95):7.1f} ms")
    return np.median(wall), np.median(cpu)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=40)
    parser.add_argument("--naive-moves", type=int, default=8)
    parser.add_argument("--n-per-class", type=int, default=100)
    args = parser.parse_args(argv)

    X, y = datasets.three_blobs(args.n_per_class)
    wall, cpu = timed(lambda: globals().__setitem__("_ex", epsilon_explorer(X, y)))
    ex = globals().pop("_ex")
    levels = ex.levels
    print(f"data: three_blobs({args.n_per_class}), n = {len(X)}, K = 3, eps_max = {ex.eps_max}")
    print(f"setup (hypergraph, {len(levels.breakpoints)} breakpoints, {levels.n_solves} LPs for "
          f"{len(set(levels.level_of_state.tolist()))} levels, first render): wall {wall:.1f} s, cpu {cpu:.1f} s")

    rng = np.random.default_rng(0)
    moves = rng.uniform(0, ex.eps_max, args.moves)
    ex.fig.canvas.draw()

    def move(eps):
        ex.slider.value = float(eps)
        ex.fig.canvas.draw()

    def update_only(eps):
        ex.slider.value = float(eps)

    fast = summary("explorer: move + canvas.draw()", [timed(lambda e=e: move(e)) for e in moves])
    summary("  of which: move (artist updates)", [timed(lambda e=e: update_only(e)) for e in moves[::-1]])
    summary("  of which: Agg render only", [timed(lambda: FigureCanvasAgg.draw(ex.fig.canvas))
                                           for _ in range(len(moves) // 2)])

    curve_eps, curve_risk = levels.curve()

    def naive(eps):
        result = optimal_adversarial_risk(X, y, float(eps))
        fig = Figure(figsize=(12.6, 5.4), layout="constrained")
        FigureCanvasAgg(fig)
        ax, cax = fig.subplots(1, 2, width_ratios=[7, 4.5])
        plots.draw_result(ax, result, resolution=160)
        plots.draw_risk_curve(cax, curve_eps, curve_risk, current_eps=float(eps))
        fig.canvas.draw()

    slow = summary("naive: re-solve + new figure", [timed(lambda e=e: naive(e)) for e in moves[:args.naive_moves]])
    print(f"speed-up of the median redraw: wall x{slow[0] / fast[0]:.1f}, cpu x{slow[1] / fast[1]:.1f}")
    ex.close()


if __name__ == "__main__":
    main()
