"""BLAS limited to one thread for small dense linear algebra.

The package's dense matrices are small (a few thousand rows at most).
Splitting such products or factorisations over threads only adds
synchronisation, and on a 2-core machine OpenBLAS's sleeping and spinning
threads make short, interleaved calls several times slower: the models'
gradient steps 10-20x on a busy machine, a 500 x 500 Cholesky factorisation
inside the interior-point loop of :mod:`advot_teach.lp` 6 ms instead of
1.2 ms.
"""
from __future__ import annotations

import functools

try:  # a dependency of scikit-learn, hence always present in the course environment
    from threadpoolctl import ThreadpoolController
except ImportError:  # pragma: no cover
    ThreadpoolController = None

__all__ = ["one_blas_thread"]

_BLAS = None
_BLAS_DEPTH = 0


def one_blas_thread(func):
    """Decorator: run ``func`` with BLAS limited to one thread (nested calls: no overhead)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        global _BLAS, _BLAS_DEPTH
        if ThreadpoolController is None or _BLAS_DEPTH > 0:  # already limited: no overhead
            return func(*args, **kwargs)
        if _BLAS is None:
            _BLAS = ThreadpoolController()
        _BLAS_DEPTH += 1
        try:
            with _BLAS.limit(limits=1, user_api="blas"):
                return func(*args, **kwargs)
        finally:
            _BLAS_DEPTH -= 1

    return wrapper
