# Copyright (c) mhash contributors. All rights reserved.
"""ShallowFitLoop through a tiny CPU Runner, end to end."""
import copy
import json
import os.path as osp
import uuid

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner, load_checkpoint

from mhash.engine.loops.shallow_fit_loop import _split_arrays
from mhash.registry import MODELS
from mhash.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'baselines', 'sdh',
                  'sdh_synthetic-tiny_16bit.py')


def _config(root, **overrides) -> Config:
    cfg = Config.fromfile(CONFIG)
    cfg.work_dir = str(root / 'work')
    cfg.experiment_name = f'shallow{uuid.uuid4().hex[:8]}'
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = str(root / 'data')
    cfg.default_hooks.logger.interval = 1
    cfg.merge_from_dict(overrides)
    return cfg


@pytest.fixture(scope='module')
def fitted_run(tmp_path_factory):
    register_all_modules(init_default_scope=False)
    root = tmp_path_factory.mktemp('shallow')
    runner = Runner.from_cfg(_config(root))
    model = runner.train()
    metrics = runner.test()
    return root, runner, model, metrics


def test_train_fits_saves_validates_and_returns_the_model(fitted_run):
    root, runner, model, metrics = fitted_run
    assert model is runner.model and bool(model.fitted)
    assert runner.train_loop.epoch == 1 and runner.train_loop.iter == 1
    assert runner.train_loop.max_epochs == 1
    assert runner.message_hub.get_scalar('train/fit_time').current() > 0
    work_dir = root / 'work'
    assert (work_dir / 'epoch_1.pth').is_file()
    run_dir = runner.log_dir
    with open(osp.join(run_dir, 'val_metrics.json')) as f:
        val = json.load(f)['metrics']
    assert val['retrieval/mAP'] == pytest.approx(metrics['retrieval/mAP'])
    codes = np.load(osp.join(run_dir, 'test_codes.npz'))
    assert codes['query_codes'].shape == (60, 16)


def test_checkpoint_reloads_into_a_fresh_model_and_encodes_identically(
        fitted_run):
    root, runner, model, _ = fitted_run
    cfg = copy.deepcopy(runner.cfg.model)
    cfg.pop('image_dim'), cfg.pop('text_dim')  # shapes come from the file
    fresh = MODELS.build(cfg)
    load_checkpoint(fresh, str(root / 'work' / 'epoch_1.pth'),
                    map_location='cpu', strict=True)
    dataset = runner.test_dataloader.dataset
    image = torch.from_numpy(dataset.image)
    text = torch.from_numpy(dataset.text)
    model.eval()
    with torch.no_grad():
        assert torch.equal(fresh.encode(image, text),
                           model.encode(image, text))


def test_resume_does_not_fit_again(fitted_run, monkeypatch):
    root, runner, model, _ = fitted_run
    cfg = _config(root, resume=True,
                  load_from=str(root / 'work' / 'epoch_1.pth'))
    resumed = Runner.from_cfg(cfg)

    def refuse(*args):
        raise AssertionError('fit called on a resumed, fitted run')

    monkeypatch.setattr(resumed.model, 'fit', refuse)
    out = resumed.train()
    assert bool(out.fitted) and resumed.train_loop.epoch == 1
    assert torch.equal(out.projection, model.projection)


def test_split_arrays_names_what_is_missing():
    class NoArrays:
        image = np.zeros((2, 3), dtype=np.float32)

    with pytest.raises(TypeError, match='text, labels'):
        _split_arrays(NoArrays(), torch.device('cpu'))
