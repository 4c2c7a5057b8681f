# Copyright (c) mhash contributors. All rights reserved.
"""Label relevance: a database item is relevant to a query iff they share
at least one label.

Multi-hot labels ``(N, c)`` are packed into ``ceil(c / 64)`` ``uint64``
words per item, so relevance is ``any((query_word & item_word) != 0)``
over the words: one AND per word instead of a ``c``-long dot product.
"""
from typing import Optional

import numpy as np

from mhash.codes import packed_to_words

__all__ = ['check_labels', 'pack_labels', 'shared_label_relevance_words']


def check_labels(labels, name: str = 'labels') -> np.ndarray:
    """Check multi-hot labels and return them as ``uint8`` ``(N, c)``.

    Args:
        labels (array-like): ``(N, c)`` array (bool, integer or floating)
            whose values are all 0 or 1.
        name (str): How the array is called in error messages.

    Returns:
        np.ndarray: ``uint8`` ``(N, c)`` in {0, 1}.

    Raises:
        ValueError: If ``labels`` is not 2-D, has no class, is not numeric
            or holds a value other than 0 and 1.

    Examples:
        >>> check_labels(np.array([[0., 1.], [1., 1.]])).dtype
        dtype('uint8')
    """
    labels = np.asarray(labels)
    if labels.ndim != 2 or labels.shape[1] < 1:
        raise ValueError(f'{name} must be a 2-D multi-hot array (N, '
                         f'num_classes); got shape {labels.shape}')
    if labels.dtype == np.bool_:
        return labels.view(np.uint8)
    if not (np.issubdtype(labels.dtype, np.integer)
            or np.issubdtype(labels.dtype, np.floating)):
        raise ValueError(f'{name} must be numeric multi-hot; got dtype '
                         f'{labels.dtype}')
    if labels.dtype == np.uint8:
        bad = labels > 1
    else:
        bad = (labels != 0) & (labels != 1)
    if np.any(bad):
        raise ValueError(f'{name} must be binary (0 or 1); found the value '
                         f'{labels[bad][0]!r}')
    return labels.astype(np.uint8, copy=False)


def pack_labels(labels, name: str = 'labels') -> np.ndarray:
    """Pack multi-hot labels ``(N, c)`` into ``uint64`` words.

    Args:
        labels (array-like): Binary multi-hot labels, see
            :func:`check_labels`.
        name (str): How the array is called in error messages.

    Returns:
        np.ndarray: ``uint64`` ``(N, ceil(c / 64))``; two items share a
        label iff the AND of some word pair is non-zero.

    Examples:
        >>> words = pack_labels(np.array([[1, 0, 1], [0, 1, 0]]))
        >>> words.shape, bool(words[0, 0] & words[1, 0])
        ((2, 1), False)
    """
    labels = check_labels(labels, name)
    return packed_to_words(np.packbits(labels, axis=1), name=name)


def shared_label_relevance_words(query_words: np.ndarray,
                                 db_words_by_word: np.ndarray,
                                 out: Optional[np.ndarray] = None,
                                 chunk_size: Optional[int] = None
                                 ) -> np.ndarray:
    """Relevance matrix (shares >= 1 label) from packed label words.

    Args:
        query_words (np.ndarray): ``uint64`` ``(Q, W)`` from
            :func:`pack_labels`.
        db_words_by_word (np.ndarray): ``uint64`` ``(W, N)``: the database
            words, word-major (``pack_labels(db).T`` made contiguous).
        out (np.ndarray, optional): ``bool`` ``(Q, N)`` output.
        chunk_size (int, optional): Database items per step; the AND buffer
            holds ``Q * chunk_size`` words. Defaults to about 2 MiB worth.

    Returns:
        np.ndarray: ``bool`` ``(Q, N)``, True where the pair shares a label.

    Examples:
        >>> q = pack_labels(np.array([[1, 0, 0]]))
        >>> db = pack_labels(np.array([[1, 1, 0], [0, 0, 1]]))
        >>> shared_label_relevance_words(q, db.T.copy()).tolist()
        [[True, False]]
    """
    num_query, num_words = query_words.shape
    if db_words_by_word.ndim != 2 or db_words_by_word.shape[0] != num_words:
        raise ValueError(
            f'database label words have shape {db_words_by_word.shape}; '
            f'expected ({num_words}, N) to match the query label words '
            f'{query_words.shape}: the label widths differ')
    num_db = db_words_by_word.shape[1]
    if out is None:
        out = np.empty((num_query, num_db), dtype=bool)
    if chunk_size is None:
        chunk_size = max(1024, (1 << 18) // max(num_query, 1))
    width = min(chunk_size, num_db)
    and_buffer = np.empty((num_query, width), dtype=np.uint64)
    any_buffer = np.empty((num_query, width), dtype=bool) \
        if num_words > 1 else None
    for start in range(0, num_db, chunk_size):
        stop = min(start + chunk_size, num_db)
        shared = and_buffer[:, :stop - start]
        target = out[:, start:stop]
        for word in range(num_words):
            np.bitwise_and(query_words[:, word, None],
                           db_words_by_word[word, None, start:stop],
                           out=shared)
            if word == 0:
                np.not_equal(shared, 0, out=target)
            else:
                nonzero = any_buffer[:, :stop - start]
                np.not_equal(shared, 0, out=nonzero)
                target |= nonzero
    return out
