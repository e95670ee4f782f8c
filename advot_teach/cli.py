"""Command line: the optimal adversarial risk curve of your own data.

::

    python -m advot_teach data.npz --eps 0:2:41 --norm l2
    advot-teach X.npy y.npy --eps 0.5 1 1.5 --max-order 3 --method sinkhorn

reads points and labels (see :mod:`advot_teach.datafiles`), computes R*(eps)
exactly (:func:`advot_teach.paths.risk_path`: one hypergraph, warm-started
LPs) or certified Sinkhorn bounds (:func:`advot_teach.sinkhorn.sinkhorn_risk_curve`)
and writes a CSV of the values and a PNG of the curve.  Errors are reported
in one line naming the file or option at fault, with exit status 2.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

__all__ = ["main", "parse_eps"]


def parse_eps(values) -> np.ndarray:
    """Budgets from the ``--eps`` words: numbers, comma lists, or ``start:stop:count`` ranges.

    ``0:1:11`` is 11 evenly spaced values from 0 to 1 inclusive.

    Returns
    -------
    ndarray, shape (m,)
    """
    out = []
    for word in values:
        for part in filter(None, str(word).split(",")):
            if ":" in part:
                pieces = part.split(":")
                if len(pieces) != 3:
                    raise ValueError(f"--eps range must be start:stop:count, e.g. 0:1:11; got {part!r}")
                try:
                    start, stop, count = float(pieces[0]), float(pieces[1]), int(pieces[2])
                except ValueError:
                    raise ValueError(f"--eps range must be start:stop:count with an integer count; "
                                     f"got {part!r}") from None
                if count < 1:
                    raise ValueError(f"--eps range needs a count >= 1; got {part!r}")
                out.extend(np.linspace(start, stop, count))
            else:
                try:
                    out.append(float(part))
                except ValueError:
                    raise ValueError(f"--eps values must be numbers or start:stop:count; got {part!r}") from None
    eps = np.asarray(out, dtype=float)
    if eps.size == 0:
        raise ValueError("--eps needs at least one value")
    if not np.all(np.isfinite(eps)) or np.any(eps < 0):
        raise ValueError(f"--eps values must be finite and >= 0; got {eps[~(np.isfinite(eps) & (eps >= 0))][0]}")
    return eps


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="advot-teach",
        description="Optimal adversarial 0-1 risk R*(eps) of a labelled data set: exact values or certified "
                    "Sinkhorn bounds, written as a CSV and a PNG.",
        epilog="Examples: advot-teach data.npz --eps 0:1:21;  advot-teach X.npy y.npy --eps 0.5 1.0 --norm linf; "
               "advot-teach table.csv --label-column label --eps 0:2:41 --method sinkhorn --max-order 2")
    parser.add_argument("data", nargs="+", metavar="FILE",
                        help="data.npz (arrays X and y), X.npy y.npy, or table.csv (one point per row)")
    parser.add_argument("--eps", nargs="+", required=True, metavar="EPS",
                        help="budgets: numbers, comma lists or start:stop:count ranges (inclusive)")
    parser.add_argument("--norm", default="l2", help="threat norm: l2 (default), linf or l1")
    parser.add_argument("--max-order", type=int, default=None, metavar="L",
                        help="keep hyperedges of at most L points: a certified lower bound R*_L "
                             "(default: exact; 2 for --method sinkhorn)")
    parser.add_argument("--method", choices=("exact", "sinkhorn"), default="exact",
                        help="exact LP (default) or entropic bounds that scale further")
    parser.add_argument("--weights", default=None, metavar="FILE",
                        help="point weights, one per point (.npy, .csv or .txt); default uniform")
    parser.add_argument("--label-column", default="-1", metavar="COL",
                        help="for .csv: index or header name of the label column (default: the last)")
    parser.add_argument("--reg", type=float, default=0.05, help="Sinkhorn regularisation (default 0.05)")
    parser.add_argument("--max-hyperedges", type=int, default=None, metavar="N",
                        help="refuse larger conflict hypergraphs (default 3,000,000)")
    parser.add_argument("-o", "--output", type=Path, default=Path("risk_curve.csv"),
                        help="CSV to write (default risk_curve.csv)")
    parser.add_argument("--plot", type=Path, default=None,
                        help="PNG of the curve (default: the CSV's name with .png)")
    parser.add_argument("--no-plot", action="store_true", help="write no PNG")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except (ValueError, TypeError, MemoryError) as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2


def _run(args) -> int:
    from .datafiles import load_labelled_data, load_weights

    if len(args.data) > 2:
        raise ValueError(f"expected one data file or an X.npy y.npy pair; got {len(args.data)} files")
    eps = parse_eps(args.eps)
    X, y = load_labelled_data(args.data[0], args.data[1] if len(args.data) == 2 else None,
                              label_column=args.label_column)
    weights = None if args.weights is None else load_weights(args.weights)
    source = " ".join(args.data)
    try:
        table = _solve(X, y, eps, weights, args)
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"{source}: {exc}") from None
    except MemoryError as exc:
        raise MemoryError(f"{source}: {exc}.  On the command line: --max-order 2 (or 3), a smaller --eps, "
                          f"or --method sinkhorn") from None
    _write_csv(args.output, table)
    print(f"wrote {args.output} ({len(eps)} eps values)")
    if not args.no_plot:
        png = args.plot if args.plot is not None else args.output.with_suffix(".png")
        _write_png(png, table, args)
        print(f"wrote {png}")
    return 0


def _solve(X, y, eps, weights, args):
    """The columns of the CSV: eps first, then the values."""
    if args.method == "exact":
        from .paths import risk_path

        risk = risk_path(X, y, eps, norm=args.norm, weights=weights, max_order=args.max_order,
                         max_hyperedges=args.max_hyperedges, progress=not args.no_progress)
        name = "risk" if args.max_order is None else f"risk_L{args.max_order}_lower_bound"
        return {"eps": eps, name: risk}
    from .sinkhorn import sinkhorn_risk_curve

    if args.max_hyperedges is not None:
        from . import hypergraph

        hypergraph.DEFAULT_MAX_HYPEREDGES = args.max_hyperedges  # the CLI owns its process
    order = 2 if args.max_order is None else args.max_order
    curve = sinkhorn_risk_curve(X, y, eps, norm=args.norm, weights=weights, max_order=order, reg=args.reg,
                                progress=not args.no_progress)
    return {"eps": eps, "risk_lower_bound": curve.risk, f"risk_L{order}_upper_bound": curve.dual_bound}


def _write_csv(path, table):
    names = list(table)
    try:
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(names)
            for row in zip(*(table[name] for name in names)):
                writer.writerow([f"{value:.12g}" for value in row])
    except OSError as exc:
        raise ValueError(f"cannot write {path}: {exc}") from None


def _write_png(path, table, args):
    from matplotlib.figure import Figure

    from .plots import draw_risk_curve

    names = list(table)
    order = np.argsort(table["eps"], kind="stable")
    eps = table["eps"][order]
    fig = Figure(figsize=(6.4, 4.2), layout="constrained")
    ax = fig.add_subplot()
    if args.method == "exact":
        label = r"$R^*(\varepsilon)$" if args.max_order is None else rf"$R^*_{{{args.max_order}}}(\varepsilon)$"
        draw_risk_curve(ax, eps, table[names[1]][order], label=label)
    else:
        lower, upper = table[names[1]][order], table[names[2]][order]
        draw_risk_curve(ax, eps, upper, label="upper bound on " + r"$R^*_L$", color="0.45", linestyle="--",
                        breakpoints=False)
        draw_risk_curve(ax, eps, lower, label="certified lower bound (Sinkhorn)", breakpoints=False)
        ax.fill_between(eps, lower, upper, step="post", color="0.85", zorder=0)
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right")
    ax.set_title(f"{' '.join(Path(p).name for p in args.data)}: {args.norm} threat model")
    try:
        fig.savefig(path, dpi=110)
    except OSError as exc:
        raise ValueError(f"cannot write {path}: {exc}") from None
