# Copyright (c) mhash contributors. All rights reserved.
"""Hash retrieval metrics: the mhash evaluation protocol.

Protocol (that of the BSTH reference scorer ``fast_PR_MAP``, with a stable
sort):

- *Relevance*: a database item is relevant to a query iff their multi-hot
  labels share at least one label.
- *Ranking*: the whole database sorted by Hamming distance to the query,
  ascending; ties keep database order (stable sort).
- *Valid queries*: queries with at least one relevant item in the whole
  database. Every metric below is a mean over the valid queries only;
  the others are skipped (they are counted in ``num_valid_queries``).
- ``mAP`` (mAP@all): mean of AP, where AP = mean, over the relevant items,
  of the precision at the rank of that item.
- ``mAP@K``: AP over the top K only: the sum of the precision at the rank of
  each relevant item within the top K, divided by the number of relevant
  items retrieved in the top K; 0 if the top K holds none.
- ``precision@K`` = hits in the top K / K; ``recall@K`` = hits in the top K
  / number of relevant items. A K larger than the database is clamped to
  the database size (also in the division).
- Hamming radius r: the items at distance <= r are retrieved.
  ``precision@H{r}`` = relevant retrieved / retrieved, **0 for a query that
  retrieves nothing**; ``recall@H{r}`` = relevant retrieved / relevant.
  ``empty_rate@H{r}`` is the fraction of valid queries retrieving nothing.
- ``mAP_tie_aware``: mean tie-aware AP (He et al., CVPR 2018): the expected
  AP when ties are broken uniformly at random (see
  :mod:`.tie_aware`); it does not depend on database order.

Note: the lab's MATLAB baseline scorer divides by (valid queries + 10) and
the reference Python scorer breaks ties in arbitrary order; mhash does
neither.
"""
from typing import Dict, Optional, Sequence

import numpy as np

from mhash.codes import check_packed_codes, pack_codes, packed_to_words

from .ranking_statistics import hamming_ranking_statistics
from .relevance import pack_labels
from .tie_aware import tie_aware_average_precision

__all__ = [
    'DEFAULT_TOPK', 'DEFAULT_CURVE_KS', 'prepare_codes',
    'calculate_retrieval_metrics'
]

DEFAULT_TOPK = (100, 500, 1000)
DEFAULT_CURVE_KS = tuple(range(50, 1001, 50))


def prepare_codes(query_codes, retrieval_codes, num_bits=None):
    """Check both code sets and return them packed, with the code length.

    Args:
        query_codes (array-like): ±1 / {0, 1} codes ``(Q, k)``, or packed
            ``uint8`` codes ``(Q, ceil(k/8))`` when ``num_bits`` is given.
        retrieval_codes (array-like): The same for the database.
        num_bits (int, optional): Give it iff the codes are packed.

    Returns:
        tuple: ``(query_packed, retrieval_packed, num_bits)``.
    """
    if num_bits is None:
        query_bits = np.asarray(query_codes)
        retrieval_bits = np.asarray(retrieval_codes)
        for name, codes in (('query codes', query_bits),
                            ('retrieval codes', retrieval_bits)):
            if codes.ndim != 2:
                raise ValueError(f'{name} must be 2-D (N, num_bits); got '
                                 f'shape {codes.shape}')
        if query_bits.shape[1] != retrieval_bits.shape[1]:
            raise ValueError(
                f'query codes have {query_bits.shape[1]} bits but retrieval '
                f'codes have {retrieval_bits.shape[1]}: codes of different '
                'bit lengths cannot be compared')
        num_bits = query_bits.shape[1]
        return pack_codes(query_bits), pack_codes(retrieval_bits), num_bits
    query_packed = check_packed_codes(query_codes, num_bits,
                                      'query codes (packed)')
    retrieval_packed = check_packed_codes(retrieval_codes, num_bits,
                                          'retrieval codes (packed)')
    return query_packed, retrieval_packed, int(num_bits)


def _check_sizes(query_packed, retrieval_packed, query_labels,
                 retrieval_labels):
    for split, codes, labels in (('query', query_packed, query_labels),
                                 ('retrieval', retrieval_packed,
                                  retrieval_labels)):
        if codes.shape[0] == 0:
            raise ValueError(f'the {split} split is empty: nothing to rank')
        if labels.shape[0] != codes.shape[0]:
            raise ValueError(f'{split} split: {codes.shape[0]} codes but '
                             f'{labels.shape[0]} label rows')
    if query_labels.shape[1] != retrieval_labels.shape[1]:
        raise ValueError(
            f'query labels have {query_labels.shape[1]} classes but '
            f'retrieval labels have {retrieval_labels.shape[1]}')


def _check_cutoffs(values, name):
    values = [int(value) for value in values]
    if not values or min(values) < 1:
        raise ValueError(f'{name} must be a non-empty list of positive '
                         f'ints; got {values}')
    return values


def _valid_mean(values, valid):
    return float(values[valid].mean()) if valid.any() else float('nan')


def calculate_retrieval_metrics(query_codes,
                                retrieval_codes,
                                query_labels,
                                retrieval_labels,
                                num_bits: Optional[int] = None,
                                topk: Sequence[int] = DEFAULT_TOPK,
                                curve_ks: Sequence[int] = DEFAULT_CURVE_KS,
                                radius: int = 2,
                                query_chunk_size: int = 32,
                                num_workers: Optional[int] = None
                                ) -> Dict[str, object]:
    """Every retrieval metric of the protocol in one call.

    Args:
        query_codes (array-like): Query codes ``(Q, k)`` in {-1, 1} (or
            {0, 1}), or packed ``uint8`` codes if ``num_bits`` is given.
        retrieval_codes (array-like): Database codes ``(N, k)``, same form.
        query_labels (array-like): Multi-hot ``(Q, c)`` in {0, 1}.
        retrieval_labels (array-like): Multi-hot ``(N, c)`` in {0, 1}.
        num_bits (int, optional): Code length of packed codes; leave None
            for unpacked codes.
        topk (Sequence[int]): K of the scalar ``mAP@K``, ``precision@K`` and
            ``recall@K``. Defaults to ``(100, 500, 1000)``.
        curve_ks (Sequence[int]): K of the curves. Defaults to 50, 100, ...,
            1000.
        radius (int): Hamming radius of ``precision@H{radius}`` and
            ``recall@H{radius}`` (clamped to ``k``). Defaults to 2.
        query_chunk_size (int): Queries ranked at a time (memory bound).
        num_workers (int, optional): Threads; default ``min(4, cpus)``.

    Returns:
        dict: Scalars (float): ``mAP``, ``mAP_tie_aware``, ``mAP@K``,
        ``precision@K``, ``recall@K`` (K in ``topk``), ``precision@H{r}``,
        ``recall@H{r}``, ``empty_rate@H{r}``; counts (int): ``num_queries``,
        ``num_valid_queries``, ``num_retrieval``, ``num_bits``; arrays:
        ``curve_ks``, ``precision_curve``, ``recall_curve``, ``mAP_curve``
        (at ``curve_ks``), ``radii`` (0..k), ``radius_precision_curve``,
        ``radius_recall_curve`` (the precision-recall curve over Hamming
        radii), ``average_precision`` and ``average_precision_tie_aware``
        per query (NaN for skipped queries). Means over no valid query are
        NaN.

    Examples:
        >>> codes = np.array([[1, 1], [1, -1], [-1, -1]])
        >>> labels = np.array([[1, 0], [1, 0], [0, 1]])
        >>> out = calculate_retrieval_metrics(codes[:1], codes, labels[:1],
        ...                                   labels, topk=[2], curve_ks=[2],
        ...                                   radius=0)
        >>> out['mAP'], out['precision@2'], out['recall@H0']
        (1.0, 1.0, 0.5)
    """
    query_packed, retrieval_packed, num_bits = prepare_codes(
        query_codes, retrieval_codes, num_bits)
    query_label_words = pack_labels(query_labels, 'query labels')
    retrieval_label_words = pack_labels(retrieval_labels, 'retrieval labels')
    _check_sizes(query_packed, retrieval_packed, np.asarray(query_labels),
                 np.asarray(retrieval_labels))
    topk = _check_cutoffs(topk, 'topk')
    curve_ks = _check_cutoffs(curve_ks, 'curve_ks')
    if int(radius) < 0:
        raise ValueError(f'radius must be >= 0; got {radius}')
    radius = int(radius)
    num_retrieval = retrieval_packed.shape[0]

    stats = hamming_ranking_statistics(
        packed_to_words(query_packed),
        np.ascontiguousarray(packed_to_words(retrieval_packed).T),
        query_label_words,
        np.ascontiguousarray(retrieval_label_words.T),
        num_bits,
        [min(k, num_retrieval) for k in topk + curve_ks],
        query_chunk_size=query_chunk_size,
        num_workers=num_workers)
    num_relevant = stats.num_relevant
    valid = num_relevant > 0
    safe_relevant = np.maximum(num_relevant, 1)[:, None]
    hits = stats.hits_at_cutoff
    precision = hits / stats.cutoffs
    recall = hits / safe_relevant
    map_at = np.where(hits > 0,
                      stats.precision_sum_at_cutoff / np.maximum(hits, 1), 0.)
    column = {int(k): i for i, k in enumerate(stats.cutoffs)}

    retrieved = np.cumsum(stats.counts_at_distance, axis=1)
    relevant_retrieved = np.cumsum(stats.relevant_at_distance, axis=1)
    radius_precision = relevant_retrieved / np.maximum(retrieved, 1)
    radius_recall = relevant_retrieved / safe_relevant
    tie_aware = tie_aware_average_precision(stats.counts_at_distance,
                                            stats.relevant_at_distance)

    out = {
        'mAP': _valid_mean(stats.average_precision, valid),
        'mAP_tie_aware': _valid_mean(tie_aware, valid),
    }
    for k in topk:
        index = column[min(k, num_retrieval)]
        out[f'mAP@{k}'] = _valid_mean(map_at[:, index], valid)
        out[f'precision@{k}'] = _valid_mean(precision[:, index], valid)
        out[f'recall@{k}'] = _valid_mean(recall[:, index], valid)
    level = min(radius, num_bits)
    out[f'precision@H{radius}'] = _valid_mean(radius_precision[:, level],
                                              valid)
    out[f'recall@H{radius}'] = _valid_mean(radius_recall[:, level], valid)
    out[f'empty_rate@H{radius}'] = _valid_mean(retrieved[:, level] == 0,
                                               valid)
    curve_columns = [column[min(k, num_retrieval)] for k in curve_ks]

    def curve(values):
        if not valid.any():
            return np.full(values.shape[1], np.nan)
        return values[valid].mean(0)

    out.update(
        num_queries=int(query_packed.shape[0]),
        num_valid_queries=int(valid.sum()),
        num_retrieval=int(num_retrieval),
        num_bits=int(num_bits),
        curve_ks=np.asarray(curve_ks, dtype=np.int64),
        precision_curve=curve(precision[:, curve_columns]),
        recall_curve=curve(recall[:, curve_columns]),
        mAP_curve=curve(map_at[:, curve_columns]),
        radii=np.arange(num_bits + 1),
        radius_precision_curve=curve(radius_precision),
        radius_recall_curve=curve(radius_recall),
        average_precision=stats.average_precision,
        average_precision_tie_aware=tie_aware)
    return out
