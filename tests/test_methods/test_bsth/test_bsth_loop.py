# Copyright (c) mhash contributors. All rights reserved.
"""BSTHTrainLoop under the mmengine Runner on the tiny synthetic set: stage
order and hand-over, stage-1 logging, resume without repeating stage 1."""
import os.path as osp
import uuid

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mhash.methods import codes_to_binary
from mhash.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
CONFIG = osp.join(REPO, 'configs', 'bsth', 'bsth_synthetic-tiny_16bit.py')


def _cfg(root, **train_cfg):
    register_all_modules()
    cfg = Config.fromfile(CONFIG)
    data_root = str(root / 'data')
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = data_root
    cfg.work_dir = str(root / 'work')
    cfg.experiment_name = f'bsth{uuid.uuid4().hex[:8]}'
    cfg.train_cfg.update(dict(max_epochs=2, prototype_epochs=5,
                              val_interval=2))
    cfg.train_cfg.update(train_cfg)
    cfg.default_hooks.checkpoint.update(dict(interval=1, save_best=None))
    return cfg


def _labels(runner):
    return torch.as_tensor(runner.train_dataloader.dataset.labels).float()


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp('bsth_loop')
    runner = Runner.from_cfg(_cfg(root))
    runner.train()
    return root, runner


def test_stage1_runs_first_and_hands_over_its_codes(trained):
    _, runner = trained
    model = runner.model
    assert int(model.prototype_epochs_done) == 5
    labels = _labels(runner)
    model.label_prototypes.eval()
    with torch.no_grad():
        prototypes = model.label_prototypes.prototypes()
    expected = codes_to_binary(labels @ prototypes)
    # Stage 2 regressed exactly sign(l P) of the trained stage 1 (module B
    # is untouched by stage 2, so its prototypes still give these codes).
    assert torch.equal(model.supervising_codes, expected)
    hub = runner.message_hub
    for name in ('loss_clf', 'loss_sign', 'loss_proto', 'loss_bal'):
        assert f'stage1/{name}' in hub.log_scalars
    with open(osp.join(runner.log_dir, f'{runner.timestamp}.log')) as f:
        log = f.read()
    assert 'Stage 1 (label prototypes) epoch [5/5]' in log
    assert 'loss_proto' in log and 'Stage 1 done' in log
    assert log.index('Stage 1 done') < log.index('Epoch(train) [1]')


def test_resume_after_stage1_does_not_rerun_it(trained):
    root, first = trained
    checkpoint = osp.join(first.work_dir, 'epoch_1.pth')
    state = torch.load(checkpoint, map_location='cpu', weights_only=False)
    cfg = _cfg(root, max_epochs=3)
    cfg.resume, cfg.load_from = True, checkpoint
    runner = Runner.from_cfg(cfg)
    calls = []
    original = runner.model.label_prototype_loss
    runner.model.label_prototype_loss = lambda *a, **k: calls.append(1) or \
        original(*a, **k)
    runner.train()
    assert calls == []
    assert runner.train_loop.epoch == 3
    assert torch.equal(runner.model.supervising_codes,
                       state['state_dict']['supervising_codes'])
    prototype_state = runner.model.label_prototypes.state_dict()
    for key, value in prototype_state.items():
        assert torch.equal(value, state['state_dict'][
            f'label_prototypes.{key}']), key
    with open(osp.join(runner.log_dir, f'{runner.timestamp}.log')) as f:
        assert 'Stage 1 (label prototypes) already done' in f.read()
