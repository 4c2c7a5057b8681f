# Copyright (c) mhash contributors. All rights reserved.
"""projects/example_method: an out-of-tree method trained end to end."""
import importlib.util
import json
import os
import os.path as osp
import sys
import uuid

import numpy as np
import pytest
import torch
from mmengine.config import Config

from mhash.evaluation import HashRetrievalMetric
from mhash.registry import MODELS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PROJECT = osp.join(REPO, 'projects', 'example_method')
CONFIG = osp.join(PROJECT, 'configs',
                  'center_fusion_hash_synthetic-tiny_16bit.py')


@pytest.fixture(scope='module', autouse=True)
def repo_on_path():
    """`custom_imports` imports `projects.*` from the repository root, which
    `python tools/train.py` puts on the path; so does this fixture."""
    added = REPO not in sys.path
    if added:
        sys.path.insert(0, REPO)
    yield
    if added:
        sys.path.remove(REPO)


def _tool(name):
    spec = importlib.util.spec_from_file_location(
        f'mhash_tool_{name}_project', osp.join(REPO, 'tools', f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _options(data_root):
    return [
        '--cfg-options', f'experiment_name=p{uuid.uuid4().hex[:8]}',
        'log_level=WARNING',
        f'train_dataloader.dataset.data_root={data_root}',
        f'val_dataloader.dataset.data_root={data_root}',
        f'test_dataloader.dataset.data_root={data_root}'
    ]


def _run_dir(work_dir):
    runs = sorted(d for d in os.listdir(work_dir) if d[0].isdigit()
                  and osp.isdir(osp.join(work_dir, d)))
    return osp.join(work_dir, runs[-1])


def test_config_imports_the_method_from_outside_mhash():
    cfg = Config.fromfile(CONFIG)  # runs custom_imports
    assert cfg.custom_imports.imports == [
        'projects.example_method.center_fusion_hash'
    ]
    cls = MODELS.get('CenterFusionHash')
    assert cls.__module__.startswith('projects.example_method.')
    assert not cls.__module__.startswith('mhash')
    model = MODELS.build(cfg.model)
    assert model.num_bits == 16 and model.hash_centers.shape == (6, 16)
    assert 'hash_centers' in model.state_dict()


def test_trains_and_evaluates_end_to_end(tmp_path):
    data_root, work_dir = str(tmp_path / 'data'), str(tmp_path / 'work')
    # validation is skipped to save time; the test split is evaluated
    _tool('train').main([CONFIG, '--work-dir', work_dir] +
                        _options(data_root) + ['train_cfg.val_interval=100'])
    run = _run_dir(work_dir)
    with open(osp.join(run, 'test_metrics.json')) as f:
        trained_map = json.load(f)['metrics']['retrieval/mAP']
    codes = np.load(osp.join(run, 'test_codes.npz'))
    assert codes['query_codes'].shape == (60, 16)
    assert codes['retrieval_codes'].shape == (400, 16)
    rng = np.random.default_rng(0)
    random_map = HashRetrievalMetric.calculate(
        rng.choice([-1, 1], size=(60, 16)),
        rng.choice([-1, 1], size=(400, 16)), codes['query_labels'],
        codes['retrieval_labels'])['mAP']
    assert trained_map > random_map + 0.05

    # the checkpoint carries the centres; tools/test.py reproduces the mAP
    checkpoint = osp.join(work_dir, 'epoch_12.pth')
    state = torch.load(checkpoint, map_location='cpu', weights_only=False)
    assert state['state_dict']['hash_centers'].shape == (6, 16)
    test_dir = str(tmp_path / 'test')
    _tool('test').main([CONFIG, checkpoint, '--work-dir', test_dir] +
                       _options(data_root))
    with open(osp.join(_run_dir(test_dir), 'test_metrics.json')) as f:
        metrics = json.load(f)['metrics']
    assert metrics['retrieval/mAP'] == pytest.approx(trained_map, abs=1e-6)
