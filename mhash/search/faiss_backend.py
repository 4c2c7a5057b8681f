# Copyright (c) mhash contributors. All rights reserved.
"""Hamming search with faiss ``IndexBinaryFlat``, in the mhash tie order.

faiss returns the right distances but does not promise which of several
items at the k-th distance it keeps, nor their order. The backend makes
its results identical to :class:`~.NumpyHammingBackend` (distance, then
database position): it asks faiss for more neighbours than needed
(``k_probe > k``); for a query whose ``k_probe``-th distance is larger
than its k-th, *every* item at or below the k-th distance is among them,
so sorting them by (distance, position) and keeping ``k`` is exact. The
few queries where the ties run past ``k_probe`` are asked again with a
larger ``k_probe``, and past ``max_probe`` they are answered by the NumPy
backend (exact, bounded memory).

faiss is optional: install ``faiss-cpu`` (``pip install mhash[faiss]``).
"""
from typing import Optional, Tuple

import numpy as np

from mhash.codes import packed_to_words

from .numpy_backend import NumpyHammingBackend

__all__ = ['FaissHammingBackend', 'faiss_available']


def faiss_available() -> bool:
    """Whether ``import faiss`` works.

    Examples:
        >>> isinstance(faiss_available(), bool)
        True
    """
    try:
        import faiss  # noqa: F401
    except ImportError:
        return False
    return True


class FaissHammingBackend:
    """Exact search through faiss ``IndexBinaryFlat``.

    The interface and the results are those of
    :class:`~.NumpyHammingBackend`; only the scan is faiss's.

    Args:
        num_bits (int): Code length k.
        max_probe (int): Largest ``k_probe`` asked from faiss before the
            remaining tied queries go to the NumPy backend. Defaults to 4096.
        query_chunk_size (int): Queries asked from faiss at once (bounds
            the ``(queries, k_probe)`` result buffers). Defaults to 4096.
        num_threads (int, optional): faiss (OpenMP) threads; defaults to
            faiss's own setting.

    Raises:
        ImportError: faiss is not installed.
    """

    name = 'faiss'

    def __init__(self,
                 num_bits: int,
                 max_probe: int = 4096,
                 query_chunk_size: int = 4096,
                 num_threads: Optional[int] = None):
        try:
            import faiss
        except ImportError as error:
            raise ImportError(
                'The faiss Hamming search backend needs faiss: pip install '
                'faiss-cpu (or use backend="numpy", which needs nothing)'
            ) from error
        if num_threads is not None:
            faiss.omp_set_num_threads(int(num_threads))
        self.num_bits = int(num_bits)
        self.max_probe = int(max_probe)
        # faiss wants whole bytes; the zero padding bits never differ.
        self.num_bytes = (self.num_bits + 7) // 8
        self.query_chunk_size = int(query_chunk_size)
        self.index = faiss.IndexBinaryFlat(8 * self.num_bytes)
        self._fallback = None

    @property
    def ntotal(self) -> int:
        """Number of database codes."""
        return int(self.index.ntotal)

    def add(self, packed: np.ndarray) -> None:
        """Append packed ``uint8`` codes ``(N, B)`` to the database."""
        packed = np.ascontiguousarray(packed)
        self.index.add(packed)
        self._fallback = None

    def _fallback_backend(self) -> NumpyHammingBackend:
        """The NumPy backend over the same codes, built when first needed."""
        if self._fallback is None:
            import faiss
            codes = faiss.vector_to_array(self.index.xb).reshape(
                -1, self.num_bytes)
            self._fallback = NumpyHammingBackend(self.num_bits)
            self._fallback.add(packed_to_words(codes))
        return self._fallback

    def search(self, query_packed: np.ndarray,
               k: int) -> Tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest database positions of every query.

        Args:
            query_packed (np.ndarray): ``uint8`` ``(Q, B)`` packed queries.
            k (int): Neighbours per query, ``1 <= k <= ntotal``.

        Returns:
            tuple: ``distances`` int32 ``(Q, k)`` and ``positions`` int64
            ``(Q, k)``, ordered by distance, then position.
        """
        query_packed = np.ascontiguousarray(query_packed)
        num_query = query_packed.shape[0]
        distances = np.empty((num_query, k), dtype=np.int32)
        positions = np.empty((num_query, k), dtype=np.int64)
        for start in range(0, num_query, self.query_chunk_size):
            stop = min(start + self.query_chunk_size, num_query)
            distances[start:stop], positions[start:stop] = \
                self._search_chunk(query_packed[start:stop], k)
        return distances, positions

    def _search_chunk(self, query_packed: np.ndarray,
                      k: int) -> Tuple[np.ndarray, np.ndarray]:
        num_query, num_db = query_packed.shape[0], self.ntotal
        distances = np.empty((num_query, k), dtype=np.int32)
        positions = np.empty((num_query, k), dtype=np.int64)
        pending = np.arange(num_query)
        k_probe = min(num_db, 2 * k + 16)
        while pending.size:
            if k_probe > self.max_probe and k_probe < num_db:
                words = packed_to_words(query_packed[pending])
                distances[pending], positions[pending] = \
                    self._fallback_backend().search(words, k)
                break
            probe_dist, probe_pos = self.index.search(
                query_packed[pending], k_probe)
            kth = probe_dist[:, k - 1]
            # Complete: nothing at the k-th distance was left out.
            complete = (probe_dist[:, -1] > kth) | (k_probe == num_db)
            done = pending[complete]
            if done.size:
                distances[done], positions[done] = self._exact_order(
                    probe_dist[complete], probe_pos[complete], k)
            pending = pending[~complete]
            k_probe = min(num_db, 4 * k_probe)
        return distances, positions

    def _exact_order(self, probe_dist: np.ndarray, probe_pos: np.ndarray,
                     k: int) -> Tuple[np.ndarray, np.ndarray]:
        """Sort each row by (distance, position) and keep ``k``."""
        key = probe_dist.astype(np.int64) * (self.ntotal + 1) + probe_pos
        order = np.argsort(key, axis=1, kind='stable')[:, :k]
        return (np.take_along_axis(probe_dist, order, 1).astype(np.int32),
                np.take_along_axis(probe_pos, order, 1).astype(np.int64))

    def range_search(self, query_packed: np.ndarray, radius: int
                     ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All database positions within ``radius`` (inclusive).

        Returns:
            tuple: ``lims``, ``distances``, ``positions`` as in
            :meth:`NumpyHammingBackend.range_search`.
        """
        query_packed = np.ascontiguousarray(query_packed)
        # faiss keeps the distances strictly below its radius argument.
        lims, dist, pos = self.index.range_search(query_packed,
                                                  int(radius) + 1)
        lims = lims.astype(np.int64)
        rows = np.repeat(np.arange(query_packed.shape[0]), np.diff(lims))
        key = (rows * (self.num_bits + 1) + dist) * (self.ntotal + 1) + pos
        order = np.argsort(key, kind='stable')
        return lims, dist[order].astype(np.int32), pos[order].astype(np.int64)
