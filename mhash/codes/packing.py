# Copyright (c) mhash contributors. All rights reserved.
"""Pack binary hash codes into bytes and 64-bit words, and back.

Bit order (the mhash packed-code format, used everywhere codes are stored
or compared):

- a code of ``k`` bits becomes ``ceil(k / 8)`` ``uint8`` bytes;
- bit ``j`` of the code (``j = 0 .. k-1``) is stored in byte ``j // 8`` at
  bit position ``7 - j % 8``, i.e. the most significant bit of a byte holds
  the lowest code index (numpy's ``packbits(..., bitorder='big')``);
- a code value +1 (or 1 for {0, 1} codes) is the bit 1; -1 (or 0) is 0;
- the unused low bits of the last byte (when ``k % 8 != 0``) are 0.

Hamming distances only need the same layout on both sides, so packed codes
can be compared byte-wise, or as ``uint64`` words after
:func:`packed_to_words` zero-pads each row to a multiple of 8 bytes.
"""
import numpy as np

__all__ = [
    'num_packed_bytes', 'codes_to_bits', 'pack_codes', 'unpack_codes',
    'check_packed_codes', 'packed_to_words'
]


def num_packed_bytes(num_bits: int) -> int:
    """Number of bytes of one packed code of ``num_bits`` bits.

    Examples:
        >>> num_packed_bytes(64), num_packed_bytes(12)
        (8, 2)
    """
    if not isinstance(num_bits, (int, np.integer)) or num_bits < 1:
        raise ValueError(f'num_bits must be a positive int, got {num_bits!r}')
    return (int(num_bits) + 7) // 8


def codes_to_bits(codes, name: str = 'codes') -> np.ndarray:
    """Turn ±1 or {0, 1} codes ``(N, k)`` into a boolean bit matrix.

    Accepted: ``bool`` arrays; integer or floating arrays whose values are
    all in {-1, +1} or all in {0, 1} (a value 1 is the bit 1; -1 or 0 is the
    bit 0). Anything array-like numpy can convert (e.g. a CPU torch tensor)
    is accepted.

    Args:
        codes (array-like): Codes of shape ``(N, k)``.
        name (str): How the array is called in error messages.

    Returns:
        np.ndarray: ``bool`` array ``(N, k)``, True where the bit is 1.

    Raises:
        ValueError: If ``codes`` is not 2-D, has no bits, has a non-numeric
            dtype, or mixes values outside one of the two alphabets.

    Examples:
        >>> codes_to_bits(np.array([[-1, 1, 1]])).tolist()
        [[False, True, True]]
    """
    codes = np.asarray(codes)
    if codes.ndim != 2:
        raise ValueError(f'{name} must be a 2-D array (N, num_bits); got '
                         f'shape {codes.shape}')
    if codes.shape[1] < 1:
        raise ValueError(f'{name} has 0 bits (shape {codes.shape})')
    if codes.dtype == np.bool_:
        return codes
    if not (np.issubdtype(codes.dtype, np.integer)
            or np.issubdtype(codes.dtype, np.floating)):
        raise ValueError(f'{name} must have a bool, integer or floating '
                         f'dtype; got {codes.dtype}')
    bits = codes == 1
    rest = codes[~bits]
    if rest.size:
        low, high = rest.min(), rest.max()
        if not (low == high and low in (-1, 0)):
            bad = rest[(rest != -1) & (rest != 0)]
            shown = bad[0] if bad.size else f'both -1 and 0 ({low}, {high})'
            raise ValueError(
                f'{name} must hold values all in {{-1, +1}} or all in '
                f'{{0, 1}}; found {shown}')
    return bits


def pack_codes(codes) -> np.ndarray:
    """Pack ±1 or {0, 1} codes ``(N, k)`` into bytes ``(N, ceil(k/8))``.

    See the module docstring for the bit order.

    Args:
        codes (array-like): Codes ``(N, k)`` accepted by
            :func:`codes_to_bits`.

    Returns:
        np.ndarray: C-contiguous ``uint8`` array ``(N, ceil(k / 8))``.

    Examples:
        >>> pack_codes(np.array([[1, -1, -1, -1, -1, -1, -1, 1, 1]]))
        array([[129, 128]], dtype=uint8)
    """
    bits = codes_to_bits(codes)
    return np.ascontiguousarray(np.packbits(bits, axis=1, bitorder='big'))


def check_packed_codes(packed, num_bits: int = None,
                       name: str = 'packed codes') -> np.ndarray:
    """Check a packed-code array and return it as ``uint8`` ``(N, B)``.

    Args:
        packed (array-like): Packed codes from :func:`pack_codes`.
        num_bits (int, optional): Expected code length; if given, the number
            of bytes must be ``ceil(num_bits / 8)`` and the padding bits of
            the last byte must be 0.
        name (str): How the array is called in error messages.

    Returns:
        np.ndarray: The same data as a ``uint8`` array.

    Raises:
        ValueError: Wrong dtype, shape or byte count, or non-zero padding.
    """
    packed = np.asarray(packed)
    if packed.dtype != np.uint8:
        raise ValueError(f'{name} must be uint8 (from pack_codes); got '
                         f'{packed.dtype}')
    if packed.ndim != 2 or packed.shape[1] < 1:
        raise ValueError(f'{name} must be 2-D (N, num_bytes) with at least '
                         f'one byte; got shape {packed.shape}')
    if num_bits is not None:
        expected = num_packed_bytes(num_bits)
        if packed.shape[1] != expected:
            raise ValueError(
                f'{name} has {packed.shape[1]} bytes per code; '
                f'{num_bits} bits need {expected}')
        spare = expected * 8 - int(num_bits)
        if spare and packed.shape[0] and np.any(
                packed[:, -1] & np.uint8((1 << spare) - 1)):
            raise ValueError(f'{name}: the {spare} padding bits of the last '
                             f'byte must be 0 for {num_bits}-bit codes')
    return packed


def unpack_codes(packed, num_bits: int, signed: bool = True) -> np.ndarray:
    """Unpack codes made by :func:`pack_codes`.

    Args:
        packed (array-like): ``uint8`` array ``(N, ceil(num_bits / 8))``.
        num_bits (int): Code length k.
        signed (bool): Return ±1 ``int8`` codes if True, else {0, 1}
            ``uint8`` bits. Defaults to True.

    Returns:
        np.ndarray: Codes ``(N, num_bits)``.

    Examples:
        >>> unpack_codes(np.array([[129, 128]], dtype=np.uint8), 9)
        array([[ 1, -1, -1, -1, -1, -1, -1,  1,  1]], dtype=int8)
    """
    packed = check_packed_codes(packed, num_bits)
    bits = np.unpackbits(packed, axis=1, count=int(num_bits), bitorder='big')
    if not signed:
        return bits
    return (bits.astype(np.int8) << 1) - np.int8(1)


def packed_to_words(packed, name: str = 'packed codes') -> np.ndarray:
    """View packed codes as ``uint64`` words, zero-padding each row.

    Rows of ``B`` bytes become ``ceil(B / 8)`` words; the extra bytes are 0,
    so they never contribute to a Hamming distance. The byte order inside a
    word is the machine's, which is irrelevant for XOR and popcount.

    Args:
        packed (array-like): ``uint8`` array ``(N, B)``.
        name (str): How the array is called in error messages.

    Returns:
        np.ndarray: C-contiguous ``uint64`` array ``(N, ceil(B / 8))``.

    Examples:
        >>> packed_to_words(np.zeros((3, 9), dtype=np.uint8)).shape
        (3, 2)
    """
    packed = check_packed_codes(packed, name=name)
    num, num_bytes = packed.shape
    num_words = (num_bytes + 7) // 8
    if num_bytes == num_words * 8 and packed.flags.c_contiguous:
        return packed.view(np.uint64)
    padded = np.zeros((num, num_words * 8), dtype=np.uint8)
    padded[:, :num_bytes] = packed
    return padded.view(np.uint64)
