# Copyright (c) mhash contributors. All rights reserved.
"""Files of packed database codes (written by ``tools/encode.py``).

An ``.npz`` archive with:

- ``codes``: ``uint8`` ``(N, ceil(num_bits / 8))`` packed codes
  (:func:`mhash.codes.pack_codes` bit order);
- ``ids``: ``int64`` ``(N,)`` item ids (row indices in the source split);
- ``num_bits``: the code length;
- ``source``, ``keys``, ``config``, ``checkpoint``: where they came from.
"""
import os
import os.path as osp
import tempfile
from typing import Dict, Optional

import numpy as np

from mhash.codes import check_packed_codes

__all__ = ['save_code_file', 'load_code_file']


def save_code_file(path: str, codes: np.ndarray, ids: np.ndarray,
                   num_bits: int, meta: Optional[Dict[str, str]] = None
                   ) -> None:
    """Write packed codes and ids atomically (temporary file, then rename).

    Examples:
        >>> import tempfile, os.path as osp
        >>> path = osp.join(tempfile.mkdtemp(), 'db.npz')
        >>> save_code_file(path, np.zeros((2, 1), np.uint8), np.arange(2), 8)
        >>> load_code_file(path)['num_bits']
        8
    """
    codes = check_packed_codes(codes, num_bits, 'codes')
    ids = np.asarray(ids, dtype=np.int64)
    if ids.shape != (codes.shape[0], ):
        raise ValueError(f'ids have shape {ids.shape}; expected '
                         f'({codes.shape[0]},), one per code')
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix='.npz.part')
    os.close(fd)
    try:
        with open(tmp, 'wb') as f:
            np.savez(f, codes=codes, ids=ids, num_bits=np.int64(num_bits),
                     **{k: np.str_(v) for k, v in (meta or {}).items()})
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)


def load_code_file(path: str) -> dict:
    """Read and check a code file.

    Returns:
        dict: ``codes``, ``ids``, ``num_bits`` (int) and the text fields.

    Raises:
        ValueError: A key is missing or the arrays disagree, naming the
            file.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'Code file "{path}" does not exist')
    try:
        data = dict(np.load(path, allow_pickle=False))
    except (OSError, ValueError) as error:
        raise ValueError(f'"{path}" is not a code file (.npz from '
                         f'tools/encode.py): {error}') from error
    missing = {'codes', 'ids', 'num_bits'} - set(data)
    if missing:
        raise ValueError(f'"{path}" lacks {sorted(missing)}; expected a code '
                         'file from tools/encode.py (codes, ids, num_bits)')
    num_bits = int(data['num_bits'])
    try:
        data['codes'] = check_packed_codes(data['codes'], num_bits,
                                           f'"{path}" codes')
    except ValueError as error:
        raise ValueError(f'{error} (num_bits={num_bits} in the file)')
    if data['ids'].shape != (data['codes'].shape[0], ):
        raise ValueError(f'"{path}": {data["ids"].shape} ids for '
                         f'{data["codes"].shape[0]} codes')
    data['num_bits'] = num_bits
    for key, value in data.items():
        if isinstance(value, np.ndarray) and value.dtype.kind == 'U':
            data[key] = str(value)
    return data
