# Copyright (c) mhash contributors. All rights reserved.
"""The fast protocol against a slow, obvious per-query reference."""
import numpy as np
import pytest

from mhash.codes import pack_codes
from mhash.evaluation import calculate_retrieval_metrics


def reference_metrics(query_codes, db_codes, query_labels, db_labels, topk,
                      curve_ks, radius):
    """Per query: Hamming by dot product, stable argsort, AP by a loop."""
    num_bits = query_codes.shape[1]
    num_db = db_codes.shape[0]
    per_query = []
    for code, label in zip(query_codes, query_labels):
        hamming = 0.5 * (num_bits - db_codes @ code)
        relevant = (db_labels @ label) > 0
        num_relevant = relevant.sum()
        if num_relevant == 0:
            continue
        ranked = relevant[np.argsort(hamming, kind='stable')]

        def average_precision(ranked_relevance):
            hits, total = 0, 0.0
            for rank, is_relevant in enumerate(ranked_relevance, start=1):
                if is_relevant:
                    hits += 1
                    total += hits / rank
            return total / hits if hits else 0.0

        row = {'mAP': average_precision(ranked)}
        for k in sorted(set(topk) | set(curve_ks)):
            top = ranked[:min(k, num_db)]
            row[f'mAP@{k}'] = average_precision(top)
            row[f'precision@{k}'] = top.sum() / min(k, num_db)
            row[f'recall@{k}'] = top.sum() / num_relevant
        for r in range(num_bits + 1):
            retrieved = hamming <= r
            hits = (retrieved & relevant).sum()
            row[f'P{r}'] = hits / retrieved.sum() if retrieved.any() else 0.0
            row[f'R{r}'] = hits / num_relevant
        row[f'precision@H{radius}'] = row[f'P{min(radius, num_bits)}']
        row[f'recall@H{radius}'] = row[f'R{min(radius, num_bits)}']
        per_query.append(row)
    return {name: np.mean([row[name] for row in per_query])
            for name in per_query[0]}, len(per_query)


def make_case(seed, num_query, num_db, num_bits, num_classes, density):
    rng = np.random.default_rng(seed)
    query_codes = rng.choice([-1, 1], (num_query, num_bits))
    db_codes = rng.choice([-1, 1], (num_db, num_bits))
    # Repeat some database codes so that ties are even more frequent.
    db_codes[num_db // 2:] = db_codes[rng.integers(0, num_db // 2,
                                                   num_db - num_db // 2)]
    query_labels = (rng.random((num_query, num_classes)) < density)
    db_labels = (rng.random((num_db, num_classes)) < density)
    query_labels[0] = 0  # a query with no relevant item at all
    return (query_codes, db_codes, query_labels.astype(np.uint8),
            db_labels.astype(np.uint8))


@pytest.mark.parametrize('seed, num_bits, num_classes, density', [
    (0, 8, 5, 0.15),
    (1, 16, 24, 0.08),
    (2, 8, 70, 0.02),   # two label words
    (3, 16, 3, 0.5),    # dense multi-label relevance
])
def test_every_metric_matches_reference(seed, num_bits, num_classes, density):
    topk, curve_ks, radius = [1, 7, 60, 400], [5, 10, 50, 100], 2
    case = make_case(seed, 37, 260, num_bits, num_classes, density)
    expected, num_valid = reference_metrics(*case, topk, curve_ks, radius)
    out = calculate_retrieval_metrics(
        *case, topk=topk, curve_ks=curve_ks, radius=radius,
        query_chunk_size=5, num_workers=2)
    assert out['num_valid_queries'] == num_valid < 37
    names = ['mAP', f'precision@H{radius}', f'recall@H{radius}']
    for k in topk:
        names += [f'mAP@{k}', f'precision@{k}', f'recall@{k}']
    for name in names:
        assert out[name] == pytest.approx(expected[name], abs=1e-9), name
    for curve, prefix in (('precision_curve', 'precision'),
                          ('recall_curve', 'recall'), ('mAP_curve', 'mAP')):
        np.testing.assert_allclose(
            out[curve], [expected[f'{prefix}@{k}'] for k in curve_ks],
            atol=1e-9)
    np.testing.assert_allclose(
        out['radius_precision_curve'],
        [expected[f'P{r}'] for r in range(num_bits + 1)], atol=1e-9)
    np.testing.assert_allclose(
        out['radius_recall_curve'],
        [expected[f'R{r}'] for r in range(num_bits + 1)], atol=1e-9)
    assert np.isnan(out['average_precision'][0])


def test_packed_input_and_chunking_agree():
    query, db, query_labels, db_labels = make_case(4, 23, 300, 16, 6, 0.2)
    plain = calculate_retrieval_metrics(query, db, query_labels, db_labels,
                                        query_chunk_size=1, num_workers=1)
    packed = calculate_retrieval_metrics(
        pack_codes(query), pack_codes(db), query_labels, db_labels,
        num_bits=16, query_chunk_size=64, num_workers=3)
    for name, value in plain.items():
        np.testing.assert_array_equal(packed[name], value, err_msg=name)


def test_ties_are_broken_in_database_order():
    # All items tie at distance 0; the relevant one is last in the database.
    codes = np.ones((4, 8), dtype=np.int8)
    labels = np.array([[1, 0], [0, 1], [0, 1], [1, 0]], dtype=np.uint8)
    out = calculate_retrieval_metrics(
        codes[:1], codes[1:], labels[:1], labels[1:], topk=[1],
        curve_ks=[1])
    assert out['mAP'] == pytest.approx(1 / 3)
    assert out['precision@1'] == 0.0
    assert out['mAP_tie_aware'] == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)


def test_radius_convention_for_queries_retrieving_nothing():
    query = np.ones((1, 8), dtype=np.int8)
    db = -np.ones((3, 8), dtype=np.int8)
    labels = np.ones((4, 1), dtype=np.uint8)
    out = calculate_retrieval_metrics(query, db, labels[:1], labels[1:],
                                      topk=[10], curve_ks=[10])
    assert out['precision@H2'] == 0.0 and out['recall@H2'] == 0.0
    assert out['empty_rate@H2'] == 1.0
    # K beyond the database is clamped to the database size.
    assert out['precision@10'] == 1.0 and out['recall@10'] == 1.0


def test_no_valid_query_gives_nan():
    codes = np.ones((2, 8), dtype=np.int8)
    out = calculate_retrieval_metrics(codes, codes, [[1, 0], [1, 0]],
                                      [[0, 1], [0, 1]])
    assert out['num_valid_queries'] == 0
    assert np.isnan(out['mAP']) and np.isnan(out['mAP_tie_aware'])


@pytest.mark.parametrize('change, message', [
    (dict(retrieval_codes=np.ones((3, 16))), 'different bit lengths'),
    (dict(retrieval_labels=np.ones((3, 4))), 'classes'),
    (dict(query_labels=np.full((2, 3), 2)), 'binary'),
    (dict(query_codes=np.ones((0, 8)), query_labels=np.ones((0, 3))),
     'query split is empty'),
    (dict(retrieval_codes=np.ones((0, 8)),
          retrieval_labels=np.ones((0, 3))), 'retrieval split is empty'),
    (dict(retrieval_labels=np.ones((2, 3))), '3 codes but 2 label rows'),
    (dict(topk=[0]), 'topk'),
    (dict(radius=-1), 'radius'),
])
def test_clear_errors(change, message):
    args = dict(query_codes=np.ones((2, 8)), retrieval_codes=np.ones((3, 8)),
                query_labels=np.ones((2, 3)), retrieval_labels=np.ones((3, 3)))
    args.update(change)
    with pytest.raises(ValueError, match=message):
        calculate_retrieval_metrics(**args)
