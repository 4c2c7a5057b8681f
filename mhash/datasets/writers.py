# Copyright (c) mhash contributors. All rights reserved.
"""Writing arrays in the reference file layout."""
import os
import os.path as osp
import tempfile
import time
from typing import Dict

import numpy as np

from .file_io import SPLIT_KEYS

__all__ = ['save_reference_file']

_MAT73_HEADER = ('MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: {} '
                 'HDF5 schema 1.00 .')


def save_reference_file(path: str, arrays: Dict[str, np.ndarray]) -> None:
    """Save split arrays under the reference keys, atomically.

    The format follows the extension: ``.mat`` is written as a MATLAB v7.3
    (HDF5) file with every matrix stored transposed, as MATLAB does, so it
    is read by exactly the code path of the official files; ``.h5`` holds
    items × dims; ``.npz`` is a NumPy archive of items × dims. The file is
    written to a temporary name and moved into place, so a reader never
    sees half a file and an existing file is never left corrupted.

    Args:
        path (str): Destination file.
        arrays (dict[str, np.ndarray]): Matrices keyed ``I_tr``, ``T_tr``,
            ``L_tr``, ... (items × dims).
    """
    known = {k for keys in SPLIT_KEYS.values() for k in keys}
    unknown = sorted(set(arrays) - known)
    if unknown:
        raise KeyError(f'Unknown keys {unknown}; expected some of '
                       f'{sorted(known)}')
    ext = osp.splitext(path)[1].lower()
    if ext not in ('.mat', '.h5', '.hdf5', '.npz'):
        raise ValueError(f'"{path}": unsupported extension "{ext}"; use '
                         '.mat, .h5, .hdf5 or .npz')
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=ext + '.part')
    os.close(fd)
    try:
        if ext == '.npz':
            with open(tmp, 'wb') as f:
                np.savez(f, **arrays)
        else:
            _save_hdf5(tmp, arrays, transpose=ext == '.mat')
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)


def _save_hdf5(path: str, arrays: Dict[str, np.ndarray],
               transpose: bool) -> None:
    import h5py
    userblock = 512 if transpose else 0
    with h5py.File(path, 'w', userblock_size=userblock) as f:
        for key, value in arrays.items():
            value = np.asarray(value)
            f.create_dataset(key, data=value.T if transpose else value)
    if transpose:
        header = _MAT73_HEADER.format(time.strftime('%a %b %d %H:%M:%S %Y'))
        block = header.encode('ascii').ljust(116, b' ')
        # Subsystem offset (8 bytes), version 0x0200 and endian flag 'IM'.
        block += b'\x00' * 8 + b'\x00\x02' + b'IM'
        with open(path, 'r+b') as f:
            f.write(block)
