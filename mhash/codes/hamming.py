# Copyright (c) mhash contributors. All rights reserved.
"""Hamming distances between packed binary codes.

The Hamming distance of two k-bit codes is the number of bit positions in
which they differ: ``popcount(a XOR b)``. With codes in {-1, +1} it equals
``(k - a . b) / 2``. Codes are packed by :func:`mhash.codes.pack_codes`
and compared as ``uint64`` words (:func:`mhash.codes.packed_to_words`);
the database is processed in chunks so the temporary memory stays bounded
whatever its size.
"""
from typing import Optional

import numpy as np

from .packing import check_packed_codes, packed_to_words

__all__ = [
    'popcount', 'distance_dtype', 'hamming_distance_words', 'hamming_distance'
]

# Bits set in each byte value, for numpy versions without bitwise_count.
_BYTE_POPCOUNT = np.unpackbits(
    np.arange(256, dtype=np.uint8)[:, None], axis=1).sum(1).astype(np.uint8)


def popcount(words: np.ndarray, out: Optional[np.ndarray] = None):
    """Number of set bits of each ``uint64`` element.

    Uses ``np.bitwise_count`` (numpy >= 2.0), else a byte lookup table.

    Args:
        words (np.ndarray): ``uint64`` array.
        out (np.ndarray, optional): Integer array of the same shape to write
            into.

    Returns:
        np.ndarray: The counts (``uint8`` unless ``out`` is given).

    Examples:
        >>> popcount(np.array([0, 1, 2**64 - 1], dtype=np.uint64)).tolist()
        [0, 1, 64]
    """
    if hasattr(np, 'bitwise_count'):
        return np.bitwise_count(words, out=out)
    as_bytes = np.ascontiguousarray(words).view(np.uint8)
    counts = _BYTE_POPCOUNT[as_bytes.reshape(words.shape + (8, ))].sum(
        -1, dtype=np.uint8)
    if out is None:
        return counts
    out[...] = counts
    return out


def distance_dtype(num_bits: int) -> np.dtype:
    """Smallest unsigned dtype that holds distances ``0 .. num_bits``.

    Examples:
        >>> distance_dtype(64), distance_dtype(512)
        (dtype('uint8'), dtype('uint16'))
    """
    if num_bits <= np.iinfo(np.uint8).max:
        return np.dtype(np.uint8)
    if num_bits <= np.iinfo(np.uint16).max:
        return np.dtype(np.uint16)
    return np.dtype(np.uint32)


def hamming_distance_words(query_words: np.ndarray,
                           db_words_by_word: np.ndarray,
                           out: Optional[np.ndarray] = None,
                           chunk_size: Optional[int] = None) -> np.ndarray:
    """Hamming distances from ``uint64`` word codes (the fast inner kernel).

    Args:
        query_words (np.ndarray): ``uint64`` ``(Q, W)`` query words.
        db_words_by_word (np.ndarray): ``uint64`` ``(W, N)`` database words,
            word-major (``packed_to_words(db).T`` made contiguous), so each
            word of all items is one contiguous row.
        out (np.ndarray, optional): ``(Q, N)`` unsigned integer output.
            Defaults to a new array of :func:`distance_dtype` ``(64 W)``.
        chunk_size (int, optional): Database items per step; the XOR buffer
            holds ``Q * chunk_size`` words. Defaults to about 2 MiB worth.

    Returns:
        np.ndarray: ``(Q, N)`` distances.
    """
    num_query, num_words = query_words.shape
    if db_words_by_word.ndim != 2 or db_words_by_word.shape[0] != num_words:
        raise ValueError(
            f'database words have shape {db_words_by_word.shape}; expected '
            f'({num_words}, N) to match the query words {query_words.shape}')
    num_db = db_words_by_word.shape[1]
    if out is None:
        out = np.empty((num_query, num_db), distance_dtype(64 * num_words))
    elif out.shape != (num_query, num_db):
        raise ValueError(f'out has shape {out.shape}; expected '
                         f'{(num_query, num_db)}')
    if chunk_size is None:
        chunk_size = max(1024, (1 << 18) // max(num_query, 1))
    width = min(chunk_size, num_db)
    xor_buffer = np.empty((num_query, width), dtype=np.uint64)
    count_buffer = np.empty((num_query, width), dtype=out.dtype) \
        if num_words > 1 else None
    for start in range(0, num_db, chunk_size):
        stop = min(start + chunk_size, num_db)
        xor = xor_buffer[:, :stop - start]
        target = out[:, start:stop]
        for word in range(num_words):
            np.bitwise_xor(query_words[:, word, None],
                           db_words_by_word[word, None, start:stop],
                           out=xor)
            if word == 0:
                popcount(xor, out=target)
            else:
                counts = count_buffer[:, :stop - start]
                popcount(xor, out=counts)
                target += counts
    return out


def hamming_distance(query_packed,
                     db_packed,
                     num_bits: Optional[int] = None,
                     chunk_size: Optional[int] = None) -> np.ndarray:
    """Hamming distance matrix between two sets of packed codes.

    Args:
        query_packed (array-like): ``uint8`` ``(Q, B)`` packed codes.
        db_packed (array-like): ``uint8`` ``(N, B)`` packed codes.
        num_bits (int, optional): Code length; if given, both arrays are
            checked to have ``ceil(num_bits / 8)`` bytes and zero padding.
        chunk_size (int, optional): Database items per step (bounds the
            temporary memory to about ``8 * Q * chunk_size`` bytes).

    Returns:
        np.ndarray: ``(Q, N)`` distances, ``uint8`` for codes up to 255
        bits (``uint16`` / ``uint32`` beyond).

    Raises:
        ValueError: Wrong dtype or shape, or codes of different lengths.

    Examples:
        >>> from mhash.codes import pack_codes
        >>> query = pack_codes(np.array([[1, 1, -1, -1]]))
        >>> db = pack_codes(np.array([[1, 1, -1, -1], [-1, -1, 1, 1]]))
        >>> hamming_distance(query, db).tolist()
        [[0, 4]]
    """
    query_packed = check_packed_codes(query_packed, num_bits, 'query codes')
    db_packed = check_packed_codes(db_packed, num_bits, 'database codes')
    if query_packed.shape[1] != db_packed.shape[1]:
        raise ValueError(
            f'query codes have {query_packed.shape[1]} bytes per code but '
            f'database codes have {db_packed.shape[1]}: codes of different '
            'lengths cannot be compared')
    query_words = packed_to_words(query_packed)
    db_words = np.ascontiguousarray(packed_to_words(db_packed).T)
    bits = query_packed.shape[1] * 8 if num_bits is None else num_bits
    out = np.empty((query_words.shape[0], db_words.shape[1]),
                   distance_dtype(bits))
    return hamming_distance_words(query_words, db_words, out, chunk_size)
