# Copyright (c) mhash contributors. All rights reserved.
"""Data set of (image, text, labels) triples in the reference layout."""
import os.path as osp
from typing import Optional

import numpy as np
import torch
from torch.utils.data import Dataset

from mhash.registry import DATASETS
from .file_io import OFFICIAL_FILES_HINT, SPLIT_KEYS, read_split

__all__ = ['MultiModalHashDataset']


@DATASETS.register_module()
class MultiModalHashDataset(Dataset):
    """One split of a multi-modal hashing data file.

    The file holds the nine matrices of the BSTH reference layout (see
    :mod:`mhash.datasets.file_io`). The whole split is kept in memory as
    float32 features and uint8 labels; items are returned as tensors that
    ``default_collate`` stacks into a batch dict.

    Args:
        data_file (str): File name, relative to ``data_root`` unless
            absolute: ``.mat`` (MATLAB v5 or v7.3), ``.h5`` or ``.npz``.
        split (str): ``'train'``, ``'retrieval'`` (the database) or
            ``'query'``. Defaults to ``'train'``.
        data_root (str): Folder of ``data_file``. Defaults to ``''``.
        layout (str): ``'auto'``, ``'rows'`` or ``'columns'``; see
            :func:`~mhash.datasets.read_split`.
        metainfo (dict, optional): Extra meta information, e.g.
            ``dict(name='MIR Flickr', classes=[...])``.

    Each item is a dict: ``image`` float32 (d_I,), ``text`` float32 (d_T,),
    ``label`` float32 multi-hot (c,), ``index`` int (row in the split).

    Examples:
        >>> import tempfile, os.path as osp
        >>> from mhash.datasets import (SYNTHETIC_TINY, save_reference_file,
        ...                             make_synthetic_multimodal)
        >>> path = osp.join(tempfile.mkdtemp(), 'tiny.mat')
        >>> save_reference_file(path,
        ...                     make_synthetic_multimodal(**SYNTHETIC_TINY))
        >>> dataset = MultiModalHashDataset(path, split='query')
        >>> len(dataset), dataset.metainfo['num_classes']
        (60, 6)
        >>> sorted(dataset[0])
        ['image', 'index', 'label', 'text']
    """

    def __init__(self,
                 data_file: str,
                 split: str = 'train',
                 data_root: str = '',
                 layout: str = 'auto',
                 metainfo: Optional[dict] = None):
        if split not in SPLIT_KEYS:
            raise ValueError(f'{type(self).__name__}: unknown split '
                             f'"{split}"; expected one of '
                             f'{sorted(SPLIT_KEYS)}')
        path = data_file if osp.isabs(data_file) or not data_root else \
            osp.join(data_root, data_file)
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'{type(self).__name__}: data file "{path}" not found '
                f'(data_file="{data_file}", data_root="{data_root}"). '
                f'{OFFICIAL_FILES_HINT}')
        self.data_file = path
        self.split = split
        self.image, self.text, self.labels = read_split(path, split, layout)
        self._metainfo = dict(metainfo or {})

    @property
    def metainfo(self) -> dict:
        """Meta information: sizes of the modalities and label space."""
        return dict(
            self._metainfo,
            split=self.split,
            data_file=self.data_file,
            num_items=len(self),
            num_classes=int(self.labels.shape[1]),
            image_dim=int(self.image.shape[1]),
            text_dim=int(self.text.shape[1]))

    def __len__(self) -> int:
        return self.labels.shape[0]

    def __getitem__(self, idx: int) -> dict:
        return dict(
            image=torch.from_numpy(self.image[idx]),
            text=torch.from_numpy(self.text[idx]),
            label=torch.from_numpy(self.labels[idx].astype(np.float32)),
            index=int(idx))
