# Copyright (c) mhash contributors. All rights reserved.
"""Reading the reference data files (MATLAB v7.3 / v5, HDF5, NPZ).

The BSTH reference files (``mir_cnn_twt.mat``, ``nus_cnn_twt.mat``,
``coco_cnn_twt_2014.mat``) hold nine matrices, three per split::

    train      I_tr  T_tr  L_tr
    retrieval  I_db  T_db  L_db
    query      I_te  T_te  L_te

``I_*`` image features, ``T_*`` text features, ``L_*`` multi-hot labels.
MATLAB v7.3 files are HDF5 files written column-major, so h5py sees every
matrix transposed (``features × items``); MATLAB v5 files (scipy) and
``.npz`` / ``.h5`` files written from Python usually hold ``items ×
features``. ``layout='auto'`` decides per file from the row counts.
"""
import os.path as osp
import zipfile
from typing import Dict, Optional, Tuple

import numpy as np

__all__ = [
    'SPLIT_KEYS', 'DataFileError', 'read_split', 'read_shapes',
    'detect_file_format', 'OFFICIAL_FILES_HINT'
]

#: Keys of each split: (image, text, labels).
SPLIT_KEYS: Dict[str, Tuple[str, str, str]] = {
    'train': ('I_tr', 'T_tr', 'L_tr'),
    'retrieval': ('I_db', 'T_db', 'L_db'),
    'query': ('I_te', 'T_te', 'L_te'),
}

OFFICIAL_FILES_HINT = (
    'The official BSTH files (mir_cnn_twt.mat, nus_cnn_twt.mat, '
    'coco_cnn_twt_2014.mat: VGG image features, bag-of-words text, labels; '
    'keys I_tr T_tr L_tr I_db T_db L_db I_te T_te L_te) are distributed '
    'with the reference implementation FutureTwT/BSTH (see the download '
    'link in its README). Put them under data/ (the default data_root of '
    'the configs) or point the config at them, e.g. --cfg-options '
    'train_dataloader.dataset.data_root=/path/to/files (and the same for '
    'val_dataloader and test_dataloader).')

# Bytes of features converted per block; bounds the float64 temporary.
_BLOCK_BYTES = 64 * 1024 * 1024


class DataFileError(ValueError):
    """A data file is missing, malformed or inconsistent."""


def detect_file_format(path: str,
                       kind: str = 'Data file',
                       hint: str = OFFICIAL_FILES_HINT) -> str:
    """``'mat73'``, ``'mat5'``, ``'h5'`` or ``'npz'``, from the file itself.

    Args:
        path (str): The file.
        kind (str): What the file is, for the error messages.
        hint (str): Appended to the missing-file error.

    Returns:
        str: The format name.
    """
    import h5py
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'{kind} "{path}" does not exist. {hint}'.rstrip())
    ext = osp.splitext(path)[1].lower()
    if ext == '.npz':
        return 'npz'
    if h5py.is_hdf5(path):
        return 'mat73' if ext == '.mat' else 'h5'
    if ext == '.mat':
        return 'mat5'
    raise DataFileError(f'"{path}": unsupported {kind.lower()}; expected a '
                        'MATLAB .mat (v5 or v7.3), an HDF5 .h5/.hdf5 or a '
                        '.npz file')


def _npz_shape(zf: zipfile.ZipFile, key: str) -> Tuple[int, ...]:
    with zf.open(key + '.npy') as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, _, _ = np.lib.format.read_array_header_1_0(f)
        else:
            shape, _, _ = np.lib.format.read_array_header_2_0(f)
    return tuple(shape)


def read_shapes(path: str) -> Dict[str, Tuple[int, ...]]:
    """Stored shapes of every matrix in a data file, without loading it.

    Args:
        path (str): The data file.

    Returns:
        dict[str, tuple]: Key to shape as stored (MATLAB v7.3 transposed).
    """
    fmt = detect_file_format(path)
    if fmt in ('mat73', 'h5'):
        import h5py
        with h5py.File(path, 'r') as f:
            return {
                k: tuple(v.shape)
                for k, v in f.items() if isinstance(v, h5py.Dataset)
            }
    if fmt == 'mat5':
        import scipy.io
        return {name: tuple(shape) for name, shape, _ in
                scipy.io.whosmat(path)}
    with zipfile.ZipFile(path) as zf:
        keys = [n[:-4] for n in zf.namelist() if n.endswith('.npy')]
        return {k: _npz_shape(zf, k) for k in keys}


def _resolve_layout(path: str, fmt: str, keys: Tuple[str, ...],
                    shapes: Dict[str, Tuple[int, ...]], layout: str) -> str:
    """Return 'rows' (items × dims) or 'columns' (dims × items)."""
    for key in keys:
        if len(shapes[key]) != 2:
            raise DataFileError(f'"{path}": key "{key}" has shape '
                                f'{shapes[key]}; expected a 2-D matrix')
    if layout not in ('auto', 'rows', 'columns'):
        raise DataFileError(f'layout must be "auto", "rows" or "columns", '
                            f'got "{layout}"')
    first = {shapes[k][0] for k in keys}
    second = {shapes[k][1] for k in keys}
    if layout == 'auto':
        if fmt == 'mat73':
            layout = 'columns'
        elif len(first) == 1:
            layout = 'rows'
        elif len(second) == 1:
            layout = 'columns'
        else:
            layout = 'rows'
    counts = first if layout == 'rows' else second
    if len(counts) != 1:
        detail = ', '.join(f'{k} {shapes[k]}' for k in keys)
        raise DataFileError(
            f'"{path}": image, text and label matrices of one split must '
            f'have the same number of items, got {detail} (read as '
            f'{"items × dims" if layout == "rows" else "dims × items"})')
    return layout


def _check_finite(path: str, key: str, block: np.ndarray, start: int):
    if not np.isfinite(block).all():
        bad = np.argwhere(~np.isfinite(block))[0]
        raise DataFileError(
            f'"{path}": key "{key}" holds NaN or inf (first at item '
            f'{start + int(bad[0])}, column {int(bad[1])}); features must '
            'be finite')


def _read_features(path: str, key: str, source, layout: str) -> np.ndarray:
    """Read one matrix as float32 items × dims, converting block-wise."""
    shape = source.shape
    n, d = shape if layout == 'rows' else shape[::-1]
    out = np.empty((n, d), dtype=np.float32)
    itemsize = max(np.dtype(source.dtype).itemsize, 4)
    step = max(1, _BLOCK_BYTES // max(1, d * itemsize))
    for start in range(0, n, step):
        stop = min(n, start + step)
        if layout == 'rows':
            block = np.asarray(source[start:stop])
        else:
            block = np.asarray(source[:, start:stop]).T
        if block.dtype.kind == 'f':
            _check_finite(path, key, block, start)
        out[start:stop] = block
    return out


def _read_labels(path: str, key: str, source, layout: str) -> np.ndarray:
    array = np.asarray(source[()])
    if layout == 'columns':
        array = array.T
    if array.dtype.kind == 'f' and not np.isfinite(array).all():
        raise DataFileError(f'"{path}": labels "{key}" hold NaN or inf')
    values = np.unique(array)
    if not np.isin(values, (0, 1)).all():
        shown = ', '.join(f'{v:g}' for v in values[:8])
        raise DataFileError(
            f'"{path}": labels "{key}" must be binary multi-hot (0/1), '
            f'found values {{{shown}{", ..." if len(values) > 8 else ""}}}')
    return np.ascontiguousarray(array, dtype=np.uint8)


def read_split(path: str,
               split: str,
               layout: str = 'auto',
               check_other_splits: bool = True
               ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read one split of a reference-layout data file.

    Features become float32 block by block, so no float64 copy of a whole
    split is ever held; labels become uint8 after checking they are 0/1.

    Args:
        path (str): ``.mat`` (v5 or v7.3), ``.h5``/``.hdf5`` or ``.npz``.
        split (str): ``'train'``, ``'retrieval'`` or ``'query'``.
        layout (str): ``'auto'``, ``'rows'`` (items × dims) or ``'columns'``
            (dims × items, MATLAB v7.3 as h5py sees it). Defaults to
            ``'auto'``.
        check_other_splits (bool): Also check that the feature and label
            widths of this split agree with the other splits in the file.

    Returns:
        tuple: ``image`` (n, d_I) float32, ``text`` (n, d_T) float32,
        ``labels`` (n, c) uint8.

    Examples:
        >>> import tempfile, os.path as osp
        >>> from mhash.datasets import (SYNTHETIC_TINY, save_reference_file,
        ...                             make_synthetic_multimodal)
        >>> arrays = make_synthetic_multimodal(**SYNTHETIC_TINY)
        >>> path = osp.join(tempfile.mkdtemp(), 'tiny.mat')
        >>> save_reference_file(path, arrays)
        >>> image, text, labels = read_split(path, 'query')
        >>> image.dtype, labels.dtype, image.shape[0] == labels.shape[0]
        (dtype('float32'), dtype('uint8'), True)
    """
    if split not in SPLIT_KEYS:
        raise DataFileError(f'Unknown split "{split}"; expected one of '
                            f'{sorted(SPLIT_KEYS)}')
    fmt = detect_file_format(path)
    shapes = read_shapes(path)
    keys = SPLIT_KEYS[split]
    missing = [k for k in keys if k not in shapes]
    if missing:
        raise DataFileError(
            f'"{path}": split "{split}" needs the keys {list(keys)}, but '
            f'{missing} {"is" if len(missing) == 1 else "are"} missing '
            f'(found: {sorted(shapes)})')
    layout = _resolve_layout(path, fmt, keys, shapes, layout)
    if check_other_splits:
        _check_widths(path, fmt, shapes, layout)

    if fmt in ('mat73', 'h5'):
        import h5py
        with h5py.File(path, 'r') as f:
            image = _read_features(path, keys[0], f[keys[0]], layout)
            text = _read_features(path, keys[1], f[keys[1]], layout)
            labels = _read_labels(path, keys[2], f[keys[2]], layout)
    elif fmt == 'mat5':
        import scipy.io
        data = scipy.io.loadmat(path, variable_names=list(keys))
        image = _read_features(path, keys[0], data.pop(keys[0]), layout)
        text = _read_features(path, keys[1], data.pop(keys[1]), layout)
        labels = _read_labels(path, keys[2], data.pop(keys[2]), layout)
    else:
        with np.load(path, allow_pickle=False) as data:
            image = _read_features(path, keys[0], data[keys[0]], layout)
            text = _read_features(path, keys[1], data[keys[1]], layout)
            labels = _read_labels(path, keys[2], data[keys[2]], layout)
    return image, text, labels


def _check_widths(path: str, fmt: str, shapes: Dict[str, tuple],
                  layout: str) -> None:
    """Feature and label widths must agree across the splits present."""
    for position, what in enumerate(('image feature', 'text feature',
                                     'label')):
        widths: Dict[str, Optional[int]] = {}
        for split, keys in SPLIT_KEYS.items():
            key = keys[position]
            if key in shapes and len(shapes[key]) == 2:
                shape = shapes[key]
                widths[key] = shape[1] if layout == 'rows' else shape[0]
        if len(set(widths.values())) > 1:
            detail = ', '.join(f'{k}: {v}' for k, v in widths.items())
            raise DataFileError(f'"{path}": the {what} dimension differs '
                                f'between splits ({detail})')

