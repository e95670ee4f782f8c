"""How fast does the eps-explorer redraw?  (Not a test: prints numbers.)

Data: ``datasets.three_blobs(100)`` (K = 3, 300 points), default ``eps_max``.
One *redraw* = set ``explorer.slider.value`` (which updates every artist in
place, renders the live figure with Agg and encodes the changed rectangles
it sends to the browser) + one more full Agg render
``explorer.fig.canvas.draw()``.  (The second render makes this an upper
bound; ``make bench-browser`` times the whole way to the screen.)

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


def summary(name, samples, report):
    """Record and print the median and p95 (ms) of timed samples."""
    wall = 1000 * np.array([s[0] for s in samples])
    cpu = 1000 * np.array([s[1] for s in samples])
    stats = {"wall_median_ms": float(np.median(wall)), "wall_p95_ms": float(np.percentile(wall, 95)),
             "cpu_median_ms": float(np.median(cpu)), "cpu_p95_ms": float(np.percentile(cpu, 95))}
    report[name] = stats
    print(f"{name:34s} wall median {stats['wall_median_ms']:7.1f} ms  p95 {stats['wall_p95_ms']:7.1f} ms | "
          f"cpu median {stats['cpu_median_ms']:7.1f} ms  p95 {stats['cpu_p95_ms']:7.1f} ms")
    return stats


def explorer_redraw_times(n_per_class=100, moves=40, naive_moves=8):
    """Time explorer redraws against the naive redraw; print and return the numbers.

    Returns
    -------
    dict
        ``{"setup": ..., "redraw": {...}, "update": {...}, "render": {...},
        "naive": {...}, "speedup": float}``; times in ms (setup in s).
    """
    X, y = datasets.three_blobs(n_per_class)
    holder = {}
    wall, cpu = timed(lambda: holder.setdefault("ex", epsilon_explorer(X, y)))
    ex = holder["ex"]
    levels = ex.levels
    report = {"setup": {"wall_s": wall, "cpu_s": cpu, "breakpoints": len(levels.breakpoints),
                        "lps": levels.n_solves}}
    print(f"data: three_blobs({n_per_class}), n = {len(X)}, K = 3, eps_max = {ex.eps_max}")
    print(f"setup (hypergraph, {len(levels.breakpoints)} breakpoints, {levels.n_solves} LPs for "
          f"{len(set(levels.level_of_state.tolist()))} levels, first render): wall {wall:.1f} s, cpu {cpu:.1f} s")

    rng = np.random.default_rng(0)
    eps_moves = rng.uniform(0, ex.eps_max, moves)
    ex.fig.canvas.draw()

    def move(eps):
        ex.slider.value = float(eps)
        ex.fig.canvas.draw()

    def update_only(eps):
        ex.slider.value = float(eps)

    fast = summary("redraw", [timed(lambda e=e: move(e)) for e in eps_moves], report)
    summary("update", [timed(lambda e=e: update_only(e)) for e in eps_moves[::-1]], report)
    summary("render", [timed(lambda: FigureCanvasAgg.draw(ex.fig.canvas)) for _ in range(moves // 2)], report)

    curve_eps, curve_risk = levels.curve()

    def naive(eps):
        result = optimal_adversarial_risk(X, y, float(eps))
        fig = Figure(figsize=(12.6, 5.4), layout="constrained")
        FigureCanvasAgg(fig)
        ax, cax = fig.subplots(1, 2, width_ratios=[7, 4.5])
        plots.draw_result(ax, result, resolution=160)
        plots.draw_risk_curve(cax, curve_eps, curve_risk, current_eps=float(eps))
        fig.canvas.draw()

    slow = summary("naive", [timed(lambda e=e: naive(e)) for e in eps_moves[:naive_moves]], report)
    report["speedup"] = slow["wall_median_ms"] / fast["wall_median_ms"]
    print(f"speed-up of the median redraw: wall x{report['speedup']:.1f}")
    ex.close()
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=40)
    parser.add_argument("--naive-moves", type=int, default=8)
    parser.add_argument("--n-per-class", type=int, default=100)
    args = parser.parse_args(argv)
    explorer_redraw_times(args.n_per_class, args.moves, args.naive_moves)


if __name__ == "__main__":
    main()
