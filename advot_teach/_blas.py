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
import threading

# The controller only knows the BLAS libraries loaded when it is made: load
# both of ours first (numpy's and scipy's OpenBLAS are separate libraries).
import numpy  # noqa: F401
import scipy.linalg  # noqa: F401

try:  # a dependency of scikit-learn, hence always present in the course environment
    from threadpoolctl import ThreadpoolController
except ImportError:  # pragma: no cover
    ThreadpoolController = None

__all__ = ["one_blas_thread"]

_BLAS = None
_LOCK = threading.Lock()
_ACTIVE = 0  # calls inside the limit, all threads together
_LIMITER = None


def one_blas_thread(func):
    """Decorator: run ``func`` with BLAS limited to one thread.

    The limit is process-wide (BLAS has one thread pool), so it is counted
    across threads: the first call to enter sets it, the last to leave
    restores the original; nested and concurrent calls add no overhead
    beyond a lock.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        global _BLAS, _ACTIVE, _LIMITER
        if ThreadpoolController is None:  # pragma: no cover
            return func(*args, **kwargs)
        with _LOCK:
            if _BLAS is None:
                _BLAS = ThreadpoolController()
            if _ACTIVE == 0:
                _LIMITER = _BLAS.limit(limits=1, user_api="blas")
            _ACTIVE += 1
        try:
            return func(*args, **kwargs)
        finally:
            with _LOCK:
                _ACTIVE -= 1
                if _ACTIVE == 0:
                    _LIMITER.restore_original_limits()
                    _LIMITER = None

    return wrapper
