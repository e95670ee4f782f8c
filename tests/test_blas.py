"""one_blas_thread: BLAS on one thread inside, the original limit restored after, nested and concurrent calls."""
import threading

import numpy as np
from threadpoolctl import threadpool_info

from advot_teach._blas import one_blas_thread


def _blas_threads():
    return max(info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas")


def test_limit_holds_inside_nested_calls_and_is_restored():
    before = _blas_threads()
    seen = []

    @one_blas_thread
    def inner():
        seen.append(_blas_threads())

    @one_blas_thread
    def outer():
        seen.append(_blas_threads())
        np.linalg.cholesky(np.eye(200) * 2.0)
        inner()
        seen.append(_blas_threads())

    outer()
    assert seen == [1, 1, 1]
    assert _blas_threads() == before


def test_concurrent_calls_restore_the_original_limit():
    """The limit is process-wide and counted across threads: the last call to leave restores it."""
    before = _blas_threads()

    @one_blas_thread
    def work():
        np.linalg.cholesky(np.eye(200) * 2.0)

    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert _blas_threads() == before
