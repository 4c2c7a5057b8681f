# Copyright (c) mhash contributors. All rights reserved.
"""Grouping stored cells by (method, data set, bits) over the seeds."""
import math
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

__all__ = ['SeedSummary', 'metric_value', 'summarize_over_seeds',
           'METRIC_INFO', 'metric_info', 'available_metrics']


@dataclass
class SeedSummary:
    """One table cell: a metric over the seeds of (method, data set, bits).

    Attributes:
        values (list[float]): The stored value of each seed, in seed order.
        seeds (list[int]): The seeds.
        mean (float): ``np.mean(values)``.
        std (float): Sample standard deviation (``ddof=1``); NaN for one
            seed.
    """
    values: List[float]
    seeds: List[int]

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    @property
    def std(self) -> float:
        if self.n < 2:
            return float('nan')
        return float(np.std(self.values, ddof=1))


#: name -> (title, higher is better, decimals)
METRIC_INFO = {
    'mAP': ('mAP@all', True, 4),
    'mAP_tie_aware': ('tie-aware mAP@all', True, 4),
    'train_time_s': ('training time (s)', False, 1),
    'encode_ms_per_item': ('encoding time per item (ms)', False, 3),
    'test_time_s': ('test time, encoding + ranking (s)', False, 2),
}


def metric_info(metric: str) -> Tuple[str, bool, int]:
    """Title, whether higher is better, and decimals of a metric.

    Examples:
        >>> metric_info('precision@100')
        ('precision@100', True, 4)
    """
    if metric in METRIC_INFO:
        return METRIC_INFO[metric]
    return metric, True, 4


def metric_value(record: dict, metric: str) -> Optional[float]:
    """A metric of one stored record (``metrics`` first, then top level).

    Examples:
        >>> metric_value(dict(metrics=dict(mAP=0.5), train_time_s=2.0),
        ...              'train_time_s')
        2.0
    """
    value = record.get('metrics', {}).get(metric)
    if value is None:
        value = record.get(metric)
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def available_metrics(records: Sequence[dict]) -> List[str]:
    """``mAP``, then every stored ``mAP@K`` and ``precision@K`` (by K),
    then the timings present in the records."""
    names = set()
    for record in records:
        names.update(record.get('metrics', {}))
    found = ['mAP'] if 'mAP' in names else []
    for family in ('mAP', 'precision'):
        ks = sorted(int(m.group(1)) for name in names
                    for m in [re.fullmatch(family + r'@(\d+)', name)] if m)
        found += [f'{family}@{k}' for k in ks]
    for timing in ('train_time_s', 'encode_ms_per_item'):
        if any(timing in record for record in records):
            found.append(timing)
    return found


def summarize_over_seeds(records: Sequence[dict],
                         metric: str) -> Dict[tuple, SeedSummary]:
    """``{(method, dataset, bits): SeedSummary}`` of one metric.

    Records without the metric (or with NaN) are left out of the cell.

    Examples:
        >>> records = [dict(method='A', dataset='d', bits=8, seed=s,
        ...                 metrics=dict(mAP=v)) for s, v in [(0, .5),
        ...                                                  (1, .7)]]
        >>> cell = summarize_over_seeds(records, 'mAP')[('A', 'd', 8)]
        >>> round(cell.mean, 6), cell.n
        (0.6, 2)
    """
    grouped: Dict[tuple, Dict[int, float]] = {}
    for record in records:
        value = metric_value(record, metric)
        if value is None:
            continue
        key = (record['method'], record['dataset'], int(record['bits']))
        grouped.setdefault(key, {})[int(record['seed'])] = value
    return {
        key: SeedSummary([by_seed[s] for s in sorted(by_seed)],
                         sorted(by_seed))
        for key, by_seed in grouped.items()
    }
