# Copyright (c) mhash contributors. All rights reserved.
"""Hamming search at scale: exact top-k / radius search over packed codes.

The engine (:class:`HammingIndex`, NumPy or faiss backend) plus what the
``tools/encode.py`` and ``tools/search.py`` command lines are made of:
chunked feature reading, model loading and encoding, packed-code files.
"""
from .code_file import load_code_file, save_code_file
from .encoding import check_feature_dims, encode_features, load_hash_model
from .faiss_backend import FaissHammingBackend, faiss_available
from .feature_reader import PairedFeatureReader
from .hamming_index import (AUTO_BACKEND, BACKENDS, HammingIndex,
                            available_backends, resolve_backend)
from .numpy_backend import NumpyHammingBackend

__all__ = [
    'HammingIndex', 'NumpyHammingBackend', 'FaissHammingBackend',
    'BACKENDS', 'AUTO_BACKEND', 'available_backends', 'resolve_backend',
    'faiss_available', 'PairedFeatureReader', 'load_hash_model',
    'check_feature_dims', 'encode_features', 'save_code_file',
    'load_code_file'
]
