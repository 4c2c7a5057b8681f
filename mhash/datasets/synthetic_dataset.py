# Copyright (c) mhash contributors. All rights reserved.
"""The embedded synthetic data set, read through the real file path."""
import hashlib
import json
import os.path as osp
from typing import Optional

from mhash.registry import DATASETS
from .multimodal_dataset import MultiModalHashDataset
from .synthetic import (GENERATOR_VERSION, SYNTHETIC_MIRFLICKR_LIKE,
                        make_synthetic_multimodal)
from .writers import save_reference_file

__all__ = ['SyntheticMultiModalDataset']


@DATASETS.register_module()
class SyntheticMultiModalDataset(MultiModalHashDataset):
    """The synthetic data set of :func:`make_synthetic_multimodal`.

    On first use the arrays are generated and written as a MATLAB v7.3 file
    in the reference layout (``data_root/synthetic_<hash>.mat``, the hash
    naming the generator arguments and version); the split is then read
    from that file by :class:`MultiModalHashDataset`, so the synthetic
    default exercises exactly the loading code of the official files.
    Later runs reuse the file; two processes creating it at once are safe
    (atomic writes).

    Args:
        split (str): ``'train'``, ``'retrieval'`` or ``'query'``.
        data_root (str): Folder of the generated file. Defaults to
            ``'data/synthetic'``.
        generator (dict, optional): Arguments of
            :func:`make_synthetic_multimodal`; missing ones take MIR Flickr's
            sizes. Defaults to None.
        metainfo (dict, optional): Extra meta information.

    Examples:
        >>> import tempfile
        >>> from mhash.datasets import SYNTHETIC_TINY
        >>> dataset = SyntheticMultiModalDataset(
        ...     'train', data_root=tempfile.mkdtemp(),
        ...     generator=SYNTHETIC_TINY)
        >>> len(dataset), dataset.metainfo['image_dim']
        (200, 64)
    """

    def __init__(self,
                 split: str = 'train',
                 data_root: str = 'data/synthetic',
                 generator: Optional[dict] = None,
                 metainfo: Optional[dict] = None):
        arguments = dict(SYNTHETIC_MIRFLICKR_LIKE, **(generator or {}))
        key = hashlib.sha1(
            json.dumps(dict(arguments, version=GENERATOR_VERSION),
                       sort_keys=True).encode()).hexdigest()[:10]
        path = osp.join(data_root, f'synthetic_{key}.mat')
        if not osp.isfile(path):
            save_reference_file(path, make_synthetic_multimodal(**arguments))
        meta = dict(
            name='synthetic (MIR Flickr-like)',
            synthetic=True,
            generator=arguments)
        meta.update(metainfo or {})
        super().__init__(path, split=split, metainfo=meta)
