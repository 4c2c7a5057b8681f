# Copyright (c) mhash contributors. All rights reserved.
import numpy as np
import pytest

from mhash.codes import distance_dtype, hamming_distance, pack_codes, popcount


def _reference(query, db):
    """Hamming distance of ±1 codes by dot product."""
    k = query.shape[1]
    return ((k - query.astype(np.int64) @ db.T.astype(np.int64)) // 2)


@pytest.mark.parametrize('num_bits', [3, 8, 16, 32, 64, 100, 128, 300])
def test_matches_dot_product(num_bits):
    rng = np.random.default_rng(num_bits)
    query = rng.choice([-1, 1], (13, num_bits))
    db = rng.choice([-1, 1], (301, num_bits))
    dist = hamming_distance(pack_codes(query), pack_codes(db), num_bits,
                            chunk_size=64)
    assert dist.dtype == distance_dtype(num_bits)
    np.testing.assert_array_equal(dist, _reference(query, db))


def test_chunking_does_not_change_result():
    rng = np.random.default_rng(0)
    query = pack_codes(rng.choice([-1, 1], (5, 64)))
    db = pack_codes(rng.choice([-1, 1], (1000, 64)))
    whole = hamming_distance(query, db)
    for chunk in (1, 7, 999, 5000):
        np.testing.assert_array_equal(
            hamming_distance(query, db, chunk_size=chunk), whole)


def test_popcount_fallback_without_bitwise_count(monkeypatch):
    rng = np.random.default_rng(1)
    words = rng.integers(0, 2**63, (50, 3), dtype=np.uint64)
    expected = np.bitwise_count(words)
    monkeypatch.delattr(np, 'bitwise_count')
    np.testing.assert_array_equal(popcount(words), expected)
    query = rng.choice([-1, 1], (4, 70))
    db = rng.choice([-1, 1], (30, 70))
    np.testing.assert_array_equal(
        hamming_distance(pack_codes(query), pack_codes(db)),
        _reference(query, db))


def test_length_mismatch_and_bad_input_raise():
    query = pack_codes(np.ones((2, 16)))
    db = pack_codes(np.ones((3, 32)))
    with pytest.raises(ValueError, match='different lengths'):
        hamming_distance(query, db)
    with pytest.raises(ValueError, match='uint8'):
        hamming_distance(np.ones((2, 16)), query)
    with pytest.raises(ValueError, match='bytes per code'):
        hamming_distance(query, query, num_bits=32)
