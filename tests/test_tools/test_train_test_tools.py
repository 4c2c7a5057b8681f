# Copyright (c) mhash contributors. All rights reserved.
"""tools/train.py and tools/test.py end to end on the tiny synthetic set."""
import importlib.util
import json
import os.path as osp
import uuid

import numpy as np
import pytest

from mhash.evaluation import HashRetrievalMetric
from mhash.utils import ConfigKeyError

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'baselines', 'deep_fusion',
                  'deep_fusion_synthetic-tiny_16bit.py')


def _tool(name):
    spec = importlib.util.spec_from_file_location(
        f'mhash_tool_{name}', osp.join(REPO, 'tools', f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _options(data_root, *extra):
    return [
        '--cfg-options', f'experiment_name=t{uuid.uuid4().hex[:8]}',
        f'train_dataloader.dataset.data_root={data_root}',
        f'val_dataloader.dataset.data_root={data_root}',
        f'test_dataloader.dataset.data_root={data_root}', *extra
    ]


def _newest_run(work_dir):
    runs = sorted(d for d in osp.os.listdir(work_dir)
                  if osp.isdir(osp.join(work_dir, d)) and d[0].isdigit())
    return osp.join(work_dir, runs[-1])


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp('train')
    data_root, work_dir = str(root / 'data'), str(root / 'work')
    _tool('train').main([CONFIG, '--work-dir', work_dir] +
                        _options(data_root))
    return data_root, work_dir


def test_train_writes_outputs_and_beats_random(trained):
    data_root, work_dir = trained
    run = _newest_run(work_dir)
    for name in ('test_metrics.json', 'test_codes.npz', 'val_metrics.json'):
        assert osp.isfile(osp.join(run, name)), name
    assert osp.isfile(osp.join(work_dir, 'epoch_6.pth'))
    assert any(f.endswith('.py') for f in osp.os.listdir(work_dir))
    assert any(f.endswith('.log') for f in osp.os.listdir(run))
    with open(osp.join(run, 'test_metrics.json')) as f:
        result = json.load(f)
    trained_map = result['metrics']['retrieval/mAP']
    codes = np.load(osp.join(run, 'test_codes.npz'))
    assert codes['query_codes'].shape == (60, 16)
    assert codes['retrieval_codes'].shape == (400, 16)
    rng = np.random.default_rng(0)
    random_map = HashRetrievalMetric.calculate(
        rng.choice([-1, 1], size=(60, 16)),
        rng.choice([-1, 1], size=(400, 16)), codes['query_labels'],
        codes['retrieval_labels'])['mAP']
    assert trained_map > random_map + 0.04


def test_existing_run_is_protected(trained):
    data_root, work_dir = trained
    with pytest.raises(SystemExit, match='already holds a run'):
        _tool('train').main([CONFIG, '--work-dir', work_dir] +
                            _options(data_root))


def test_resume_continues_and_test_tool_reproduces(trained):
    data_root, work_dir = trained
    _tool('train').main([CONFIG, '--work-dir', work_dir, '--resume'] +
                        _options(data_root, 'train_cfg.max_epochs=7'))
    run = _newest_run(work_dir)
    with open(osp.join(run, osp.basename(run) + '.log')) as f:
        log = f.read()
    assert 'resumed epoch: 6' in log
    assert 'Epoch(train) [6]' not in log  # nothing before epoch 7 reran
    with open(osp.join(run, 'test_metrics.json')) as f:
        after_training = json.load(f)['metrics']['retrieval/mAP']
    test_dir = osp.join(osp.dirname(work_dir), 'test')
    _tool('test').main([
        CONFIG, osp.join(work_dir, 'epoch_7.pth'), '--work-dir', test_dir
    ] + _options(data_root))
    with open(osp.join(_newest_run(test_dir), 'test_metrics.json')) as f:
        reloaded = json.load(f)['metrics']['retrieval/mAP']
    assert reloaded == pytest.approx(after_training, abs=1e-12)


def test_unknown_config_key_is_named(tmp_path):
    with pytest.raises(ConfigKeyError) as info:
        _tool('train').main([CONFIG, '--work-dir', str(tmp_path)] +
                            _options(str(tmp_path), 'model.num_bitz=8'))
    assert 'model.num_bitz' in str(info.value)
    assert "'num_bits'" in str(info.value)


def test_missing_official_file(tmp_path):
    config = osp.join(REPO, 'configs', 'baselines', 'deep_fusion',
                      'deep_fusion_flickr_32bit.py')
    with pytest.raises(FileNotFoundError, match='mir_cnn_twt.mat'):
        _tool('train').main([config, '--work-dir', str(tmp_path)] +
                            _options(str(tmp_path)))
