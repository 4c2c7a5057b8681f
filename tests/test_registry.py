# Copyright (c) mhash contributors. All rights reserved.
"""Registries: mmengine semantics, plus clear errors for unknown types."""
import importlib.util
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS as MMENGINE_MODELS

from mhash import registry as registries
from mhash.methods import DeepFusionHash
from mhash.registry import DATASETS, HOOKS, METRICS, MODELS, OPTIMIZERS
from mhash.utils import (UnknownTypeError, check_config, check_config_types,
                         register_all_modules)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
TINY_CONFIG = osp.join(REPO, 'configs', 'baselines', 'deep_fusion',
                       'deep_fusion_synthetic-tiny_16bit.py')

register_all_modules(init_default_scope=False)


def _model_cfg(**kwargs):
    cfg = dict(type='DeepFusionHash', num_bits=8, image_dim=5, text_dim=4,
               num_classes=3, hidden_dim=8)
    cfg.update(kwargs)
    return cfg


def test_every_registry_keeps_its_parent_build_function():
    for name in registries.__all__:
        registry = getattr(registries, name)
        assert registry.build_func.type_hints, name
        assert registry.build_func.__wrapped__ is registry.parent.build_func
    assert MODELS.build_func.__wrapped__ is MMENGINE_MODELS.build_func


def test_known_types_build_as_in_mmengine():
    model = MODELS.build(_model_cfg())
    assert isinstance(model, DeepFusionHash) and model.num_bits == 8
    # `type` from default_args, and mmengine's own types through the parent
    model = MODELS.build(dict(num_bits=4, image_dim=5, text_dim=4,
                              num_classes=3, hidden_dim=8),
                         default_args=dict(type='DeepFusionHash'))
    assert model.num_bits == 4
    optimizer = OPTIMIZERS.build(
        dict(type='Adam', params=[torch.nn.Parameter(torch.zeros(2))]))
    assert isinstance(optimizer, torch.optim.Adam)
    # a list of models builds a Sequential, as with mmengine
    assert len(MODELS.build([_model_cfg(), _model_cfg()])) == 2


def test_unknown_type_lists_close_and_registered_names():
    with pytest.raises(UnknownTypeError) as info:
        MODELS.build(_model_cfg(type='DeepFusionHsh'))
    message = str(info.value)
    assert isinstance(info.value, KeyError)  # mmengine's exception type
    first = message.splitlines()[0]
    assert "'DeepFusionHsh' is not registered in mhash::model" in first
    # The closest name comes first (other modules may add more matches).
    assert "Did you mean 'DeepFusionHash'" in first
    for name in MODELS.module_dict:  # every registered method is listed
        assert name in message
    assert 'BaseDataPreprocessor' in message  # inherited from mmengine
    assert 'custom_imports' in message


def test_unknown_type_matching_ignores_case_and_spans_parents():
    with pytest.raises(KeyError, match="Did you mean 'DeepFusionHash'"):
        MODELS.build(_model_cfg(type='deepfusionhash'))
    with pytest.raises(KeyError, match="Did you mean 'CheckpointHook'"):
        HOOKS.build(dict(type='CheckpointHok'))
    with pytest.raises(KeyError, match="Did you mean 'HashRetrievalMetric'"):
        METRICS.build(dict(type='HashRetrivalMetric'))
    with pytest.raises(KeyError, match='No registered name is close'):
        DATASETS.build(dict(type='Zzzz'))
    with pytest.raises(KeyError, match="'Zzzz' is not registered"):
        MODELS.build([_model_cfg(), _model_cfg(type='Zzzz')])


def test_config_check_names_each_unknown_type_and_its_key():
    cfg = Config(dict(
        default_scope='mhash',
        model=_model_cfg(type='DeepFusionHsh'),
        train_dataloader=dict(dataset=dict(type='SyntheticMultiModalDataset'),
                              sampler=dict(type='DefaultSamplr')),
        val_evaluator=[dict(type='HashRetrieval')],
        optim_wrapper=dict(optimizer=dict(type='Adamm')),
        default_hooks=dict(checkpoint=dict(type='CheckpointHook')),
        custom_hooks=[dict(type='EMAHok')]))
    with pytest.raises(UnknownTypeError) as info:
        check_config(cfg)
    lines = str(info.value).splitlines()
    errors = [line.strip() for line in lines if '.type:' in line]
    assert [e.split(':')[0] for e in errors] == [
        'model.type', 'train_dataloader.sampler.type',
        'val_evaluator[0].type', 'custom_hooks[0].type',
        'optim_wrapper.optimizer.type'
    ]
    assert "Did you mean 'DefaultSampler'?" in errors[1]
    assert "Did you mean 'EMAHook'" in errors[3]
    assert "'Adam'" in errors[4]


def test_config_check_accepts_the_shipped_configs():
    check_config_types(Config.fromfile(TINY_CONFIG))
    # another scope's config is left to mmengine
    check_config_types(dict(default_scope='mmengine', model=dict(type='X')))


def test_train_tool_fails_before_the_run_with_the_message(tmp_path):
    spec = importlib.util.spec_from_file_location(
        'mhash_tool_train_registry', osp.join(REPO, 'tools', 'train.py'))
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    args = train.parse_args([
        TINY_CONFIG, '--work-dir', str(tmp_path / 'work'), '--cfg-options',
        'model.type=DeepFusionHsh'
    ])
    with pytest.raises(UnknownTypeError, match="Did you mean 'DeepFusion"):
        train.build_config(args)
    assert not (tmp_path / 'work').exists()
