# Copyright (c) mhash contributors. All rights reserved.
"""Two-process training and testing on the CPU (gloo), tiny synthetic set.

One module-scoped run: ``tools/dist_train.sh CONFIG 2`` trains one epoch,
``--resume`` continues to epoch 2, then ``tools/test.py`` under
``torch.distributed.run`` scores the epoch-2 checkpoint with 2 processes
and the same tool scores it in this single process; the gathered metric
must equal the single-process one. The test split has 61 queries and 401
database items, so the distributed sampler pads each split with a
repeated item that the metric has to drop.
"""
import importlib.util
import json
import os
import os.path as osp
import socket
import subprocess
import sys

import numpy as np
import pytest
import torch

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'baselines', 'deep_fusion',
                  'deep_fusion_synthetic-tiny_16bit.py')
TIMEOUT = 240


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _options(data_root, *extra):
    return [
        '--cfg-options', f'train_dataloader.dataset.data_root={data_root}',
        f'val_dataloader.dataset.data_root={data_root}',
        f'test_dataloader.dataset.data_root={data_root}',
        'test_dataloader.dataset.generator.num_query=61',
        'test_dataloader.dataset.generator.num_retrieval=401',
        'test_dataloader.batch_size=16', 'log_level=INFO', *extra
    ]


def _run(command, log_name, folder):
    env = dict(os.environ, PORT=str(_free_port()), OMP_NUM_THREADS='1',
               PYTHONPATH=REPO + os.pathsep + os.environ.get('PYTHONPATH',
                                                             ''))
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT)
    with open(osp.join(folder, log_name), 'w') as f:
        f.write(done.stdout + done.stderr)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done.stdout + done.stderr


def _newest_run(work_dir):
    runs = sorted(d for d in os.listdir(work_dir)
                  if osp.isdir(osp.join(work_dir, d)) and d[0].isdigit())
    return osp.join(work_dir, runs[-1])


def _test_outputs(work_dir):
    run = _newest_run(work_dir)
    with open(osp.join(run, 'test_metrics.json')) as f:
        metrics = json.load(f)['metrics']
    return metrics, dict(np.load(osp.join(run, 'test_codes.npz')))


@pytest.fixture(scope='module')
def distributed_run(tmp_path_factory):
    root = tmp_path_factory.mktemp('dist')
    data_root, work_dir = str(root / 'data'), str(root / 'work')
    train = ['bash', osp.join(REPO, 'tools', 'dist_train.sh'), CONFIG, '2',
             '--work-dir', work_dir, '--no-test']
    first = _run(train + _options(
        data_root, 'train_cfg.max_epochs=1', 'train_cfg.val_interval=5'),
        'train.log', str(root))
    _run(train + ['--resume'] + _options(
        data_root, 'train_cfg.max_epochs=2', 'train_cfg.val_interval=2'),
        'resume.log', str(root))
    test = [
        sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node=2',
        f'--master_port={_free_port()}',
        osp.join(REPO, 'tools', 'test.py'), CONFIG,
        osp.join(work_dir, 'epoch_2.pth'), '--work-dir',
        str(root / 'test2'), '--launcher', 'pytorch'
    ] + _options(data_root)
    _run(test, 'test.log', str(root))
    return dict(root=root, data_root=data_root, work_dir=work_dir,
                first=first)


def test_two_process_training_and_resume(distributed_run):
    work_dir = distributed_run['work_dir']
    # Both processes switched to gloo, and the runner was distributed.
    assert distributed_run['first'].count('nccl -> gloo') == 2
    assert 'Distributed training: True' in distributed_run['first']
    checkpoints = sorted(f for f in os.listdir(work_dir)
                         if f.endswith('.pth'))
    assert checkpoints == ['best_retrieval_mAP_epoch_2.pth', 'epoch_1.pth',
                           'epoch_2.pth']
    run = _newest_run(work_dir)
    with open(osp.join(run, osp.basename(run) + '.log')) as f:
        resumed = f.read()
    assert 'resumed epoch: 1' in resumed
    assert 'Epoch(train) [1]' not in resumed  # epoch 1 did not rerun
    assert 'Epoch(train) [2]' in resumed
    state = torch.load(osp.join(work_dir, 'epoch_2.pth'),
                       weights_only=False)
    assert state['meta']['epoch'] == 2
    first = torch.load(osp.join(work_dir, 'epoch_1.pth'), weights_only=False)
    changed = [
        not torch.equal(first['state_dict'][k], v)
        for k, v in state['state_dict'].items() if v.is_floating_point()
    ]
    assert any(changed)  # epoch 2 trained on top of epoch 1


def test_gathered_metric_equals_single_process(distributed_run):
    spec = importlib.util.spec_from_file_location(
        'mhash_tool_test', osp.join(REPO, 'tools', 'test.py'))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    single_dir = str(distributed_run['root'] / 'test1')
    tool.main([
        CONFIG,
        osp.join(distributed_run['work_dir'], 'epoch_2.pth'), '--work-dir',
        single_dir
    ] + _options(distributed_run['data_root']))
    two, two_codes = _test_outputs(str(distributed_run['root'] / 'test2'))
    one, one_codes = _test_outputs(single_dir)
    assert two == one  # every metric, exactly
    assert two_codes['query_codes'].shape == (61, 16)
    assert two_codes['retrieval_codes'].shape == (401, 16)
    for key in one_codes:
        np.testing.assert_array_equal(two_codes[key], one_codes[key])
