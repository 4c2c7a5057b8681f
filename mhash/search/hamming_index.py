# Copyright (c) mhash contributors. All rights reserved.
"""Exact Hamming search over packed codes, with a choice of backend.

:class:`HammingIndex` holds packed database codes (and optional item ids)
and answers top-k and radius queries. Results follow the evaluation
protocol's ranking exactly: distance ascending, ties by database position
(the order codes were added). Codes written by ``tools/encode.py`` are in
item-index order, so ties are broken by item index, as in
:mod:`mhash.evaluation`.

Backends (identical results, tie order included):

- ``'numpy'``: pure NumPy, always available, bounded memory
  (:class:`~.NumpyHammingBackend`);
- ``'faiss'``: faiss ``IndexBinaryFlat`` plus an exact tie fix-up
  (:class:`~.FaissHammingBackend`), needs ``faiss-cpu``;
- ``'auto'``: ``'numpy'`` (see :data:`AUTO_BACKEND` for why).
"""
from typing import Optional, Tuple

import numpy as np

from mhash.codes import check_packed_codes, num_packed_bytes, packed_to_words

from .faiss_backend import FaissHammingBackend, faiss_available
from .numpy_backend import NumpyHammingBackend

__all__ = [
    'HammingIndex', 'BACKENDS', 'AUTO_BACKEND', 'resolve_backend',
    'available_backends'
]

BACKENDS = {'numpy': NumpyHammingBackend, 'faiss': FaissHammingBackend}

#: What ``backend='auto'`` picks. NumPy: on the 2-core reference CPU it was
#: faster than faiss ``IndexBinaryFlat`` for 1,000 queries on 1,000,000
#: 64-bit codes (see ``tools/analysis/benchmark_search.py``), needs no
#: extra package and is exact by construction.
AUTO_BACKEND = 'numpy'


def available_backends() -> list:
    """Names of the backends usable here.

    Examples:
        >>> 'numpy' in available_backends()
        True
    """
    return ['numpy'] + (['faiss'] if faiss_available() else [])


def resolve_backend(name: str) -> str:
    """Turn ``'auto'`` into a backend name and check the name exists.

    Examples:
        >>> resolve_backend('auto')
        'numpy'
    """
    if name == 'auto':
        return AUTO_BACKEND
    if name not in BACKENDS:
        raise ValueError(f'Unknown Hamming search backend {name!r}; '
                         f'expected "auto" or one of {sorted(BACKENDS)}')
    return name


class HammingIndex:
    """Exact top-k and radius search by Hamming distance.

    Args:
        num_bits (int): Code length k of every code in the index.
        backend (str): ``'numpy'``, ``'faiss'`` or ``'auto'``.
            Defaults to ``'auto'``.
        **backend_options: Passed to the backend class (e.g.
            ``query_chunk_size``, ``num_workers`` for NumPy).

    Examples:
        >>> from mhash.codes import pack_codes
        >>> db = pack_codes(np.array([[1, 1, 1], [-1, 1, 1], [1, 1, 1]]))
        >>> index = HammingIndex(num_bits=3)
        >>> index.add(db, ids=np.array([10, 11, 12]))
        >>> distances, ids = index.search(db[1:2], k=2)
        >>> distances.tolist(), ids.tolist()
        ([[0, 1]], [[11, 10]])
        >>> lims, distances, ids = index.range_search(db[:1], radius=0)
        >>> lims.tolist(), ids.tolist()
        ([0, 2], [10, 12])
    """

    def __init__(self, num_bits: int, backend: str = 'auto',
                 **backend_options):
        self.num_bytes = num_packed_bytes(num_bits)
        self.num_bits = int(num_bits)
        self.backend_name = resolve_backend(backend)
        self.backend = BACKENDS[self.backend_name](self.num_bits,
                                                   **backend_options)
        self._ids = []

    @property
    def ntotal(self) -> int:
        """Number of database codes."""
        return self.backend.ntotal

    @property
    def ids(self) -> np.ndarray:
        """``int64`` ids of the database codes, by position."""
        if len(self._ids) != 1:
            self._ids = [np.concatenate(self._ids or [np.zeros(0, int)])]
        return self._ids[0]

    def _check(self, packed, name: str) -> np.ndarray:
        packed = np.asarray(packed)
        if packed.dtype == np.uint8 and packed.ndim == 2 and \
                packed.shape[1] != self.num_bytes:
            raise ValueError(
                f'{name} have {packed.shape[1]} bytes per code (up to '
                f'{8 * packed.shape[1]} bits) but the index holds '
                f'{self.num_bits}-bit codes ({self.num_bytes} bytes): codes '
                'of another bit length cannot be compared')
        return np.ascontiguousarray(
            check_packed_codes(packed, self.num_bits, name))

    def _prepare(self, packed):
        packed = np.ascontiguousarray(packed)
        if self.backend_name == 'numpy':
            return packed_to_words(packed)
        return packed

    def add(self, packed, ids: Optional[np.ndarray] = None) -> None:
        """Append packed codes (from :func:`mhash.codes.pack_codes`).

        Args:
            packed (array-like): ``uint8`` ``(N, ceil(num_bits / 8))``.
            ids (np.ndarray, optional): ``(N,)`` integer ids returned by
                the searches; defaults to the positions in the index.
        """
        packed = self._check(packed, 'database codes')
        if ids is None:
            ids = np.arange(self.ntotal, self.ntotal + packed.shape[0])
        ids = np.asarray(ids)
        if ids.shape != (packed.shape[0], ) or not np.issubdtype(
                ids.dtype, np.integer):
            raise ValueError(f'ids must be ({packed.shape[0]},) integers, '
                             f'one per code; got {ids.dtype} {ids.shape}')
        self.backend.add(self._prepare(packed))
        self._ids.append(ids.astype(np.int64))

    def search(self, query_packed,
               k: int) -> Tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest codes of every query.

        Args:
            query_packed (array-like): ``uint8`` ``(Q, ceil(num_bits/8))``.
            k (int): Neighbours per query; more than the database holds
                is clamped to its size.

        Returns:
            tuple: ``distances`` int32 ``(Q, k)`` and ``ids`` int64
            ``(Q, k)``; each row by distance, ties by database position.
        """
        query_packed = self._check(query_packed, 'query codes')
        if not isinstance(k, (int, np.integer)) or k < 1:
            raise ValueError(f'k must be a positive int, got {k!r}')
        if self.ntotal == 0:
            raise ValueError('the index is empty: add database codes first')
        k = min(int(k), self.ntotal)
        if query_packed.shape[0] == 0:
            return np.zeros((0, k), np.int32), np.zeros((0, k), np.int64)
        distances, positions = self.backend.search(
            self._prepare(query_packed), k)
        return distances, self.ids[positions]

    def range_search(self, query_packed, radius: int
                     ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every code within Hamming distance ``radius`` (inclusive).

        Args:
            query_packed (array-like): ``uint8`` ``(Q, ceil(num_bits/8))``.
            radius (int): Largest distance retrieved, ``>= 0``.

        Returns:
            tuple: ``lims`` int64 ``(Q + 1,)``, ``distances`` int32 and
            ``ids`` int64; query ``q`` owns ``[lims[q], lims[q + 1])``,
            ordered by distance, ties by database position.
        """
        query_packed = self._check(query_packed, 'query codes')
        if not isinstance(radius, (int, np.integer)) or radius < 0:
            raise ValueError(f'radius must be an int >= 0, got {radius!r}')
        if self.ntotal == 0 or query_packed.shape[0] == 0:
            return (np.zeros(query_packed.shape[0] + 1, np.int64),
                    np.zeros(0, np.int32), np.zeros(0, np.int64))
        lims, distances, positions = self.backend.range_search(
            self._prepare(query_packed), int(radius))
        return lims, distances, self.ids[positions]
