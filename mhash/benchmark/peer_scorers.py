# Copyright (c) mhash contributors. All rights reserved.
"""mAP under the definitions peers use, beside mhash's own.

Hashing papers report "mAP" under slightly different definitions; the
same codes can score differently by a few points. This module computes,
from one set of codes and labels, the value under each named definition
(relevance is always "shares >= 1 label"; distances are Hamming):

mAP@all
    ``mhash``: ties in database order (stable sort), mean over the queries
    with >= 1 relevant item (:mod:`mhash.evaluation`).
    ``mhash_tie_aware``: expected AP when ties are broken uniformly at
    random (He et al., CVPR 2018); independent of database order.
    ``reference_python_unstable_ties``: the reference Python scorer ranks
    with ``np.argsort`` of the distances ``0.5 * (k - B_q B_db^T)`` with
    numpy's default ``kind='quicksort'``, which is not stable: ties come
    out in an arbitrary order. That order is deterministic for one numpy
    build on one CPU but changes with the numpy version, the distance dtype
    and the CPU's SIMD support (numpy dispatches to vectorised sorts), so
    the reference's numbers cannot be reproduced exactly elsewhere. We
    emulate it by the same call on float distances (``unstable_dtype``);
    ``ties_best_case`` / ``ties_worst_case`` (relevant items first / last
    within each distance) bound what *any* tie order can give.
    ``lab_matlab_valid_plus_10``: the lab's MATLAB baseline scorer: the sum
    of the (stable) APs divided by (number of valid queries + 10), which
    lowers every mAP slightly.
    ``all_queries_denominator``: stable APs averaged over *all* queries,
    those without a relevant item counting as 0.
mAP@K
    ``mhash`` (the reference ``fast_PR_MAP``): the sum of precision at each
    relevant item in the top K, divided by the number of relevant items
    *retrieved in the top K* (0 if none); stable ties.
    ``reference_python_unstable_ties``: the same with the unstable order.
    ``normalised_by_all_relevant``: the same sum divided by the number of
    relevant items in the whole database, R.
    ``normalised_by_min_k_relevant``: divided by ``min(K, R)``.
All mAP@K variants are averaged over the queries with >= 1 relevant item.
The stable statistics come from
:func:`mhash.evaluation.hamming_ranking_statistics`; only the unstable
order needs its own per-query sort.
"""
from typing import Dict, List, Optional, Sequence

import numpy as np

from mhash.codes import packed_to_words, unpack_codes
from mhash.evaluation import (
    calculate_retrieval_metrics,
    hamming_ranking_statistics,
    pack_labels,
    prepare_codes,
    shared_label_relevance_words,
)

__all__ = ['MAP_DEFINITIONS', 'MAP_AT_K_DEFINITIONS',
           'score_peer_definitions', 'tie_bound_average_precision']

MAP_DEFINITIONS = {
    'mhash': 'stable ties (database order), mean over valid queries',
    'mhash_tie_aware': 'expected AP over random tie orders',
    'reference_python_unstable_ties':
    'np.argsort default (unstable) on float distances',
    'ties_best_case': 'relevant items first within each distance',
    'ties_worst_case': 'relevant items last within each distance',
    'lab_matlab_valid_plus_10': 'sum of APs / (valid queries + 10)',
    'all_queries_denominator': 'queries with no relevant item count as 0',
}
MAP_AT_K_DEFINITIONS = {
    'mhash': '/ relevant retrieved in top K (reference fast_PR_MAP)',
    'reference_python_unstable_ties': 'same, unstable tie order',
    'normalised_by_all_relevant': '/ all relevant items R',
    'normalised_by_min_k_relevant': '/ min(K, R)',
}


def tie_bound_average_precision(counts_at_distance, relevant_at_distance,
                                best: bool) -> np.ndarray:
    """AP when relevant items come first (``best``) or last within ties.

    Args:
        counts_at_distance (array-like): ``(Q, k+1)`` items per distance.
        relevant_at_distance (array-like): ``(Q, k+1)`` relevant ones.
        best (bool): Best case if True, else worst case.

    Returns:
        np.ndarray: ``(Q,)`` AP; NaN for a query with no relevant item.

    Examples:
        >>> # one tie group of 3 items, 1 relevant: rank 1 or rank 3
        >>> tie_bound_average_precision([[3]], [[1]], True).tolist()
        [1.0]
        >>> tie_bound_average_precision([[3]], [[1]], False).round(4).tolist()
        [0.3333]
    """
    counts = np.asarray(counts_at_distance, dtype=np.int64)
    relevant = np.asarray(relevant_at_distance, dtype=np.int64)
    items_before = np.cumsum(counts, axis=1) - counts
    relevant_before = np.cumsum(relevant, axis=1) - relevant
    out = np.full(counts.shape[0], np.nan)
    for query in range(counts.shape[0]):
        r = relevant[query]
        total = int(r.sum())
        if total == 0:
            continue
        group = np.repeat(np.arange(r.size), r)
        within = np.arange(total) - relevant_before[query][group] + 1
        start = items_before[query][group]
        if not best:
            start = start + counts[query][group] - r[group]
        positions = start + within
        out[query] = np.mean(np.arange(1, total + 1) / positions)
    return out


def _unstable_statistics(query_packed, retrieval_packed, query_labels,
                         retrieval_labels, num_bits, topk, unstable_dtype,
                         query_chunk_size):
    """AP and AP@K of each query with ``np.argsort``'s default sort."""
    query_signed = unpack_codes(query_packed, num_bits).astype(unstable_dtype)
    retrieval_signed = unpack_codes(retrieval_packed,
                                    num_bits).astype(unstable_dtype)
    query_words = pack_labels(query_labels, 'query labels')
    retrieval_words = np.ascontiguousarray(
        pack_labels(retrieval_labels, 'retrieval labels').T)
    num_query = query_signed.shape[0]
    average_precision = np.full(num_query, np.nan)
    ap_at_k = np.zeros((num_query, len(topk)))
    for start in range(0, num_query, query_chunk_size):
        stop = min(start + query_chunk_size, num_query)
        # The reference's distance: 0.5 * (k - inner product of ±1 codes).
        distances = 0.5 * (num_bits - query_signed[start:stop]
                           @ retrieval_signed.T)
        relevant = shared_label_relevance_words(query_words[start:stop],
                                                retrieval_words)
        for row in range(stop - start):
            order = np.argsort(distances[row])  # default: not stable
            hits = relevant[row][order]
            hit_ranks = np.flatnonzero(hits) + 1.0
            if hit_ranks.size == 0:
                continue
            precision = np.arange(1, hit_ranks.size + 1) / hit_ranks
            average_precision[start + row] = precision.mean()
            for column, k in enumerate(topk):
                inside = hit_ranks <= k
                if inside.any():
                    ap_at_k[start + row, column] = precision[inside].mean()
    return average_precision, ap_at_k


def _valid_mean(values, valid) -> float:
    return float(np.mean(values[valid])) if valid.any() else float('nan')


def score_peer_definitions(query_codes,
                           retrieval_codes,
                           query_labels,
                           retrieval_labels,
                           topk: Sequence[int] = (100, 500, 1000),
                           num_bits: Optional[int] = None,
                           unstable_dtype=np.float64,
                           query_chunk_size: int = 64) -> Dict[str, object]:
    """mAP@all and mAP@K of one code set under every named definition.

    Args:
        query_codes (array-like): ``(Q, k)`` ±1 / {0, 1} codes, or packed
            ``uint8`` codes with ``num_bits``.
        retrieval_codes (array-like): ``(N, k)`` database codes.
        query_labels (array-like): ``(Q, c)`` multi-hot.
        retrieval_labels (array-like): ``(N, c)`` multi-hot.
        topk (Sequence[int]): K of the mAP@K rows.
        num_bits (int, optional): Code length of packed codes.
        unstable_dtype: Float dtype of the emulated reference distances.
        query_chunk_size (int): Queries ranked at a time.

    Returns:
        dict: ``rows``: list of ``(metric, definition, value)`` in display
        order; ``counts``: ``num_queries``, ``num_valid_queries``,
        ``num_retrieval``, ``num_bits``; ``mhash``: the full output of
        :func:`mhash.evaluation.calculate_retrieval_metrics`.

    Examples:
        >>> codes = np.array([[1, 1], [1, 1], [1, 1], [-1, -1]])
        >>> labels = np.array([[1], [0], [1], [1]])
        >>> out = score_peer_definitions(codes[:1], codes[1:], labels[:1],
        ...                              labels[1:], topk=[1])
        >>> dict(((m, d), round(v, 4)) for m, d, v in out['rows'])[
        ...     ('mAP@all', 'mhash')]
        0.5833
    """
    topk = [int(k) for k in topk]
    query_packed, retrieval_packed, num_bits = prepare_codes(
        query_codes, retrieval_codes, num_bits)
    num_retrieval = retrieval_packed.shape[0]
    mhash_out = calculate_retrieval_metrics(
        query_packed, retrieval_packed, query_labels, retrieval_labels,
        num_bits=num_bits, topk=topk, curve_ks=[min(topk)])
    cutoffs = [min(k, num_retrieval) for k in topk]
    stats = hamming_ranking_statistics(
        packed_to_words(query_packed),
        np.ascontiguousarray(packed_to_words(retrieval_packed).T),
        pack_labels(query_labels, 'query labels'),
        np.ascontiguousarray(
            pack_labels(retrieval_labels, 'retrieval labels').T),
        num_bits, cutoffs)
    num_relevant = stats.num_relevant
    valid = num_relevant > 0
    stable_ap = stats.average_precision
    unstable_ap, unstable_ap_at_k = _unstable_statistics(
        query_packed, retrieval_packed, query_labels, retrieval_labels,
        num_bits, cutoffs, unstable_dtype, query_chunk_size)
    best = tie_bound_average_precision(stats.counts_at_distance,
                                       stats.relevant_at_distance, True)
    worst = tie_bound_average_precision(stats.counts_at_distance,
                                        stats.relevant_at_distance, False)
    num_valid = int(valid.sum())
    rows: List[tuple] = [
        ('mAP@all', 'mhash', mhash_out['mAP']),
        ('mAP@all', 'mhash_tie_aware', mhash_out['mAP_tie_aware']),
        ('mAP@all', 'reference_python_unstable_ties',
         _valid_mean(unstable_ap, valid)),
        ('mAP@all', 'ties_best_case', _valid_mean(best, valid)),
        ('mAP@all', 'ties_worst_case', _valid_mean(worst, valid)),
        ('mAP@all', 'lab_matlab_valid_plus_10',
         float(np.sum(stable_ap[valid]) / (num_valid + 10))),
        ('mAP@all', 'all_queries_denominator',
         float(np.sum(stable_ap[valid]) / len(stable_ap))),
    ]
    column = {int(k): i for i, k in enumerate(stats.cutoffs)}
    for k, cutoff in zip(topk, cutoffs):
        index = column[cutoff]
        sums = stats.precision_sum_at_cutoff[:, index]
        safe = np.maximum(num_relevant, 1)
        metric = f'mAP@{k}'
        rows += [
            (metric, 'mhash', mhash_out[metric]),
            (metric, 'reference_python_unstable_ties',
             _valid_mean(unstable_ap_at_k[:, cutoffs.index(cutoff)], valid)),
            (metric, 'normalised_by_all_relevant',
             _valid_mean(sums / safe, valid)),
            (metric, 'normalised_by_min_k_relevant',
             _valid_mean(sums / np.minimum(safe, cutoff), valid)),
        ]
    counts = dict(num_queries=int(query_packed.shape[0]),
                  num_valid_queries=num_valid,
                  num_retrieval=int(num_retrieval), num_bits=int(num_bits))
    return dict(rows=rows, counts=counts, mhash=mhash_out)
