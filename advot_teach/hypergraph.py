"""The conflict hypergraph of a labelled point cloud.

A *hyperedge* is a set of points with pairwise different labels whose closed
eps-balls share a point: an adversary with budget eps can move all of them to
one place, where no classifier tells them apart.  Its *birth radius* is the
smallest such eps (see :mod:`advot_teach.geometry`).

The conflicting pairs (points of different classes at most 2 eps apart) are
found with one KD-tree per class (scipy's ``cKDTree``, p = 1, 2 or inf), so
memory grows with the number of conflicts, never with n^2.  Subsets of a
hyperedge are hyperedges, so larger hyperedges are grown level by level from
the pair graph: a set of k + 1 points is a candidate only if it extends a
hyperedge of k points by a point of a larger class index that conflicts
pairwise with all of them (a clique of the conflict graph); the exact
ball-intersection test then keeps or rejects it.  For l2 triples that test is
a closed formula on the three pair distances
(:func:`~advot_teach.geometry.triangle_enclosing_ball`), whatever the
dimension.

The enumeration stops at ``max_order`` points per hyperedge and refuses to
build more than ``max_hyperedges`` of them (raising :class:`HypergraphTooLarge`,
a ``MemoryError`` that suggests a smaller ``max_order`` or ``eps``).  Candidates
are streamed: they are generated, tested and filtered a bounded block at a
time, so memory holds the kept hyperedges plus one block, whatever the
dimension.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from scipy.spatial import cKDTree
from scipy.spatial.distance import cdist

from .geometry import NORMS, alive, birth_radius, triangle_enclosing_ball, within

__all__ = ["Hypergraph", "HypergraphTooLarge", "conflict_hypergraph", "DEFAULT_MAX_HYPEREDGES"]

#: Refuse to build more hyperedges than this (about 100 MB of index arrays).
DEFAULT_MAX_HYPEREDGES = 3_000_000

# Candidate extensions are listed and tested in blocks of about this many
# (each a few index arrays of 8 bytes a candidate): below 100 MB.
_CHUNK_CELLS = 2**20

# Above this dimension a KD-tree prunes too little to beat computing the
# distances by blocks of rows (digits, d = 64: 5x faster by blocks).
_TREE_MAX_DIM = 8

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

    def __post_init__(self):
        # Frozen all the way down: the size -> array maps are read-only views.
        for name in ("edges", "birth", "centre"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

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


def conflict_hypergraph(X, codes, eps, norm=2, max_order=None, *, max_hyperedges=None,
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
    max_hyperedges : int or None
        Upper limit on the number of hyperedges, to bound memory (``None``:
        :data:`DEFAULT_MAX_HYPEREDGES`, read at call time).
    distances : ndarray, shape (n, n), optional
        Precomputed pairwise distances in ``norm`` (then no KD-tree is built).

    Returns
    -------
    Hypergraph
    """
    X = np.asarray(X, dtype=float)
    codes = np.asarray(codes)
    if max_hyperedges is None:
        max_hyperedges = DEFAULT_MAX_HYPEREDGES
    n = len(X)
    n_classes = int(codes.max()) + 1 if n else 0
    top = n_classes if max_order is None else min(int(max_order), n_classes)
    # Filled level by level, then frozen into the Hypergraph.
    edges, birth, centres = {}, {}, {}
    if top < 2:
        return Hypergraph(n, float(eps))
    if distances is None:
        i, j, dist = _cross_pairs(X, codes, eps, norm, max_hyperedges)
    else:
        i, j, dist = _cross_pairs_from_matrix(np.asarray(distances, dtype=float), codes, eps, max_hyperedges)
    pairs = np.stack([i, j], axis=1)
    edges[2], birth[2], centres[2] = pairs, dist / 2, (X[i] + X[j]) / 2
    if top < 3 or len(pairs) == 0:
        return Hypergraph(n, float(eps), edges, birth, centres)
    graph = _ConflictGraph(n, i, j, dist)
    # Where balls have Helly number 2 (linf; l1 in the plane; any norm on the
    # line) pairwise conflicts suffice.  Otherwise test each candidate.
    helly2 = NORMS[norm].helly_pairwise(X.shape[1])
    total = len(pairs)
    for k in range(3, top + 1):
        parents = edges[k - 1]
        kept_edges, kept_birth, kept_centre = [], [], []
        n_found = 0
        for cand, hits in graph.extensions(parents, _CHUNK_CELLS):
            # Cliques of the conflict graph: every pair conflicts.  Count
            # before testing, so that an oversized level fails early.
            n_found += len(cand)
            if total + n_found > max_hyperedges * (1 if helly2 else 4):
                _too_many(total + n_found, max_hyperedges, k)
            if k == 3 and norm == 2:
                cand, radius, centre = _triple_balls(X, cand, graph, hits, eps)
                kept_edges.append(cand); kept_birth.append(radius); kept_centre.append(centre)
                continue
            step = max(1, _RADIUS_CELLS // (k * X.shape[1]))
            for s in range(0, len(cand), step):  # bounded (m, k, d) stacks
                part = cand[s:s + step]
                radius, centre = birth_radius(X[part], norm)
                keep = within(radius, eps)
                kept_edges.append(part[keep]); kept_birth.append(radius[keep]); kept_centre.append(centre[keep])
        if not kept_edges or not sum(len(e) for e in kept_edges):
            break
        edges[k] = np.concatenate(kept_edges)
        birth[k] = np.concatenate(kept_birth)
        centres[k] = np.concatenate(kept_centre)
        total += len(edges[k])
        if total > max_hyperedges:
            _too_many(total, max_hyperedges, k)
    return Hypergraph(n, float(eps), edges, birth, centres)


def _pair_radius(eps):
    """The largest distance :func:`geometry.within` counts as <= 2 eps."""
    return alive(2 * eps)


def _cross_pairs(X, codes, eps, norm, max_pairs):
    """Pairs of points of different classes at distance <= 2 eps (with tolerance).

    One KD-tree per class; each pair of classes is searched by a dual-tree
    walk, which visits only nearby cells, so time and memory grow with the
    number of conflicts rather than with n^2.  Pairs are counted before they
    are listed, so an oversized problem fails before it takes the memory.

    Returns
    -------
    i, j : ndarray of int, shape (m,)
        Point indices with ``codes[i] < codes[j]``, sorted by (i, j).
    dist : ndarray, shape (m,)
        Their distances in ``norm``.
    """
    members = [np.nonzero(codes == c)[0] for c in range(int(codes.max()) + 1)]
    radius = _pair_radius(eps)
    if X.shape[1] > _TREE_MAX_DIM and np.isfinite(radius):
        return _cross_pairs_blocked(X, codes, radius, norm, max_pairs)
    if not np.isfinite(radius):  # every cross-class pair
        count = (len(codes) ** 2 - sum(len(m) ** 2 for m in members)) // 2
        if count > max_pairs:
            _too_many(count, max_pairs, 2)
        i, j = np.nonzero(codes[:, None] < codes[None, :])
        return i, j, _distances(X, i, j, norm)
    trees = [cKDTree(X[m]) if len(m) else None for m in members]
    p = {1: 1, 2: 2}.get(norm, np.inf)
    classes = [c for c in range(len(members)) if len(members[c])]
    count = sum(int(trees[a].count_neighbors(trees[b], radius, p=p))
                for a, b in itertools.combinations(classes, 2))
    if count > max_pairs:
        _too_many(count, max_pairs, 2)
    ii, jj = [], []
    for a, b in itertools.combinations(classes, 2):
        found = trees[a].sparse_distance_matrix(trees[b], radius, p=p, output_type="ndarray")
        ii.append(members[a][found["i"]]); jj.append(members[b][found["j"]])
    i = np.concatenate(ii) if ii else np.zeros(0, dtype=np.intp)
    j = np.concatenate(jj) if jj else np.zeros(0, dtype=np.intp)
    order = np.lexsort((j, i))
    i, j = i[order], j[order]
    # Recompute the distances directly (one formula for every route), then
    # apply the tolerance rule of geometry.within exactly.
    dist = _distances(X, i, j, norm)
    keep = within(dist, 2 * eps)
    return i[keep], j[keep], dist[keep]


def _cross_pairs_blocked(X, codes, radius, norm, max_pairs):
    """As :func:`_cross_pairs` by blocks of rows of the distance matrix.

    In high dimension a KD-tree prunes little; computing the distances by
    blocks of rows keeps memory at one block plus the pairs found.
    """
    metric = {1: "cityblock", 2: "euclidean"}.get(norm, "chebyshev")
    n = len(X)
    rows = max(1, _CHUNK_CELLS // n)
    ii, jj, dd, count = [], [], [], 0
    for s in range(0, n, rows):
        D = cdist(X[s:s + rows], X, metric=metric)
        i, j = np.nonzero((D <= radius) & (codes[s:s + rows, None] < codes[None, :]))
        count += len(i)
        if count > max_pairs:
            _too_many(count, max_pairs, 2)
        ii.append(i + s); jj.append(j); dd.append(D[i, j])
    return np.concatenate(ii), np.concatenate(jj), np.concatenate(dd)  # row-major: sorted by (i, j)


def _cross_pairs_from_matrix(D, codes, eps, max_pairs):
    """As :func:`_cross_pairs`, from a precomputed (n, n) distance matrix."""
    upper = np.triu(within(D, 2 * eps) & (codes[:, None] != codes[None, :]), 1)
    count = int(np.count_nonzero(upper))
    if count > max_pairs:
        _too_many(count, max_pairs, 2)
    i, j = np.nonzero(upper)
    swap = codes[i] > codes[j]
    i, j = np.where(swap, j, i), np.where(swap, i, j)
    order = np.lexsort((j, i))
    i, j = i[order], j[order]
    return i, j, D[i, j]


def _distances(X, i, j, norm):
    """``||X[i] - X[j]||`` for index arrays, in bounded blocks."""
    out = np.empty(len(i))
    step = max(1, _RADIUS_CELLS // max(X.shape[1], 1))
    for s in range(0, len(i), step):
        diff = X[i[s:s + step]] - X[j[s:s + step]]
        if norm == 2:
            out[s:s + step] = np.sqrt(np.einsum("md,md->m", diff, diff))
        else:
            out[s:s + step] = np.linalg.norm(diff, ord=norm, axis=1)
    return out


class _ConflictGraph:
    """The conflict graph as sorted pair keys and forward adjacency lists.

    Pairs (i, j) have ``codes[i] < codes[j]``; ``forward(u)`` lists the
    conflict partners of u of a larger class index.  A clique is extended
    only by forward neighbours of its last point, which lists every clique
    exactly once, ordered by class.
    """

    def __init__(self, n, i, j, dist):
        self.n = n
        self.key = i.astype(np.int64) * n + j  # sorted: pairs come sorted by (i, j)
        self.dist = dist
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(i, minlength=n))])
        self.target = j

    def find(self, a, b):
        """Index of pair (a, b) in the pair list, or -1 where they do not conflict."""
        key = a.astype(np.int64) * self.n + b
        pos = np.searchsorted(self.key, key)
        pos = np.minimum(pos, len(self.key) - 1)
        return np.where(self.key[pos] == key, pos, -1)

    def extensions(self, parents, block_size):
        """Yield cliques of size k + 1 that extend ``parents`` (m, k), in blocks.

        Each block is (cand, hits): ``cand`` (c, k + 1) the cliques, and
        ``hits`` (c, k) the index of pair (cand[:, t], cand[:, -1]) for each t.
        At most about ``block_size`` candidates are materialised at once.
        """
        last = parents[:, -1]
        degree = self.indptr[last + 1] - self.indptr[last]
        ends = np.cumsum(degree)
        start = 0
        while start < len(parents):
            base = ends[start - 1] if start else 0
            stop = max(start + 1, int(np.searchsorted(ends, base + block_size, side="right")))
            block, deg = parents[start:stop], degree[start:stop]
            start = stop
            if not deg.sum():
                continue
            row = np.repeat(np.arange(len(block)), deg)
            # Position of each candidate inside its parent's adjacency list.
            offset = np.arange(len(row)) - np.repeat(np.cumsum(deg) - deg, deg)
            pair_last = self.indptr[block[row, -1]] + offset
            new = self.target[pair_last]
            hits = [pair_last]
            ok = np.ones(len(row), dtype=bool)
            for t in range(block.shape[1] - 2, -1, -1):
                found = self.find(block[row, t], new)
                ok &= found >= 0
                hits.insert(0, found)
            cand = np.concatenate([block[row[ok]], new[ok, None]], axis=1)
            yield cand, np.stack([h[ok] for h in hits], axis=1)


def _triple_balls(X, cand, graph, hits, eps):
    """The l2 triples (m, 3) alive at eps, their birth radii and centres.

    Radii come from the three pair distances; centres are only formed for
    the triples kept (in d = 64 a centre costs 64 times a radius).
    """
    d01 = graph.dist[graph.find(cand[:, 0], cand[:, 1])]
    radius, weights = triangle_enclosing_ball(d01, graph.dist[hits[:, 0]], graph.dist[hits[:, 1]])
    keep = within(radius, eps)
    cand, radius, weights = cand[keep], radius[keep], weights[keep]
    centre = np.empty((len(cand), X.shape[1]))
    step = max(1, _RADIUS_CELLS // (3 * X.shape[1]))
    for s in range(0, len(cand), step):
        centre[s:s + step] = np.einsum("mi,mid->md", weights[s:s + step], X[cand[s:s + step]])
    return cand, radius, centre


def _too_many(count, limit, k):
    raise HypergraphTooLarge(
        f"the conflict hypergraph has more than {limit:,} hyperedges ({count:,} found up to size {k}); "
        f"pass a smaller max_order (e.g. max_order=2 or 3 gives a lower bound R*_L) or a smaller eps, "
        f"or use sinkhorn_adversarial_risk for large data"
    )
