"""The conflict hypergraph of a labelled point cloud.

A *hyperedge* is a set of points with pairwise different labels whose closed
eps-balls share a point: an adversary with budget eps can move all of them to
one place, where no classifier tells them apart.  Its *birth radius* is the
smallest such eps (see :mod:`advot_teach.geometry`).

Subsets of a hyperedge are hyperedges, so hyperedges are grown level by level:
a set of k + 1 points is a candidate only if it extends a hyperedge of k
points by a point of a larger class index that conflicts pairwise with all of
them; the exact ball-intersection test then keeps or rejects it.  Each level
is one vectorised numpy pass.

The enumeration stops at ``max_order`` points per hyperedge and refuses to
build more than ``max_hyperedges`` of them (raising :class:`HypergraphTooLarge`,
a ``MemoryError`` that suggests a smaller ``max_order`` or ``eps``).  Candidates
are streamed: they are generated, tested and filtered a bounded block at a
time, so memory holds the kept hyperedges plus one block, whatever the
dimension.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .geometry import NORMS, birth_radius, pairwise_distances, within

__all__ = ["Hypergraph", "HypergraphTooLarge", "conflict_hypergraph", "DEFAULT_MAX_HYPEREDGES"]

#: Refuse to build more hyperedges than this (about 100 MB of index arrays).
DEFAULT_MAX_HYPEREDGES = 3_000_000

# Candidate extensions are tested in chunks of parent hyperedges so that the
# (chunk, n) boolean mask has at most this many cells; the candidates of one
# chunk (at most as many, 40 bytes each with their indices) stay below 200 MB.
_CHUNK_CELLS = 2**22

# Birth radii are computed for at most this many coordinates at once (the
# (m, k, d) stack of candidate point sets and its temporaries): 2**21 floats
# is 16 MB, whatever the dimension d.
_RADIUS_CELLS = 2**21


class HypergraphTooLarge(MemoryError):
    """The conflict hypergraph would exceed ``max_hyperedges`` hyperedges.

    A ``MemoryError``, so ``except MemoryError`` catches it; the message says
    what to do instead (a smaller ``max_order`` or ``eps``).
    """


@dataclass(frozen=True)
class Hypergraph:
    """Conflict hyperedges of size >= 2, grouped by size.

    Attributes
    ----------
    n : int
        Number of points.
    eps : float
        The radius the hypergraph was built for: it holds every hyperedge with
        birth radius <= eps (up to the tolerance of :mod:`geometry`).
    edges : dict[int, ndarray]
        ``edges[k]`` has shape (m_k, k): point indices, ordered by class.
    birth : dict[int, ndarray]
        ``birth[k]`` has shape (m_k,): each hyperedge's birth radius.
    centre : dict[int, ndarray]
        ``centre[k]`` has shape (m_k, d): a point common to the balls.
    """

    n: int
    eps: float
    edges: dict = field(default_factory=dict)
    birth: dict = field(default_factory=dict)
    centre: dict = field(default_factory=dict)

    @property
    def orders(self) -> list[int]:
        return sorted(k for k, e in self.edges.items() if len(e))

    def count(self, eps: float | None = None, max_order: int | None = None) -> int:
        """Number of hyperedges alive at ``eps`` of size <= ``max_order``."""
        total = 0
        for k in self.orders:
            if max_order is not None and k > max_order:
                continue
            total += int(len(self.edges[k]) if eps is None else np.count_nonzero(within(self.birth[k], eps)))
        return total

    def restrict(self, eps: float, max_order: int | None = None) -> "Hypergraph":
        """The sub-hypergraph alive at a smaller ``eps`` (and order cap)."""
        edges, birth, centre = {}, {}, {}
        for k in self.orders:
            if max_order is not None and k > max_order:
                continue
            keep = within(self.birth[k], eps)
            edges[k], birth[k], centre[k] = self.edges[k][keep], self.birth[k][keep], self.centre[k][keep]
        return Hypergraph(self.n, float(eps), edges, birth, centre)

    def as_tuples(self) -> list[tuple[int, ...]]:
        """All hyperedges as sorted tuples of point indices."""
        out = []
        for k in self.orders:
            out.extend(tuple(sorted(map(int, e))) for e in self.edges[k])
        return out

    def breakpoints(self) -> np.ndarray:
        """Sorted distinct birth radii: the eps values where R* may jump."""
        if not self.orders:
            return np.zeros(0)
        radii = np.sort(np.concatenate([self.birth[k] for k in self.orders]))
        # Merge radii equal up to the tolerance so the slider gets one stop.
        keep = np.ones(len(radii), dtype=bool)
        keep[1:] = ~within(radii[1:], radii[:-1])
        return radii[keep]


def incidence(n, edge_list):
    """Point-hyperedge incidences, singletons first.

    Parameters
    ----------
    n : int
        Number of points; column j < n is the singleton {j}.
    edge_list : list of ndarray, shapes (m_k, k)
        Hyperedges, numbered n, n + 1, ... in this order.

    Returns
    -------
    points, columns : ndarray of int, shape (n + sum_k m_k k,)
        Point j lies in hyperedge (column) c for every pair.
    n_columns : int
    """
    points, columns = [np.arange(n)], [np.arange(n)]
    offset = n
    for E in edge_list:
        m, k = E.shape
        points.append(E.ravel())
        columns.append(np.repeat(np.arange(offset, offset + m), k))
        offset += m
    return np.concatenate(points), np.concatenate(columns), offset


def conflict_hypergraph(X, codes, eps, norm=2, max_order=None, *, max_hyperedges=DEFAULT_MAX_HYPEREDGES,
                        distances=None) -> Hypergraph:
    """Build all conflict hyperedges with birth radius <= ``eps``.

    Parameters
    ----------
    X : ndarray, shape (n, d)
        Points (already validated).
    codes : ndarray of int, shape (n,)
        Class index of each point, in 0..K-1.
    eps : float
        Attack budget; ``np.inf`` gives every multi-class set.
    norm : {1, 2, np.inf}
    max_order : int or None
        Largest hyperedge size (``None``: the number of classes).
    max_hyperedges : int
        Upper limit on the number of hyperedges, to bound memory.
    distances : ndarray, shape (n, n), optional
        Precomputed pairwise distances in ``norm``.

    Returns
    -------
    Hypergraph
    """
    X = np.asarray(X, dtype=float)
    codes = np.asarray(codes)
    n = len(X)
    n_classes = int(codes.max()) + 1 if n else 0
    top = n_classes if max_order is None else min(int(max_order), n_classes)
    hg = Hypergraph(n, float(eps))
    if top < 2:
        return hg
    D = pairwise_distances(X, X, norm) if distances is None else distances
    # Two balls of radius eps meet iff the centres are <= 2 eps apart (any norm).
    conflict = within(D, 2 * eps) & (codes[:, None] != codes[None, :])
    upper = np.triu(conflict, 1)
    n_pairs = int(np.count_nonzero(upper))
    if n_pairs > max_hyperedges:  # before listing them
        _too_many(n_pairs, max_hyperedges, 2)
    i, j = np.nonzero(upper)
    del upper
    swap = codes[i] > codes[j]
    i, j = np.where(swap, j, i), np.where(swap, i, j)
    pairs = np.stack([i, j], axis=1)
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    pairs = pairs[order]
    hg.edges[2] = pairs
    hg.birth[2] = D[pairs[:, 0], pairs[:, 1]] / 2
    hg.centre[2] = (X[pairs[:, 0]] + X[pairs[:, 1]]) / 2
    total = len(pairs)
    # Where balls have Helly number 2 (linf; l1 in the plane; any norm on the
    # line) pairwise conflicts suffice.  Otherwise test each candidate.
    helly2 = NORMS[norm].helly_pairwise(X.shape[1])
    for k in range(3, top + 1):
        parents = hg.edges[k - 1]
        if len(parents) == 0:
            break
        kept_edges, kept_birth, kept_centre = [], [], []
        n_kept, n_before = 0, sum(len(e) for e in hg.edges.values())
        chunk = max(1, _CHUNK_CELLS // max(n, 1))
        step = max(1, _RADIUS_CELLS // (k * X.shape[1]))
        for start in range(0, len(parents), chunk):
            block = parents[start:start + chunk]
            mask = conflict[block[:, 0]].copy()
            for t in range(1, k - 1):
                mask &= conflict[block[:, t]]
            mask &= codes[None, :] > codes[block[:, -1]][:, None]
            # Count before listing, so that an oversized level fails before
            # its candidates are materialised.
            found = int(np.count_nonzero(mask))
            if not found:
                continue
            total += found
            if total > max_hyperedges * (1 if helly2 else 4):
                _too_many(total, max_hyperedges, k)
            rows, cols = np.nonzero(mask)
            cand = np.concatenate([block[rows], cols[:, None]], axis=1)
            # Test and filter each slice at once: only kept hyperedges accumulate.
            for s in range(0, len(cand), step):
                part = cand[s:s + step]
                radius, centre = birth_radius(X[part], norm)
                keep = within(radius, eps)
                kept_edges.append(part[keep])
                kept_birth.append(radius[keep])
                kept_centre.append(centre[keep])
                n_kept += int(np.count_nonzero(keep))
            if n_before + n_kept > max_hyperedges:
                _too_many(n_before + n_kept, max_hyperedges, k)
        if not kept_edges:
            break
        hg.edges[k] = np.concatenate(kept_edges)
        hg.birth[k] = np.concatenate(kept_birth)
        hg.centre[k] = np.concatenate(kept_centre)
        total = sum(len(e) for e in hg.edges.values())
        if total > max_hyperedges:
            _too_many(total, max_hyperedges, k)
    return hg


def _too_many(count, limit, k):
    raise HypergraphTooLarge(
        f"the conflict hypergraph has more than {limit:,} hyperedges ({count:,} found up to size {k}); "
        f"pass a smaller max_order (e.g. max_order=2 or 3 gives a lower bound R*_L) or a smaller eps, "
        f"or use sinkhorn_adversarial_risk for large data"
    )
