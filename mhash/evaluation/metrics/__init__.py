# Copyright (c) mhash contributors. All rights reserved.
"""Metrics registered for the mmengine evaluator."""
from .hash_retrieval import HashRetrievalMetric

__all__ = ['HashRetrievalMetric']
