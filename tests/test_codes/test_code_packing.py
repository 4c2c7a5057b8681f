# Copyright (c) mhash contributors. All rights reserved.
import numpy as np
import pytest
import torch

from mhash.codes import (
    check_packed_codes,
    codes_to_bits,
    num_packed_bytes,
    pack_codes,
    packed_to_words,
    unpack_codes,
)


@pytest.mark.parametrize('num_bits', [1, 5, 8, 12, 16, 32, 64, 70, 128])
def test_pack_unpack_round_trip(num_bits):
    rng = np.random.default_rng(num_bits)
    codes = rng.choice(np.array([-1, 1], dtype=np.int8), (37, num_bits))
    packed = pack_codes(codes)
    assert packed.dtype == np.uint8
    assert packed.shape == (37, num_packed_bytes(num_bits))
    np.testing.assert_array_equal(unpack_codes(packed, num_bits), codes)
    np.testing.assert_array_equal(
        unpack_codes(packed, num_bits, signed=False), codes > 0)
    # {0, 1} codes and bool codes pack to the same bytes.
    np.testing.assert_array_equal(pack_codes((codes > 0).astype(int)), packed)
    np.testing.assert_array_equal(pack_codes(codes > 0), packed)


def test_documented_bit_order():
    # bit j -> byte j // 8, bit position 7 - j % 8 (most significant first)
    for j in range(20):
        codes = -np.ones((1, 20), dtype=np.int8)
        codes[0, j] = 1
        packed = pack_codes(codes)
        expected = np.zeros(3, dtype=np.uint8)
        expected[j // 8] = 1 << (7 - j % 8)
        np.testing.assert_array_equal(packed[0], expected)


def test_padding_bits_are_zero_and_checked():
    packed = pack_codes(np.ones((4, 12), dtype=np.int8))
    assert np.all(packed[:, 1] == 0b11110000)
    bad = packed.copy()
    bad[0, 1] |= 1
    with pytest.raises(ValueError, match='padding bits'):
        check_packed_codes(bad, 12)
    with pytest.raises(ValueError, match='bytes per code'):
        check_packed_codes(packed, 24)


def test_accepts_torch_and_float_codes():
    codes = torch.tensor([[1, -1, 1], [-1, -1, 1]], dtype=torch.int8)
    np.testing.assert_array_equal(
        pack_codes(codes), pack_codes(codes.numpy().astype(np.float32)))


@pytest.mark.parametrize('codes, message', [
    (np.array([1, -1, 1]), '2-D'),
    (np.zeros((3, 0)), '0 bits'),
    (np.array([[1, 0, -1]]), 'both -1 and 0'),
    (np.array([[1, 2, 1]]), 'found 2'),
    (np.array([[1.0, np.nan]]), 'found nan'),
    (np.array([['a', 'b']]), 'dtype'),
])
def test_invalid_codes_raise(codes, message):
    with pytest.raises(ValueError, match=message):
        codes_to_bits(codes)


def test_packed_checks():
    with pytest.raises(ValueError, match='uint8'):
        check_packed_codes(np.zeros((2, 8), dtype=np.int64))
    with pytest.raises(ValueError, match='2-D'):
        check_packed_codes(np.zeros(8, dtype=np.uint8))
    with pytest.raises(ValueError, match='positive int'):
        num_packed_bytes(0)


def test_packed_to_words_pads_with_zeros():
    packed = pack_codes(np.ones((3, 70), dtype=np.int8))
    words = packed_to_words(packed)
    assert words.dtype == np.uint64 and words.shape == (3, 2)
    assert words.flags.c_contiguous
    # 70 set bits in total, none from the zero padding.
    assert int(np.bitwise_count(words).sum()) == 3 * 70
    # A multiple of 8 bytes is a zero-copy view.
    packed64 = pack_codes(np.ones((3, 64), dtype=np.int8))
    assert np.shares_memory(packed_to_words(packed64), packed64)
