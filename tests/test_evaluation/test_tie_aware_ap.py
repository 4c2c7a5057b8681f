# Copyright (c) mhash contributors. All rights reserved.
"""Tie-aware AP against the average over every tie-breaking order."""
import itertools

import numpy as np
import pytest

from mhash.evaluation import (
    calculate_retrieval_metrics,
    tie_aware_average_precision,
)


def average_precision(ranked_relevance):
    hits, total = 0, 0.0
    for rank, is_relevant in enumerate(ranked_relevance, start=1):
        if is_relevant:
            hits += 1
            total += hits / rank
    return total / hits


def exhaustive_tie_aware_ap(distances, relevant):
    """Mean AP over all orderings sorted by distance (ties in any order)."""
    values = []
    for order in itertools.permutations(range(len(distances))):
        ranked = np.asarray(distances)[list(order)]
        if np.all(np.diff(ranked) >= 0):
            values.append(average_precision(np.asarray(relevant)[list(order)]))
    return np.mean(values)


def test_matches_exhaustive_orderings_on_tiny_cases():
    rng = np.random.default_rng(0)
    num_bits = 3
    for _ in range(40):
        num_db = int(rng.integers(1, 8))
        distances = rng.integers(0, num_bits + 1, num_db)
        relevant = rng.random(num_db) < 0.5
        if not relevant.any():
            relevant[rng.integers(num_db)] = True
        counts = np.bincount(distances, minlength=num_bits + 1)
        hits = np.bincount(distances[relevant], minlength=num_bits + 1)
        result = tie_aware_average_precision(counts[None], hits[None])[0]
        assert result == pytest.approx(
            exhaustive_tie_aware_ap(distances, relevant), abs=1e-12)


def test_through_calculate_with_codes():
    rng = np.random.default_rng(1)
    codes = rng.choice([-1, 1], (10, 3))
    labels = (rng.random((10, 4)) < 0.4).astype(np.uint8)
    labels[:, 0] |= np.arange(10) % 3 == 0
    out = calculate_retrieval_metrics(codes[:3], codes[3:], labels[:3],
                                      labels[3:], topk=[2], curve_ks=[2])
    expected = []
    for code, label in zip(codes[:3], labels[:3]):
        distances = (codes[3:] != code).sum(1)
        relevant = (labels[3:] @ label) > 0
        if relevant.any():
            expected.append(exhaustive_tie_aware_ap(distances, relevant))
    assert out['num_valid_queries'] == len(expected)
    assert out['mAP_tie_aware'] == pytest.approx(np.mean(expected), abs=1e-12)


def test_no_ties_equals_plain_ap_and_no_relevant_is_nan():
    counts = np.array([[1, 1, 1, 1], [2, 0, 0, 0]])
    hits = np.array([[0, 1, 0, 1], [0, 0, 0, 0]])
    result = tie_aware_average_precision(counts, hits)
    assert result[0] == pytest.approx((1 / 2 + 2 / 4) / 2)
    assert np.isnan(result[1])


def test_large_counts_are_accurate():
    # One big tie group at a large offset: E[AP] by direct summation.
    before, size, relevant = 10**6, 50, 7
    counts = np.array([[before, size]])
    hits = np.array([[0, relevant]])
    j = np.arange(1, size + 1)
    inner = (1 + (j - 1) * (relevant - 1) / (size - 1)) / (before + j)
    expected = relevant / size * inner.sum() / relevant
    result = tie_aware_average_precision(counts, hits)[0]
    assert result == pytest.approx(expected, rel=1e-9)


def test_invalid_counts_raise():
    with pytest.raises(ValueError, match='same'):
        tie_aware_average_precision([[1, 2]], [[1]])
    with pytest.raises(ValueError, match='0 .. counts'):
        tie_aware_average_precision([[1]], [[2]])
