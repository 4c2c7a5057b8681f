# Copyright (c) mhash contributors. All rights reserved.
"""HammingIndex (both backends) against a slow reference, with many ties."""
import numpy as np
import pytest

from mhash.codes import pack_codes
from mhash.search import HammingIndex, faiss_available, resolve_backend

BACKENDS = ['numpy'] + (['faiss'] if faiss_available() else [])
# Small blocks and chunks so that the streaming merge is exercised.
SMALL = dict(numpy=dict(query_chunk_size=7, block_size=53),
             faiss=dict(max_probe=256, query_chunk_size=5))


def reference_distances(query_codes, db_codes):
    """Hamming distances from ±1 codes by counting unequal positions."""
    return (query_codes[:, None, :] != db_codes[None, :, :]).sum(-1)


def reference_topk(distances, k):
    """Sort every row by (distance, index) with Python's sort."""
    ids, dists = [], []
    for row in distances:
        order = sorted(range(len(row)), key=lambda i: (row[i], i))[:k]
        ids.append(order)
        dists.append([row[i] for i in order])
    return np.array(dists), np.array(ids)


def tied_codes(rng, num, num_bits, num_distinct):
    """Codes drawn from a few distinct ones: many exact ties."""
    distinct = rng.choice([-1, 1], size=(num_distinct, num_bits))
    return distinct[rng.integers(0, num_distinct, num)]


@pytest.mark.parametrize('backend', BACKENDS)
@pytest.mark.parametrize('num_bits, num_db, num_distinct, k', [
    (16, 400, 9, 25),      # heavy ties: 9 distinct codes
    (12, 300, 300, 40),    # padding bits, random codes
    (64, 500, 40, 1),
    (128, 200, 200, 17),   # two 64-bit words
    (8, 350, 256, 350),    # k = whole database
])
def test_topk_matches_reference(backend, num_bits, num_db, num_distinct, k):
    rng = np.random.default_rng(num_bits + k)
    db = tied_codes(rng, num_db, num_bits, num_distinct)
    queries = np.concatenate(
        [db[:5], rng.choice([-1, 1], size=(18, num_bits))])
    index = HammingIndex(num_bits, backend, **SMALL[backend])
    index.add(pack_codes(db))
    distances, ids = index.search(pack_codes(queries), k)
    ref_dist, ref_ids = reference_topk(reference_distances(queries, db), k)
    np.testing.assert_array_equal(ids, ref_ids)
    np.testing.assert_array_equal(distances, ref_dist)
    assert distances.dtype == np.int32 and ids.dtype == np.int64


@pytest.mark.parametrize('backend', BACKENDS)
@pytest.mark.parametrize('radius', [0, 3, 16])
def test_radius_search_matches_reference(backend, radius):
    rng = np.random.default_rng(radius)
    db = tied_codes(rng, 300, 16, 30)
    queries = np.concatenate([db[:4], rng.choice([-1, 1], size=(9, 16))])
    index = HammingIndex(16, backend, **SMALL[backend])
    index.add(pack_codes(db))
    lims, distances, ids = index.range_search(pack_codes(queries), radius)
    full = reference_distances(queries, db)
    assert lims.shape == (len(queries) + 1, ) and lims[0] == 0
    for q, row in enumerate(full):
        expected = [i for i in sorted(range(len(row)),
                                      key=lambda i: (row[i], i))
                    if row[i] <= radius]
        np.testing.assert_array_equal(ids[lims[q]:lims[q + 1]], expected)
        np.testing.assert_array_equal(distances[lims[q]:lims[q + 1]],
                                      row[expected])


@pytest.mark.skipif(not faiss_available(), reason='faiss is not installed')
def test_faiss_backend_equals_numpy_on_duplicates_and_fallback(
        monkeypatch):
    from mhash.search import FaissHammingBackend
    fallback_calls = []
    original = FaissHammingBackend._fallback_backend

    def counting(self):
        fallback_calls.append(1)
        return original(self)

    monkeypatch.setattr(FaissHammingBackend, '_fallback_backend', counting)
    rng = np.random.default_rng(0)
    # 2,000 items: 1,000 made of 4 distinct 32-bit codes (ties at the k-th
    # distance run past max_probe, so faiss is asked again and then the
    # NumPy fallback answers) and 1,000 random ones (answered by faiss).
    db = pack_codes(np.concatenate([tied_codes(rng, 1000, 32, 4),
                                    rng.choice([-1, 1], size=(1000, 32))]))
    queries = np.concatenate([db[:10], db[-10:], pack_codes(
        rng.choice([-1, 1], size=(10, 32)))])
    results = {}
    for backend in ('numpy', 'faiss'):
        index = HammingIndex(32, backend, **SMALL[backend])
        index.add(db[:1200])
        index.add(db[1200:])  # adding in two parts keeps positions
        results[backend] = (index.search(queries, 20),
                            index.search(queries, 300),
                            index.range_search(queries, 10))
    assert fallback_calls, 'the tie fallback was not exercised'
    for got, expected in zip(results['faiss'], results['numpy']):
        for a, b in zip(got, expected):
            np.testing.assert_array_equal(a, b)


def test_ids_are_returned_and_ties_follow_positions():
    index = HammingIndex(4, 'numpy')
    codes = np.array([[1, 1, 1, 1], [-1, 1, 1, 1], [1, 1, 1, 1]])
    index.add(pack_codes(codes), ids=np.array([30, 20, 10]))
    distances, ids = index.search(pack_codes(codes[:1]), 5)  # k clamped
    assert ids.tolist() == [[30, 10, 20]]
    assert distances.tolist() == [[0, 0, 1]]


def test_clear_errors():
    index = HammingIndex(32)
    with pytest.raises(ValueError, match='empty'):
        index.search(pack_codes(np.ones((1, 32))), 1)
    index.add(pack_codes(np.ones((3, 32))))
    with pytest.raises(ValueError, match='another bit length'):
        index.search(pack_codes(np.ones((1, 64))), 1)
    with pytest.raises(ValueError, match='uint8'):
        index.search(np.ones((1, 32)), 1)
    with pytest.raises(ValueError, match='positive'):
        index.search(pack_codes(np.ones((1, 32))), 0)
    with pytest.raises(ValueError, match='radius'):
        index.range_search(pack_codes(np.ones((1, 32))), -1)
    with pytest.raises(ValueError, match='one per code'):
        index.add(pack_codes(np.ones((2, 32))), ids=np.arange(3))
    with pytest.raises(ValueError, match='Unknown Hamming search backend'):
        resolve_backend('annoy')
    distances, ids = index.search(np.zeros((0, 4), np.uint8), 2)
    assert distances.shape == ids.shape == (0, 2)
