# Copyright (c) mhash contributors. All rights reserved.
"""Tie-aware average precision of a Hamming ranking.

Hamming distances take only ``k + 1`` values, so a ranking by distance has
large groups of tied items and AP depends on how ties are broken. He,
Cakir, Bargal and Sclaroff ("Hashing as Tie-Aware Learning to Rank", CVPR
2018) define the tie-aware AP as the *expected* AP when the items inside
every equal-distance group are put in a uniformly random order. It has a
closed form in the per-distance counts only.

For one query, let group ``d`` (distance ``d``) hold ``n_d`` items of which
``r_d`` are relevant, ``N_d`` items and ``R_d`` relevant items lie at
smaller distances, and ``R`` is the total number of relevant items. A
relevant item of group ``d`` sits at each in-group position
``j = 1 .. n_d`` with probability ``1 / n_d``; given ``j``, the expected
number of the other ``r_d - 1`` relevant items of the group before it is
``(j - 1)(r_d - 1) / (n_d - 1)`` (0 when ``n_d = 1``). Hence::

    AP_T = 1/R * sum_d r_d / n_d * sum_{j=1}^{n_d}
           (R_d + 1 + (j - 1)(r_d - 1)/(n_d - 1)) / (N_d + j)

With ``S = H(N_d + n_d) - H(N_d)`` (``H`` the harmonic numbers, computed
with the digamma function) the inner sum is
``(R_d + 1) S + (r_d - 1)/(n_d - 1) * (n_d - (N_d + 1) S)``.
"""
import numpy as np
from scipy.special import digamma

__all__ = ['tie_aware_average_precision']


def tie_aware_average_precision(counts_at_distance,
                                relevant_at_distance) -> np.ndarray:
    """Expected AP under random tie-breaking, from per-distance counts.

    Args:
        counts_at_distance (array-like): ``(Q, k+1)`` number of database
            items at each Hamming distance, per query.
        relevant_at_distance (array-like): ``(Q, k+1)`` number of relevant
            items at each distance.

    Returns:
        np.ndarray: ``(Q,)`` float64 tie-aware AP; NaN for a query with no
        relevant item.

    Examples:
        >>> # one group of 2 items, 1 relevant: E[AP] = (1 + 1/2) / 2
        >>> tie_aware_average_precision([[2]], [[1]])
        array([0.75])
    """
    counts = np.asarray(counts_at_distance, dtype=np.float64)
    relevant = np.asarray(relevant_at_distance, dtype=np.float64)
    if counts.shape != relevant.shape or counts.ndim != 2:
        raise ValueError(f'counts {counts.shape} and relevant counts '
                         f'{relevant.shape} must be the same (Q, k+1) shape')
    if np.any(relevant > counts) or np.any(relevant < 0):
        raise ValueError('relevant counts must lie in 0 .. counts')
    items_before = np.cumsum(counts, axis=1) - counts
    relevant_before = np.cumsum(relevant, axis=1) - relevant
    # H(N + n) - H(N) = digamma(N + n + 1) - digamma(N + 1)
    harmonic_gap = digamma(items_before + counts + 1) - digamma(items_before +
                                                                1)
    with np.errstate(divide='ignore', invalid='ignore'):
        others_rate = np.where(counts > 1, (relevant - 1) / (counts - 1), 0.0)
        group_sum = (relevant_before + 1) * harmonic_gap + others_rate * (
            counts - (items_before + 1) * harmonic_gap)
        contribution = np.where(relevant > 0, relevant / counts * group_sum,
                                0.0)
        num_relevant = relevant.sum(1)
        return np.where(num_relevant > 0,
                        contribution.sum(1) / num_relevant, np.nan)
