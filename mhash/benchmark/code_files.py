# Copyright (c) mhash contributors. All rights reserved.
"""Reading hash codes and labels produced by other toolboxes.

Accepted inputs:

- one ``.mat`` file, MATLAB v5 (``scipy.io``) or v7.3 (HDF5, read with
  ``h5py``; MATLAB writes column-major, so every array is transposed back),
  e.g. the reference BSTH output with ``retrieval_B``, ``val_B``, ``L_db``,
  ``L_te``;
- one ``.npz`` (e.g. mhash's own ``test_codes.npz``) or ``.h5`` file;
- four ``.npy`` files: query codes, retrieval codes, query labels,
  retrieval labels.

The arrays are found under the first present key of :data:`KEY_ALIASES`
(or the keys given). Codes may be ±1 or {0, 1}; real-valued codes need
``binarize=True`` (sign, 0 -> +1, like :func:`mhash.methods.base.
codes_to_binary`). Labels may be multi-hot ``(N, c)`` or class indices
``(N,)``, turned into one-hot.
"""
import os.path as osp
from typing import Dict, Optional, Sequence

import numpy as np

__all__ = ['KEY_ALIASES', 'load_code_set']

#: Role -> keys tried in order (mhash, BSTH reference, common names).
KEY_ALIASES = {
    'query_codes': ('query_codes', 'val_B', 'query_B', 'qB', 'B_te',
                    'test_B'),
    'retrieval_codes': ('retrieval_codes', 'retrieval_B', 'database_B',
                        'rB', 'B_db', 'db_B'),
    'query_labels': ('query_labels', 'L_te', 'query_L', 'test_L'),
    'retrieval_labels': ('retrieval_labels', 'L_db', 'retrieval_L',
                         'database_L', 'db_L'),
}
ROLES = tuple(KEY_ALIASES)


def _read_mapping(path: str) -> Dict[str, np.ndarray]:
    """Every array of a .mat / .npz / .h5 file (transposed if MATLAB)."""
    extension = osp.splitext(path)[1].lower()
    if extension == '.npz':
        with np.load(path, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    import h5py
    if h5py.is_hdf5(path):
        # MATLAB v7.3 stores column-major: h5py sees (k, N) for (N, k).
        transpose = extension == '.mat'
        with h5py.File(path, 'r') as f:
            return {
                key: (np.asarray(value).T if transpose else
                      np.asarray(value))
                for key, value in f.items()
                if isinstance(value, h5py.Dataset)
            }
    if extension == '.mat':
        import scipy.io
        try:
            data = scipy.io.loadmat(path)
        except (ValueError, NotImplementedError) as error:
            raise ValueError(f'{path}: not a readable MATLAB file ({error})'
                             ) from None
        return {k: v for k, v in data.items() if not k.startswith('__')}
    raise ValueError(f'{path}: unsupported file type "{extension}"; expected'
                     ' .mat (v5 or v7.3), .npz, .h5, or four .npy files')


def _pick(mapping: Dict[str, np.ndarray], role: str, key: Optional[str],
          path: str) -> np.ndarray:
    candidates = (key, ) if key else KEY_ALIASES[role]
    for name in candidates:
        if name in mapping:
            return np.asarray(mapping[name])
    raise KeyError(f'{path}: no array for the {role} under '
                   f'{list(candidates)}; the file holds {sorted(mapping)}. '
                   f'Name it with --key {role}=NAME')


def _as_codes(codes: np.ndarray, name: str, binarize: bool) -> np.ndarray:
    codes = np.asarray(codes)
    if codes.ndim != 2:
        raise ValueError(f'{name} must be 2-D (items, bits); got shape '
                         f'{codes.shape}')
    values = np.unique(codes)
    if np.all(np.isin(values, (-1, 1))) or np.all(np.isin(values, (0, 1))):
        return codes.astype(np.int8)
    if not binarize:
        raise ValueError(
            f'{name} holds values other than ±1 / {{0, 1}} (e.g. '
            f'{values[:5].tolist()}); pass --binarize to take their sign')
    return np.where(codes >= 0, 1, -1).astype(np.int8)


def _class_indices(labels: np.ndarray) -> bool:
    """1-D labels, or one column holding values other than 0 / 1."""
    return labels.ndim == 1 or (labels.ndim == 2 and labels.shape[1] == 1
                                and labels.size and labels.max() > 1)


def _as_labels(labels: np.ndarray, name: str,
               num_classes: int) -> np.ndarray:
    """Multi-hot labels as they are; class indices as one-hot."""
    if not _class_indices(labels):
        if labels.ndim != 2:
            raise ValueError(f'{name} must be multi-hot (items, classes) or'
                             f' class indices (items,); got shape '
                             f'{labels.shape}')
        return labels
    indices = labels.reshape(-1)
    if not np.all(indices == np.round(indices)) or indices.min() < 0:
        raise ValueError(f'{name}: 1-D labels must be class indices >= 0')
    return np.eye(num_classes, dtype=np.uint8)[indices.astype(np.int64)]


def load_code_set(paths: Sequence[str],
                  keys: Optional[Dict[str, str]] = None,
                  binarize: bool = False) -> Dict[str, np.ndarray]:
    """Read query / retrieval codes and labels from other toolboxes.

    Args:
        paths (Sequence[str]): One ``.mat`` / ``.npz`` / ``.h5`` file, or
            four ``.npy`` files (query codes, retrieval codes, query labels,
            retrieval labels).
        keys (dict, optional): ``{role: key}`` overriding
            :data:`KEY_ALIASES` for roles ``query_codes``,
            ``retrieval_codes``, ``query_labels``, ``retrieval_labels``.
        binarize (bool): Take the sign of real-valued codes.

    Returns:
        dict: The four arrays (codes ``int8``, labels ``(N, c)``).

    Raises:
        ValueError, KeyError: Naming the file, the key and what was
            expected.
    """
    keys = dict(keys or {})
    unknown = set(keys) - set(ROLES)
    if unknown:
        raise KeyError(f'unknown roles {sorted(unknown)}; choose from '
                       f'{list(ROLES)}')
    paths = list(paths)
    for path in paths:
        if not osp.isfile(path):
            raise FileNotFoundError(f'code file "{path}" does not exist')
    if len(paths) == 4 and all(p.lower().endswith('.npy') for p in paths):
        arrays = {role: np.load(path, allow_pickle=False)
                  for role, path in zip(ROLES, paths)}
        source = ', '.join(paths)
    elif len(paths) == 1:
        mapping = _read_mapping(paths[0])
        arrays = {role: _pick(mapping, role, keys.get(role), paths[0])
                  for role in ROLES}
        source = paths[0]
    else:
        raise ValueError('give one .mat / .npz / .h5 file, or four .npy '
                         'files (query codes, retrieval codes, query labels,'
                         f' retrieval labels); got {paths}')
    out = {}
    for role in ('query_codes', 'retrieval_codes'):
        out[role] = _as_codes(arrays[role], f'{source}: {role}', binarize)
    label_arrays = [np.asarray(arrays[r])
                    for r in ('query_labels', 'retrieval_labels')]
    num_classes = max(int(labels.max()) + 1 for labels in label_arrays
                      if _class_indices(labels)) if any(
                          _class_indices(x) for x in label_arrays) else 0
    for role, labels in zip(('query_labels', 'retrieval_labels'),
                            label_arrays):
        out[role] = _as_labels(labels, f'{source}: {role}', num_classes)
    for split in ('query', 'retrieval'):
        codes, labels = out[f'{split}_codes'], out[f'{split}_labels']
        if codes.shape[0] != labels.shape[0]:
            raise ValueError(
                f'{source}: {codes.shape[0]} {split} codes but '
                f'{labels.shape[0]} {split} label rows (shapes '
                f'{codes.shape} and {labels.shape}); an HDF5 file written '
                'without MATLAB may need its arrays transposed')
    return out
