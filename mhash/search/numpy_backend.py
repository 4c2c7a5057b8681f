# Copyright (c) mhash contributors. All rights reserved.
"""Exact Hamming top-k and radius search in pure NumPy.

The database is scanned block by block with the popcount kernel of
:mod:`mhash.codes`, so the temporary memory is about
``query_chunk_size * block_size`` bytes per worker whatever the database
size. The order is the evaluation protocol's: distance ascending, then
database position ascending.

Top-k keeps, per query, the best ``k`` (distance, position) pairs seen so
far. The first block sets them (``np.partition`` finds the k-th distance;
everything at or below it is a candidate); a later block only offers the
items *strictly* closer than the current k-th distance, because an item at
the same distance comes later in the database and loses the tie.
"""
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Optional, Tuple

import numpy as np

from mhash.codes import distance_dtype, hamming_distance_words

__all__ = ['NumpyHammingBackend']


def _sort_entries(rows: np.ndarray, distances: np.ndarray,
                  positions: np.ndarray, num_bits: int,
                  num_positions: int) -> np.ndarray:
    """Order of entries by (row, distance, position), as one int64 key."""
    key = rows.astype(np.int64) * (num_bits + 1) + distances
    key = key * num_positions + positions
    return np.argsort(key, kind='stable')


def _nonzero_2d(mask: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """``np.nonzero`` of a C-contiguous 2-D mask, in row-major order.

    ``flatnonzero`` plus a division is several times faster than the 2-D
    ``nonzero`` on the mostly-False masks of a scan.
    """
    flat = np.flatnonzero(mask)
    return np.divmod(flat, mask.shape[1])


def _first_k_per_row(rows: np.ndarray, values: Tuple[np.ndarray, ...],
                     num_rows: int, k: int) -> Tuple[np.ndarray, ...]:
    """The first ``k`` entries of every row of row-sorted entries."""
    counts = np.bincount(rows, minlength=num_rows)
    starts = np.cumsum(counts) - counts
    take = (starts[:, None] + np.arange(k)).ravel()
    return tuple(value[take].reshape(num_rows, k) for value in values)


class NumpyHammingBackend:
    """Exact search over packed codes with NumPy only.

    Args:
        num_bits (int): Code length k.
        query_chunk_size (int): Queries scanned together. Defaults to 32.
        block_size (int): Database items per scanning step; the distance
            buffer of a chunk is ``query_chunk_size * block_size`` bytes
            (1 MiB by default, so it stays in cache). Defaults to 32768.
        num_workers (int, optional): Threads scanning query chunks in
            parallel (NumPy releases the GIL in the heavy steps). Defaults
            to the number of CPUs.

    Examples:
        >>> from mhash.codes import pack_codes, packed_to_words
        >>> db = pack_codes(np.array([[1, 1], [-1, 1], [1, 1]]))
        >>> backend = NumpyHammingBackend(2)
        >>> backend.add(packed_to_words(db))
        >>> backend.search(packed_to_words(db[:1]), 3)
        (array([[0, 0, 1]], dtype=int32), array([[0, 2, 1]]))
    """

    name = 'numpy'

    def __init__(self,
                 num_bits: int,
                 query_chunk_size: int = 32,
                 block_size: int = 32768,
                 num_workers: Optional[int] = None):
        self.num_bits = int(num_bits)
        self.query_chunk_size = int(query_chunk_size)
        self.block_size = int(block_size)
        self.first_block_size = min(8192, self.block_size)
        self.num_workers = num_workers or os.cpu_count() or 1
        self._dtype = distance_dtype(self.num_bits)
        self._blocks = []
        self._db_words = None

    @property
    def ntotal(self) -> int:
        """Number of database codes."""
        return sum(block.shape[1] for block in self._blocks)

    def add(self, words: np.ndarray) -> None:
        """Append ``uint64`` word codes ``(N, W)`` to the database."""
        self._blocks.append(np.ascontiguousarray(words.T))
        self._db_words = None

    def _words(self) -> np.ndarray:
        if self._db_words is None:
            self._db_words = np.ascontiguousarray(
                np.concatenate(self._blocks, axis=1))
            self._blocks = [self._db_words]
        return self._db_words

    def _map_chunks(self, function, num_query: int) -> None:
        starts = range(0, num_query, self.query_chunk_size)
        if self.num_workers <= 1 or len(starts) <= 1:
            for start in starts:
                function(start)
            return
        with ThreadPoolExecutor(self.num_workers) as executor:
            list(executor.map(function, starts))  # re-raises errors

    def search(self, query_words: np.ndarray,
               k: int) -> Tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest database positions of every query.

        Args:
            query_words (np.ndarray): ``uint64`` ``(Q, W)`` query codes.
            k (int): Neighbours per query, ``1 <= k <= ntotal``.

        Returns:
            tuple: ``distances`` int32 ``(Q, k)`` and ``positions`` int64
            ``(Q, k)``, ordered by distance, then position.
        """
        db = self._words()
        num_query = query_words.shape[0]
        distances = np.empty((num_query, k), dtype=np.int32)
        positions = np.empty((num_query, k), dtype=np.int64)

        def search_chunk(start: int) -> None:
            stop = min(start + self.query_chunk_size, num_query)
            distances[start:stop], positions[start:stop] = self._topk_chunk(
                query_words[start:stop], db, k)

        self._map_chunks(search_chunk, num_query)
        return distances, positions

    def _topk_chunk(self, query_words: np.ndarray, db: np.ndarray,
                    k: int) -> Tuple[np.ndarray, np.ndarray]:
        num_query, num_db = query_words.shape[0], db.shape[1]
        # A small first block: partitioning it is cheap, and the running
        # k-th distance tightens quickly on the following blocks.
        first = min(num_db, max(self.first_block_size, k))
        buffer = np.empty((num_query, max(first, self.block_size)),
                          dtype=self._dtype)
        head = buffer[:, :first]
        hamming_distance_words(query_words, db[:, :first], out=head)
        kth = np.partition(head, k - 1, axis=1)[:, k - 1:k]
        rows, cols = _nonzero_2d(head <= kth)
        order = _sort_entries(rows, head[rows, cols], cols, self.num_bits,
                              num_db)
        rows, cols = rows[order], cols[order]
        best_dist, best_pos = _first_k_per_row(
            rows, (head[rows, cols].astype(np.int32), cols.astype(
                np.int64)), num_query, k)
        all_rows = np.repeat(np.arange(num_query), k)
        for start in range(first, num_db, self.block_size):
            stop = min(start + self.block_size, num_db)
            block = buffer[:, :stop - start]
            hamming_distance_words(query_words, db[:, start:stop], out=block)
            # Same dtype on both sides: no upcast copy of the block.
            threshold = best_dist[:, -1:].astype(self._dtype)
            rows, cols = _nonzero_2d(block < threshold)
            if rows.size == 0:
                continue
            merged_rows = np.concatenate([all_rows, rows])
            merged_dist = np.concatenate(
                [best_dist.ravel(), block[rows, cols].astype(np.int32)])
            merged_pos = np.concatenate([best_pos.ravel(), cols + start])
            order = _sort_entries(merged_rows, merged_dist, merged_pos,
                                  self.num_bits, num_db)
            best_dist, best_pos = _first_k_per_row(
                merged_rows[order], (merged_dist[order], merged_pos[order]),
                num_query, k)
        return best_dist, best_pos

    def range_search(self, query_words: np.ndarray, radius: int
                     ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All database positions within ``radius`` of every query.

        Args:
            query_words (np.ndarray): ``uint64`` ``(Q, W)`` query codes.
            radius (int): Largest Hamming distance retrieved (inclusive).

        Returns:
            tuple: ``lims`` int64 ``(Q + 1,)``; the results of query ``q``
            are ``distances[lims[q]:lims[q + 1]]`` (int32) and
            ``positions[lims[q]:lims[q + 1]]`` (int64), ordered by
            distance, then position.
        """
        db = self._words()
        num_query, num_db = query_words.shape[0], db.shape[1]
        parts = {}

        def search_chunk(start: int) -> None:
            chunk = query_words[start:start + self.query_chunk_size]
            width = min(self.block_size, num_db)
            buffer = np.empty((chunk.shape[0], width), dtype=self._dtype)
            found = []
            for block_start in range(0, num_db, width):
                stop = min(block_start + width, num_db)
                block = buffer[:, :stop - block_start]
                hamming_distance_words(chunk, db[:, block_start:stop],
                                       out=block)
                rows, cols = _nonzero_2d(block <= radius)
                found.append((rows + start, block[rows, cols].astype(
                    np.int32), cols + np.int64(block_start)))
            parts[start] = found

        self._map_chunks(search_chunk, num_query)
        found = [entry for start in sorted(parts) for entry in parts[start]]
        rows = np.concatenate([f[0] for f in found] + [np.zeros(0, int)])
        dist = np.concatenate([f[1] for f in found] + [np.zeros(0, np.int32)])
        pos = np.concatenate([f[2] for f in found] + [np.zeros(0, np.int64)])
        order = _sort_entries(rows, dist, pos, self.num_bits, num_db)
        lims = np.zeros(num_query + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=num_query), out=lims[1:])
        return lims, dist[order], pos[order].astype(np.int64)
