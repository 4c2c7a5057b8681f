# Copyright (c) mhash contributors. All rights reserved.
"""Per-query statistics of a Hamming ranking, computed in query chunks.

The ranking of one query: the whole database sorted by Hamming distance,
ascending, ties kept in database order (a stable sort, like MATLAB's
``sort``). Every retrieval metric of :mod:`mhash.evaluation` is a function
of a few per-query numbers collected here, so the ``(Q, N)`` distance and
relevance matrices never exist at once: queries are processed
``query_chunk_size`` at a time (``uint8`` distances and ``bool`` relevance
of that chunk only), and within a query the stable order comes from a
counting (radix) sort of the small-integer distances.
"""
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from mhash.codes import distance_dtype, hamming_distance_words

from .relevance import shared_label_relevance_words

__all__ = ['RankingStatistics', 'hamming_ranking_statistics']


@dataclass
class RankingStatistics:
    """What the metrics need to know about each query's ranking.

    Attributes:
        cutoffs (np.ndarray): ``(T,)`` sorted rank cut-offs K (each at most
            the database size).
        counts_at_distance (np.ndarray): ``(Q, k+1)`` int64; entry ``[q, d]``
            is the number of database items at Hamming distance ``d``.
        relevant_at_distance (np.ndarray): ``(Q, k+1)`` int64; the relevant
            ones among them.
        average_precision (np.ndarray): ``(Q,)`` float64 AP over the whole
            stable ranking; NaN for a query with no relevant item.
        hits_at_cutoff (np.ndarray): ``(Q, T)`` int64 number of relevant
            items among the first ``cutoffs[t]`` of the ranking.
        precision_sum_at_cutoff (np.ndarray): ``(Q, T)`` float64 sum of the
            precision at the rank of each relevant item among the first
            ``cutoffs[t]`` (AP@K numerator).
    """
    cutoffs: np.ndarray
    counts_at_distance: np.ndarray
    relevant_at_distance: np.ndarray
    average_precision: np.ndarray
    hits_at_cutoff: np.ndarray
    precision_sum_at_cutoff: np.ndarray

    @property
    def num_relevant(self) -> np.ndarray:
        """``(Q,)`` number of relevant database items of each query."""
        return self.relevant_at_distance.sum(1)


def _rank_one_query(distances: np.ndarray, relevant: np.ndarray,
                    cutoffs: np.ndarray, num_levels: int):
    """Statistics of one query from its distances and relevance.

    The 0-based rank positions of the relevant items, in the stable order,
    are all that AP, AP@K and hits@K need; per-distance counts then follow
    from the group boundaries without another pass over the database.
    """
    order = np.argsort(distances, kind='stable')
    hit_ranks = np.flatnonzero(relevant[order])
    counts = np.bincount(distances, minlength=num_levels)
    relevant_before = np.searchsorted(hit_ranks, np.cumsum(counts))
    relevant_counts = np.diff(relevant_before, prepend=0)
    num_hits = hit_ranks.size
    precision_at_hits = np.arange(1, num_hits + 1, dtype=np.float64)
    precision_at_hits /= hit_ranks + 1.0
    hits_at_cutoff = np.searchsorted(hit_ranks, cutoffs)
    # Prefix sums are only needed up to the largest cut-off.
    precision_sums = np.zeros(hits_at_cutoff[-1] + 1)
    np.cumsum(precision_at_hits[:hits_at_cutoff[-1]], out=precision_sums[1:])
    average_precision = precision_at_hits.sum() / num_hits \
        if num_hits else np.nan
    return (counts, relevant_counts, average_precision, hits_at_cutoff,
            precision_sums[hits_at_cutoff])


def hamming_ranking_statistics(query_code_words: np.ndarray,
                               db_code_words_by_word: np.ndarray,
                               query_label_words: np.ndarray,
                               db_label_words_by_word: np.ndarray,
                               num_bits: int,
                               cutoffs: Sequence[int],
                               query_chunk_size: int = 32,
                               db_chunk_size: Optional[int] = None,
                               num_workers: Optional[int] = None
                               ) -> RankingStatistics:
    """Rank the database for every query and collect per-query statistics.

    Args:
        query_code_words (np.ndarray): ``uint64`` ``(Q, W)`` query codes
            (:func:`mhash.codes.packed_to_words`).
        db_code_words_by_word (np.ndarray): ``uint64`` ``(W, N)`` database
            codes, word-major.
        query_label_words (np.ndarray): ``uint64`` ``(Q, L)`` query labels
            (:func:`pack_labels`).
        db_label_words_by_word (np.ndarray): ``uint64`` ``(L, N)`` database
            labels, word-major.
        num_bits (int): Code length k (distances are ``0 .. k``).
        cutoffs (Sequence[int]): Rank cut-offs K, each in ``1 .. N``.
        query_chunk_size (int): Queries ranked together; memory is about
            ``2 * query_chunk_size * N`` bytes per worker plus ~20 bytes per
            database item for the sort of one query. Defaults to 32.
        db_chunk_size (int, optional): Database items per XOR / AND step.
        num_workers (int, optional): Threads ranking query chunks in
            parallel (numpy releases the GIL in the heavy steps). Defaults
            to ``min(4, os.cpu_count())``.

    Returns:
        RankingStatistics: Per-query statistics.
    """
    num_query = query_code_words.shape[0]
    cutoffs = np.asarray(sorted(set(int(k) for k in cutoffs)), dtype=np.int64)
    num_levels = int(num_bits) + 1
    counts = np.zeros((num_query, num_levels), dtype=np.int64)
    relevant_counts = np.zeros_like(counts)
    average_precision = np.full(num_query, np.nan)
    hits = np.zeros((num_query, cutoffs.size), dtype=np.int64)
    precision_sums = np.zeros((num_query, cutoffs.size))
    num_db = db_code_words_by_word.shape[1]
    dtype = distance_dtype(num_bits)

    def rank_chunk(start: int) -> None:
        stop = min(start + query_chunk_size, num_query)
        distances = np.empty((stop - start, num_db), dtype=dtype)
        hamming_distance_words(query_code_words[start:stop],
                               db_code_words_by_word, distances,
                               db_chunk_size)
        relevant = shared_label_relevance_words(
            query_label_words[start:stop], db_label_words_by_word,
            chunk_size=db_chunk_size)
        for row in range(stop - start):
            query = start + row
            (counts[query], relevant_counts[query], average_precision[query],
             hits[query], precision_sums[query]) = _rank_one_query(
                 distances[row], relevant[row], cutoffs, num_levels)

    if num_workers is None:
        num_workers = min(4, os.cpu_count() or 1)
    starts = range(0, num_query, query_chunk_size)
    if num_workers <= 1 or len(starts) <= 1:
        for start in starts:
            rank_chunk(start)
    else:
        with ThreadPoolExecutor(num_workers) as executor:
            # list() re-raises a worker's exception here.
            list(executor.map(rank_chunk, starts))
    return RankingStatistics(cutoffs, counts, relevant_counts,
                             average_precision, hits, precision_sums)
