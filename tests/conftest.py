# Copyright (c) mhash contributors. All rights reserved.
import os
import os.path as osp

import pytest

from mhash.datasets import (SYNTHETIC_TINY, make_synthetic_multimodal,
                            save_reference_file)

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def _shared_data_dir() -> str:
    return os.environ.get(
        'MHASH_SHARED_DATA',
        osp.join(REPO_ROOT, '..', 'shared', 'data'))


@pytest.fixture(scope='session')
def shared_data_dir():
    """``../shared/data`` (or $MHASH_SHARED_DATA); skips when absent."""
    path = _shared_data_dir()
    if not osp.isdir(path):
        pytest.skip(f'real data folder {path} is absent')
    return path


@pytest.fixture(scope='session')
def tiny_arrays():
    """The tiny synthetic problem as arrays (items × dims)."""
    return make_synthetic_multimodal(**SYNTHETIC_TINY)


@pytest.fixture(scope='session')
def tiny_mat(tmp_path_factory, tiny_arrays):
    """The tiny synthetic problem written as a MATLAB v7.3 file."""
    path = str(tmp_path_factory.mktemp('data') / 'tiny.mat')
    save_reference_file(path, tiny_arrays)
    return path
