# Copyright (c) mhash contributors. All rights reserved.
import numpy as np
import pytest
import torch

from mhash.evaluation import HashRetrievalMetric, calculate_retrieval_metrics
from mhash.registry import METRICS

NUM_BITS, NUM_CLASSES = 16, 6


def make_split(seed, num):
    rng = np.random.default_rng(seed)
    codes = rng.choice(np.array([-1, 1], dtype=np.int8), (num, NUM_BITS))
    labels = (rng.random((num, NUM_CLASSES)) < 0.25).astype(np.uint8)
    return codes, labels


def samples(split, codes, labels, indices):
    return [
        dict(code=torch.from_numpy(codes[i]),
             label=torch.from_numpy(labels[i]),
             index=int(i), split=split) for i in indices
    ]


def distributed_results(metric_kwargs, splits, world_size=2, batch_size=4):
    """What mmengine gathers: per-rank results with padded, repeated items,
    interleaved rank by rank."""
    per_rank = []
    for rank in range(world_size):
        metric = HashRetrievalMetric(**metric_kwargs)
        for split, (codes, labels) in splits.items():
            num = len(codes)
            padded = list(range(num)) + list(range(-num % world_size))
            mine = padded[rank::world_size]
            for start in range(0, len(mine), batch_size):
                metric.process({}, samples(split, codes, labels,
                                           mine[start:start + batch_size]))
        per_rank.append(metric.results)
    return [entry for group in zip(*per_rank) for entry in group]


def test_compute_metrics_from_gathered_interleaved_results():
    kwargs = dict(topk=[5, 50], curve_ks=[10, 20], radius=1)
    splits = {'query': make_split(0, 11), 'retrieval': make_split(1, 97)}
    results = distributed_results(kwargs, splits, world_size=3)
    metric = HashRetrievalMetric(**kwargs)
    assert metric.results == []  # must use the argument, not self.results
    metrics = metric.compute_metrics(results)
    expected = calculate_retrieval_metrics(
        *splits['query'][:1], *splits['retrieval'][:1],
        splits['query'][1], splits['retrieval'][1], **kwargs)
    names = ['mAP', 'mAP_tie_aware', 'mAP@5', 'precision@5', 'recall@5',
             'mAP@50', 'precision@50', 'recall@50', 'precision@H1',
             'recall@H1']
    assert sorted(metrics) == sorted(names)
    for name in names:
        assert metrics[name] == expected[name], name
    outputs = metric.last_outputs
    np.testing.assert_array_equal(outputs['query_codes'], splits['query'][0])
    np.testing.assert_array_equal(outputs['retrieval_labels'],
                                  splits['retrieval'][1])
    np.testing.assert_array_equal(outputs['retrieval_indices'],
                                  np.arange(97))
    np.testing.assert_array_equal(outputs['curves']['precision_curve'],
                                  expected['precision_curve'])
    assert outputs['curves']['num_retrieval'] == 97
    assert outputs['average_precision'].shape == (11, )


def test_evaluate_adds_prefix_and_is_registered():
    metric = METRICS.build(dict(type='HashRetrievalMetric', topk=[3],
                                curve_ks=[3]))
    codes, labels = make_split(2, 8)
    metric.process({}, samples('query', codes, labels, range(3)))
    metric.process({}, samples('retrieval', codes, labels, range(8)))
    metrics = metric.evaluate(11)
    assert 'retrieval/mAP' in metrics and 'retrieval/precision@H2' in metrics
    assert metric.results == []


def test_errors_are_clear():
    codes, labels = make_split(3, 6)
    metric = HashRetrievalMetric()
    bad = samples('query', codes, labels, range(2))
    del bad[0]['split']
    with pytest.raises(KeyError, match='split'):
        metric.process({}, bad)
    bad = samples('gallery', codes, labels, range(2))
    with pytest.raises(ValueError, match='split must be one of'):
        metric.process({}, bad)
    bad = samples('query', codes, labels * 3, range(2))
    with pytest.raises(ValueError, match='binary'):
        metric.process({}, bad)

    metric.process({}, samples('retrieval', codes, labels, range(6)))
    with pytest.raises(ValueError, match='query split is empty'):
        metric.compute_metrics(metric.results)

    short = samples('query', codes[:, :8], labels, range(2))
    metric.process({}, short)
    with pytest.raises(ValueError, match='bits'):
        metric.compute_metrics(metric.results)

    mixed = samples('query', codes, labels, range(2))
    mixed[1]['code'] = mixed[1]['code'][:8]
    with pytest.raises(ValueError, match='different lengths'):
        HashRetrievalMetric().process({}, mixed)

    widths = HashRetrievalMetric()
    widths.process({}, samples('retrieval', codes, labels, range(6)))
    widths.process({}, samples('query', codes, labels[:, :4], range(2)))
    with pytest.raises(ValueError, match='classes'):
        widths.compute_metrics(widths.results)

    clash = HashRetrievalMetric()
    clash.process({}, samples('retrieval', codes, labels, range(6)))
    clash.process({}, samples('query', codes, labels, [0]))
    clash.process({}, samples('query', -codes, labels, [0]))
    with pytest.raises(ValueError, match='sharing an index'):
        clash.compute_metrics(clash.results)
