# Copyright (c) mhash contributors. All rights reserved.
"""Binary codes: packing into bytes / words and Hamming distances.

Generic primitives shared by the retrieval evaluation and Hamming search.
"""
from .hamming import (
    distance_dtype,
    hamming_distance,
    hamming_distance_words,
    popcount,
)
from .packing import (
    check_packed_codes,
    codes_to_bits,
    num_packed_bytes,
    pack_codes,
    packed_to_words,
    unpack_codes,
)

__all__ = [
    'num_packed_bytes', 'codes_to_bits', 'pack_codes', 'unpack_codes',
    'check_packed_codes', 'packed_to_words', 'popcount', 'distance_dtype',
    'hamming_distance_words', 'hamming_distance'
]
