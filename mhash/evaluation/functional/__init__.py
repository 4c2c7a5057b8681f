# Copyright (c) mhash contributors. All rights reserved.
"""Retrieval metrics as plain numpy functions (no Runner needed)."""
from .ranking_statistics import RankingStatistics, hamming_ranking_statistics
from .relevance import check_labels, pack_labels, shared_label_relevance_words
from .retrieval_metrics import (
    DEFAULT_CURVE_KS,
    DEFAULT_TOPK,
    calculate_retrieval_metrics,
    prepare_codes,
)
from .tie_aware import tie_aware_average_precision

__all__ = [
    'check_labels', 'pack_labels', 'shared_label_relevance_words',
    'RankingStatistics', 'hamming_ranking_statistics',
    'tie_aware_average_precision', 'DEFAULT_TOPK', 'DEFAULT_CURVE_KS',
    'prepare_codes', 'calculate_retrieval_metrics'
]
