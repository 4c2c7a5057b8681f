# Copyright (c) mhash contributors. All rights reserved.
"""Data sets: reference-layout files and the synthetic default."""
from .file_io import SPLIT_KEYS, DataFileError, read_shapes, read_split
from .multimodal_dataset import MultiModalHashDataset
from .synthetic import (GENERATOR_VERSION, SYNTHETIC_MIRFLICKR_LIKE,
                        SYNTHETIC_TINY, make_synthetic_multimodal,
                        synthetic_image_view)
from .synthetic_dataset import SyntheticMultiModalDataset
from .writers import save_reference_file

__all__ = [
    'SPLIT_KEYS', 'DataFileError', 'read_shapes', 'read_split',
    'MultiModalHashDataset', 'SyntheticMultiModalDataset',
    'make_synthetic_multimodal', 'synthetic_image_view',
    'save_reference_file',
    'SYNTHETIC_MIRFLICKR_LIKE', 'SYNTHETIC_TINY', 'GENERATOR_VERSION'
]
