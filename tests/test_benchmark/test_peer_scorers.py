# Copyright (c) mhash contributors. All rights reserved.
"""Peer mAP definitions against values worked out by hand."""
from fractions import Fraction as F

import numpy as np
import pytest

from mhash.benchmark.peer_scorers import (
    score_peer_definitions,
    tie_bound_average_precision,
)
from mhash.evaluation import calculate_retrieval_metrics


def hand_made_codes():
    """3 queries x 6 database items, 4 bits, 2 classes.

    Query A (0000, class 0): database distances 0 0 1 2 2 4, relevant
    d1 d2 d4. Query B (1111, no label): no relevant item (skipped).
    Query C (0011, class 1): distances 2 2 1 0 0 2, relevant d0 d2 d3 d5.
    """
    bits = lambda rows: np.array([[1 if c == '1' else -1 for c in row]  # noqa
                                  for row in rows])
    retrieval = bits(['0000', '0000', '0001', '0011', '0011', '1111'])
    retrieval_labels = np.array([[0, 1], [1, 0], [1, 1], [0, 1], [1, 0],
                                 [0, 1]])
    query = bits(['0000', '1111', '0011'])
    query_labels = np.array([[1, 0], [0, 0], [0, 1]])
    return query, retrieval, query_labels, retrieval_labels


def ap(ranks):
    return sum(F(i + 1, r) for i, r in enumerate(ranks)) / len(ranks)


# Relevant ranks of each valid query, worked out by hand (docstring above).
STABLE = {'A': [2, 3, 5], 'C': [1, 3, 4, 6]}
BEST = {'A': [1, 3, 4], 'C': [1, 3, 4, 5]}
WORST = {'A': [2, 3, 5], 'C': [2, 3, 5, 6]}
RELEVANT = {'A': 3, 'C': 4}
# Sum of the precisions at the relevant items of the top 2 (stable).
TOP2_SUM = {'A': F(1, 2), 'C': F(1)}
TOP2_HITS = {'A': 1, 'C': 1}


def mean(values):
    return sum(values) / len(values)


def expected_values():
    stable = {q: ap(r) for q, r in STABLE.items()}
    return {
        ('mAP@all', 'mhash'): mean(list(stable.values())),
        ('mAP@all', 'ties_best_case'): mean([ap(r) for r in BEST.values()]),
        ('mAP@all', 'ties_worst_case'): mean(
            [ap(r) for r in WORST.values()]),
        # two valid queries: sum / (2 + 10)
        ('mAP@all', 'lab_matlab_valid_plus_10'): sum(stable.values()) / 12,
        # three queries, B counts as 0
        ('mAP@all', 'all_queries_denominator'): sum(stable.values()) / 3,
        ('mAP@2', 'mhash'): mean([TOP2_SUM[q] / TOP2_HITS[q]
                                  for q in 'AC']),
        ('mAP@2', 'normalised_by_all_relevant'): mean(
            [TOP2_SUM[q] / RELEVANT[q] for q in 'AC']),
        ('mAP@2', 'normalised_by_min_k_relevant'): mean(
            [TOP2_SUM[q] / min(2, RELEVANT[q]) for q in 'AC']),
    }


def test_every_definition_matches_the_hand_computed_value():
    result = score_peer_definitions(*hand_made_codes(), topk=[2])
    scores = {(m, d): v for m, d, v in result['rows']}
    for key, value in expected_values().items():
        assert scores[key] == pytest.approx(float(value), abs=1e-12), key
    assert result['counts'] == dict(num_queries=3, num_valid_queries=2,
                                    num_retrieval=6, num_bits=4)
    # hand values, as printed in the docs
    assert scores[('mAP@all', 'mhash')] == pytest.approx(0.679861, abs=1e-6)
    assert scores[('mAP@all', 'lab_matlab_valid_plus_10')] == pytest.approx(
        0.113310, abs=1e-6)


def test_unstable_ties_follow_numpy_default_argsort():
    query, retrieval, query_labels, retrieval_labels = hand_made_codes()
    result = score_peer_definitions(query, retrieval, query_labels,
                                    retrieval_labels, topk=[2])
    scores = {(m, d): v for m, d, v in result['rows']}
    aps = []
    for q in (0, 2):
        distances = 0.5 * (4 - query[q].astype(float) @ retrieval.T)
        order = np.argsort(distances)
        relevant = (retrieval_labels @ query_labels[q] > 0)[order]
        ranks = np.flatnonzero(relevant) + 1
        aps.append(ap(list(ranks)))
    value = scores[('mAP@all', 'reference_python_unstable_ties')]
    assert value == pytest.approx(float(mean(aps)), abs=1e-12)
    assert scores[('mAP@all', 'ties_worst_case')] - 1e-12 <= value <= \
        scores[('mAP@all', 'ties_best_case')] + 1e-12


def test_random_codes_consistent_with_mhash_and_bounds():
    rng = np.random.default_rng(3)
    query = rng.choice([-1, 1], (40, 8))
    retrieval = rng.choice([-1, 1], (300, 8))
    query_labels = (rng.random((40, 5)) < 0.25).astype(np.uint8)
    retrieval_labels = (rng.random((300, 5)) < 0.25).astype(np.uint8)
    result = score_peer_definitions(query, retrieval, query_labels,
                                    retrieval_labels, topk=[50, 1000])
    scores = {(m, d): v for m, d, v in result['rows']}
    reference = calculate_retrieval_metrics(query, retrieval, query_labels,
                                            retrieval_labels, topk=[50])
    assert scores[('mAP@all', 'mhash')] == reference['mAP']
    assert scores[('mAP@50', 'mhash')] == reference['mAP@50']
    best = scores[('mAP@all', 'ties_best_case')]
    worst = scores[('mAP@all', 'ties_worst_case')]
    for name in ('mhash', 'mhash_tie_aware', 'reference_python_unstable_ties'):
        assert worst - 1e-12 <= scores[('mAP@all', name)] <= best + 1e-12
    # K beyond the database: every normalisation sees all relevant items.
    assert scores[('mAP@1000', 'normalised_by_all_relevant')] == \
        pytest.approx(scores[('mAP@all', 'mhash')])


def test_tie_bounds_of_one_group():
    # 4 items at one distance, 2 relevant: ranks {1, 2} or {3, 4}.
    best = tie_bound_average_precision([[4]], [[2]], True)
    worst = tie_bound_average_precision([[4]], [[2]], False)
    assert best.tolist() == [1.0]
    assert worst[0] == pytest.approx(float(ap([3, 4])))
    assert np.isnan(tie_bound_average_precision([[3]], [[0]], True)[0])
