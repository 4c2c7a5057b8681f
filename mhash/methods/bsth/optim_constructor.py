# Copyright (c) mhash contributors. All rights reserved.
"""One optimizer wrapper per named sub-module (e.g. BSTH's two stages)."""
from mmengine.model import is_model_wrapper
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict

from mhash.registry import OPTIM_WRAPPER_CONSTRUCTORS

__all__ = ['SubmoduleOptimWrapperConstructor']

SHARED_WRAPPER_KEYS = ('type', 'loss_scale', 'dtype', 'clip_grad',
                       'accumulative_counts')


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class SubmoduleOptimWrapperConstructor:
    """Build an ``OptimWrapperDict`` with one wrapper per sub-module.

    Each key of ``optim_wrapper_cfg`` names an attribute of the model (a
    sub-module); its value is an ordinary optimizer-wrapper config, built by
    mmengine's ``DefaultOptimWrapperConstructor`` over that sub-module's
    parameters only. BSTH uses it for its two stages, each with its own
    Adam:

    .. code-block:: python

        optim_wrapper = dict(
            constructor='SubmoduleOptimWrapperConstructor',
            hash_encoder=dict(optimizer=dict(type='Adam', lr=1e-3)),
            label_prototypes=dict(optimizer=dict(type='Adam', lr=1e-3)))

    Top-level wrapper settings (``type``, ``loss_scale``, ``dtype``,
    ``clip_grad``, ``accumulative_counts``) are defaults for every
    sub-module's wrapper, so ``tools/train.py --amp`` (which sets
    ``optim_wrapper.type='AmpOptimWrapper'``) applies to both.

    Args:
        optim_wrapper_cfg (dict): ``{submodule_name: wrapper_cfg}`` plus
            optional shared wrapper settings.
        paramwise_cfg (dict, optional): Not supported at this level; put
            ``paramwise_cfg`` inside each wrapper config.

    Examples:
        >>> import torch
        >>> model = torch.nn.ModuleDict(dict(a=torch.nn.Linear(2, 2),
        ...                                  b=torch.nn.Linear(2, 1)))
        >>> build = SubmoduleOptimWrapperConstructor(dict(
        ...     a=dict(optimizer=dict(type='SGD', lr=0.1)),
        ...     b=dict(optimizer=dict(type='Adam', lr=0.01))))
        >>> sorted(build(model).keys())
        ['a', 'b']
    """

    def __init__(self, optim_wrapper_cfg: dict, paramwise_cfg=None):
        if paramwise_cfg is not None:
            raise ValueError(
                'SubmoduleOptimWrapperConstructor: give paramwise_cfg inside '
                'each sub-module\'s wrapper config, not at the top level')
        if not isinstance(optim_wrapper_cfg, dict) or not optim_wrapper_cfg:
            raise ValueError(
                'SubmoduleOptimWrapperConstructor: optim_wrapper must map '
                'sub-module names to wrapper configs, got '
                f'{optim_wrapper_cfg!r}')
        cfg = dict(optim_wrapper_cfg)
        self.shared = {
            key: cfg.pop(key)
            for key in SHARED_WRAPPER_KEYS if key in cfg
        }
        self.optim_wrapper_cfg = cfg

    def __call__(self, model) -> OptimWrapperDict:
        if is_model_wrapper(model):
            model = model.module
        wrappers = {}
        for name, cfg in self.optim_wrapper_cfg.items():
            submodule = getattr(model, name, None)
            if submodule is None:
                raise KeyError(
                    f'SubmoduleOptimWrapperConstructor: the model '
                    f'{type(model).__name__} has no sub-module "{name}" '
                    '(keys of optim_wrapper must be sub-module names)')
            cfg = {**self.shared, **cfg}
            cfg.setdefault('type', 'OptimWrapper')
            paramwise = cfg.pop('paramwise_cfg', None)
            wrappers[name] = DefaultOptimWrapperConstructor(
                cfg, paramwise)(submodule)
        return OptimWrapperDict(**wrappers)
