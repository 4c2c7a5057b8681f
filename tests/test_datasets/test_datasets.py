# Copyright (c) mhash contributors. All rights reserved.
import numpy as np
import pytest
import torch
from mmengine.dataset import default_collate

from mhash.datasets import (SYNTHETIC_TINY, MultiModalHashDataset,
                            SyntheticMultiModalDataset,
                            make_synthetic_multimodal)
from mhash.registry import DATASETS


def test_items_and_batches(tiny_mat, tiny_arrays):
    dataset = MultiModalHashDataset(tiny_mat, split='train')
    assert len(dataset) == len(tiny_arrays['L_tr'])
    batch = default_collate([dataset[i] for i in range(5)])
    assert batch['image'].dtype == torch.float32
    assert batch['label'].shape == (5, SYNTHETIC_TINY['num_classes'])
    assert batch['index'].tolist() == [0, 1, 2, 3, 4]
    np.testing.assert_array_equal(batch['text'].numpy(),
                                  tiny_arrays['T_tr'][:5])
    meta = dataset.metainfo
    assert (meta['image_dim'], meta['text_dim'], meta['num_classes']) == (
        SYNTHETIC_TINY['image_dim'], SYNTHETIC_TINY['text_dim'],
        SYNTHETIC_TINY['num_classes'])


def test_missing_file_names_root_and_file(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        DATASETS.build(
            dict(type='MultiModalHashDataset', data_file='nus_cnn_twt.mat',
                 data_root=str(tmp_path)))
    assert 'nus_cnn_twt.mat' in str(info.value)
    assert 'data_root' in str(info.value)


def test_synthetic_is_deterministic_and_cached(tmp_path):
    first = make_synthetic_multimodal(**SYNTHETIC_TINY, seed=3)
    second = make_synthetic_multimodal(**SYNTHETIC_TINY, seed=3)
    other = make_synthetic_multimodal(**SYNTHETIC_TINY, seed=4)
    for key in first:
        np.testing.assert_array_equal(first[key], second[key])
    assert not np.array_equal(first['I_db'], other['I_db'])
    dataset = SyntheticMultiModalDataset(
        'query', data_root=str(tmp_path), generator=SYNTHETIC_TINY)
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and files[0].suffix == '.mat'
    mtime = files[0].stat().st_mtime_ns
    again = SyntheticMultiModalDataset(
        'query', data_root=str(tmp_path), generator=SYNTHETIC_TINY)
    assert files[0].stat().st_mtime_ns == mtime  # reused, not rewritten
    np.testing.assert_array_equal(dataset.image, again.image)
    assert dataset.metainfo['synthetic'] is True


def test_synthetic_structure():
    arrays = make_synthetic_multimodal(**SYNTHETIC_TINY)
    labels = arrays['L_db']
    assert (labels.sum(1) >= 1).all()
    assert labels.sum(1).mean() > 1.2  # multi-label
    text = arrays['T_db']
    assert set(np.unique(text)) <= {0.0, 1.0}
    assert (arrays['I_db'] >= 0).all()
    # Training pairs are drawn from the database (MIR Flickr protocol).
    database = {row.tobytes() for row in arrays['T_db']}
    assert sum(row.tobytes() in database for row in arrays['T_tr']) == len(
        arrays['T_tr'])
