# Copyright (c) mhash contributors. All rights reserved.
"""Read (image, text) feature pairs from a data file in row chunks.

:func:`mhash.datasets.read_split` loads a whole split; encoding a
NUS-WIDE-sized database (193,749 × 4,096 float32 image features, 3.2 GB)
that way would hold all of it at once. :class:`PairedFeatureReader` reads
the same files (the reference keys of a split, or any two keys) a block of
rows at a time, as float32:

- MATLAB v7.3 / HDF5 (``.mat`` / ``.h5``): h5py slices, so only a block is
  ever in memory (v7.3 matrices are stored transposed; ``layout`` handles
  it as in ``read_split``);
- ``.npz``: the ``.npy`` member is streamed from the archive row block by
  row block (C-order ``items × dims`` arrays; other layouts are loaded
  whole);
- MATLAB v5 ``.mat``: scipy can only load a whole matrix, so it is.
"""
import zipfile
from typing import Iterator, Optional, Tuple

import numpy as np

from mhash.datasets import SPLIT_KEYS, DataFileError, read_shapes
from mhash.datasets.file_io import detect_file_format

__all__ = ['PairedFeatureReader']

# Bytes of one block of both modalities (as float32 or wider).
_BLOCK_BYTES = 64 * 1024 * 1024


class _NpzRows:
    """Row blocks of one C-order ``.npy`` member of an ``.npz`` archive."""

    def __init__(self, path: str, key: str):
        self.zip = zipfile.ZipFile(path)
        self.stream = self.zip.open(key + '.npy')
        version = np.lib.format.read_magic(self.stream)
        read_header = np.lib.format.read_array_header_1_0 \
            if version == (1, 0) else np.lib.format.read_array_header_2_0
        self.shape, fortran, self.dtype = read_header(self.stream)
        if fortran or len(self.shape) != 2:
            raise ValueError('not a C-order matrix')
        self.row_bytes = self.shape[1] * self.dtype.itemsize
        self.next_row = 0

    def rows(self, start: int, stop: int) -> np.ndarray:
        assert start == self.next_row, 'npz members are read in order'
        data = self.stream.read((stop - start) * self.row_bytes)
        self.next_row = stop
        return np.frombuffer(data, self.dtype).reshape(stop - start, -1)

    def close(self) -> None:
        self.stream.close()
        self.zip.close()


class PairedFeatureReader:
    """Image and text features of one file, by blocks of rows.

    Args:
        path (str): ``.mat`` (v7.3 or v5), ``.h5`` / ``.hdf5`` or ``.npz``.
        split (str, optional): Reference split whose keys to read
            (``'train'``, ``'retrieval'``, ``'query'``). Give this or both
            keys.
        image_key (str, optional): Key of the image features.
        text_key (str, optional): Key of the text features.
        layout (str): ``'auto'``, ``'rows'`` (items × dims) or
            ``'columns'`` (dims × items). ``'auto'``: columns for MATLAB
            v7.3, else rows unless only the second dimensions agree.

    Examples:
        >>> import tempfile, os.path as osp
        >>> from mhash.datasets import (SYNTHETIC_TINY, save_reference_file,
        ...                             make_synthetic_multimodal)
        >>> path = osp.join(tempfile.mkdtemp(), 'tiny.mat')
        >>> save_reference_file(path,
        ...                     make_synthetic_multimodal(**SYNTHETIC_TINY))
        >>> reader = PairedFeatureReader(path, split='query')
        >>> len(reader), reader.image_dim, reader.text_dim
        (60, 64, 48)
        >>> [image.shape[0] for image, text in reader.blocks(25)]
        [25, 25, 10]
    """

    def __init__(self,
                 path: str,
                 split: Optional[str] = None,
                 image_key: Optional[str] = None,
                 text_key: Optional[str] = None,
                 layout: str = 'auto'):
        self.path = path
        self.format = detect_file_format(path, kind='Feature file', hint='')
        if split is not None:
            if split not in SPLIT_KEYS:
                raise DataFileError(f'Unknown split "{split}"; expected one '
                                    f'of {sorted(SPLIT_KEYS)}')
            image_key = image_key or SPLIT_KEYS[split][0]
            text_key = text_key or SPLIT_KEYS[split][1]
        if image_key is None or text_key is None:
            raise ValueError('Give a split or both an image key and a text '
                             'key of the feature file')
        self.keys = (image_key, text_key)
        shapes = read_shapes(path)
        for key in self.keys:
            if key not in shapes:
                raise DataFileError(f'"{path}": key "{key}" is missing '
                                    f'(found: {sorted(shapes)})')
            if len(shapes[key]) != 2:
                raise DataFileError(f'"{path}": key "{key}" has shape '
                                    f'{shapes[key]}; expected a 2-D matrix')
        self.layout = self._resolve_layout(shapes, layout)
        sizes = [shapes[k] if self.layout == 'rows' else shapes[k][::-1]
                 for k in self.keys]
        if sizes[0][0] != sizes[1][0]:
            read_as = 'items × dims' if self.layout == 'rows' else \
                'dims × items'
            raise DataFileError(
                f'"{path}": "{image_key}" holds {sizes[0][0]} items but '
                f'"{text_key}" holds {sizes[1][0]} (read as {read_as}); an '
                'image and a text feature are needed per item')
        self.num_items = int(sizes[0][0])
        self.image_dim, self.text_dim = int(sizes[0][1]), int(sizes[1][1])

    def _resolve_layout(self, shapes, layout: str) -> str:
        if layout not in ('auto', 'rows', 'columns'):
            raise DataFileError(f'layout must be "auto", "rows" or '
                                f'"columns", got "{layout}"')
        if layout != 'auto':
            return layout
        image, text = (shapes[k] for k in self.keys)
        if self.format == 'mat73':
            return 'columns'
        if image[0] != text[0] and image[1] == text[1]:
            return 'columns'
        return 'rows'

    def __len__(self) -> int:
        return self.num_items

    def default_block_rows(self) -> int:
        """Rows per block so that one block is about 64 MiB."""
        row_bytes = 8 * (self.image_dim + self.text_dim)
        return max(1, _BLOCK_BYTES // row_bytes)

    def blocks(self, block_rows: Optional[int] = None
               ) -> Iterator[Tuple[np.ndarray, np.ndarray]]:
        """Yield ``(image, text)`` float32 blocks of consecutive rows.

        Args:
            block_rows (int, optional): Rows per block; defaults to
                :meth:`default_block_rows`.

        Raises:
            DataFileError: A block holds NaN or inf.
        """
        block_rows = int(block_rows or self.default_block_rows())
        if block_rows < 1:
            raise ValueError(f'block_rows must be >= 1, got {block_rows}')
        with self._open() as sources:
            for start in range(0, self.num_items, block_rows):
                stop = min(start + block_rows, self.num_items)
                yield tuple(
                    self._block(key, source, start, stop)
                    for key, source in zip(self.keys, sources))

    def _block(self, key: str, source, start: int, stop: int) -> np.ndarray:
        if isinstance(source, _NpzRows):
            block = source.rows(start, stop)
        elif self.layout == 'rows':
            block = np.asarray(source[start:stop])
        else:
            block = np.asarray(source[:, start:stop]).T
        if block.dtype.kind not in 'fiub':
            raise DataFileError(f'"{self.path}": key "{key}" has dtype '
                                f'{block.dtype}; expected numbers')
        block = np.ascontiguousarray(block, dtype=np.float32)
        if not block.flags.writeable:  # a view of a streamed buffer
            block = block.copy()
        finite = np.isfinite(block)
        if not finite.all():
            row, column = np.argwhere(~finite)[0]
            raise DataFileError(
                f'"{self.path}": key "{key}" holds NaN or inf (first at '
                f'item {start + int(row)}, column {int(column)}); features '
                'must be finite')
        return block

    def _open(self):
        return _OpenSources(self)


class _OpenSources:
    """Context manager giving one row-sliceable source per key."""

    def __init__(self, reader: PairedFeatureReader):
        self.reader = reader
        self.handles = []

    def __enter__(self):
        reader = self.reader
        if reader.format in ('mat73', 'h5'):
            import h5py
            handle = h5py.File(reader.path, 'r')
            self.handles.append(handle)
            return [handle[key] for key in reader.keys]
        if reader.format == 'mat5':
            import scipy.io
            data = scipy.io.loadmat(reader.path,
                                    variable_names=list(reader.keys))
            return [data[key] for key in reader.keys]
        sources = []
        for key in reader.keys:
            if reader.layout == 'rows':
                try:
                    rows = _NpzRows(reader.path, key)
                    self.handles.append(rows)
                    sources.append(rows)
                    continue
                except ValueError:
                    pass  # Fortran order: load the member whole below
            with np.load(reader.path, allow_pickle=False) as data:
                sources.append(data[key])
        return sources

    def __exit__(self, *exc_info):
        for handle in self.handles:
            handle.close()
        return False
