# Copyright (c) mhash contributors. All rights reserved.
"""Retrieval evaluation: the protocol as functions, and the mmengine metric.

The definition of every metric is in
:mod:`mhash.evaluation.functional.retrieval_metrics`.
"""
from .functional import (
    DEFAULT_CURVE_KS,
    DEFAULT_TOPK,
    RankingStatistics,
    calculate_retrieval_metrics,
    check_labels,
    hamming_ranking_statistics,
    pack_labels,
    prepare_codes,
    shared_label_relevance_words,
    tie_aware_average_precision,
)
from .metrics import HashRetrievalMetric

__all__ = [
    'HashRetrievalMetric', 'calculate_retrieval_metrics',
    'tie_aware_average_precision', 'hamming_ranking_statistics',
    'RankingStatistics', 'pack_labels', 'check_labels',
    'shared_label_relevance_words', 'prepare_codes', 'DEFAULT_TOPK',
    'DEFAULT_CURVE_KS'
]
