# Copyright (c) mhash contributors. All rights reserved.
"""Catch misspelt config keys before a run starts."""
import difflib
import inspect
from typing import Iterable, List

from mmengine.config import Config

from .registry_errors import check_config_types

__all__ = ['check_config', 'ConfigKeyError', 'RUNNER_KEYS']

#: Top-level keys that ``Runner.from_cfg`` reads.
RUNNER_KEYS = frozenset({
    'model', 'work_dir', 'train_dataloader', 'val_dataloader',
    'test_dataloader', 'train_cfg', 'val_cfg', 'test_cfg', 'auto_scale_lr',
    'optim_wrapper', 'param_scheduler', 'val_evaluator', 'test_evaluator',
    'default_hooks', 'custom_hooks', 'data_preprocessor', 'load_from',
    'resume', 'launcher', 'env_cfg', 'log_processor', 'log_level',
    'visualizer', 'default_scope', 'randomness', 'experiment_name', 'cfg',
    'custom_imports', 'model_wrapper_cfg', 'compile', 'strategy'
})

#: Dict-valued top-level keys that are config variables, not Runner keys.
VARIABLE_KEYS = frozenset({'generator', 'dataset_meta'})


class ConfigKeyError(KeyError):
    """A config key that nothing reads."""

    def __str__(self) -> str:
        return str(self.args[0])


def _suggest(key: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(candidates), n=3, cutoff=0.6)
    return f' Did you mean {" or ".join(map(repr, close))}?' if close else ''


def _registries():
    from mhash import registry
    return [getattr(registry, name) for name in registry.__all__]


def _resolve(type_name):
    """The class or function registered under ``type_name``, if unique."""
    if not isinstance(type_name, str):
        return type_name if callable(type_name) else None
    found = []
    for reg in _registries():
        try:
            obj = reg.get(type_name)
        except Exception:  # a lazily imported location failed
            obj = None
        if obj is not None and obj not in found:
            found.append(obj)
    return found[0] if len(found) == 1 else None


def _accepted(obj) -> tuple:
    """Names ``obj`` accepts, and whether it takes ``**kwargs``."""
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        params = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return set(), True
    names = {p.name for p in params}
    var_kw = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params)
    return names, var_kw


def _walk(node, path: str, errors: List[str]) -> None:
    if isinstance(node, dict):
        obj = _resolve(node.get('type')) if 'type' in node else None
        if obj is not None:
            names, var_kw = _accepted(obj)
            if not var_kw:
                for key in node:
                    if key != 'type' and key not in names:
                        errors.append(
                            f'{path}.{key}: {getattr(obj, "__name__", obj)}'
                            f' has no argument "{key}".' +
                            _suggest(key, names - {'self'}))
        for key, value in node.items():
            _walk(value, f'{path}.{key}', errors)
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            _walk(value, f'{path}[{i}]', errors)


def check_config(cfg: Config) -> None:
    """Raise :class:`ConfigKeyError` for keys that nothing would read.

    An unknown ``type`` raises :class:`~mhash.utils.UnknownTypeError`
    first (:func:`~mhash.utils.check_config_types`). Then two kinds of
    mistakes are caught: a dict-valued top-level key that the
    Runner does not read (``train_cfgg = dict(...)``), and, anywhere in the
    config, a key of a ``dict(type=...)`` that the registered class or
    function does not accept (``model.num_bitz``). Config variables (plain
    values such as ``image_dim = 4096``, and any name starting with ``_``)
    are allowed at the top level.

    Args:
        cfg (Config): The merged config (after ``--cfg-options``).

    Examples:
        >>> from mmengine.config import Config
        >>> cfg = Config(dict(model=dict(type='DeepFusionHash', num_bitz=8)))
        >>> try:
        ...     check_config(cfg)
        ... except ConfigKeyError as error:
        ...     print(error)
        Unknown config keys:
          model.num_bitz: DeepFusionHash has no argument "num_bitz". ...
    """
    check_config_types(cfg)  # unknown `type`s first, with close names
    errors: List[str] = []
    allowed = RUNNER_KEYS | VARIABLE_KEYS
    for key, value in cfg.items():
        if key not in allowed and not key.startswith('_') and \
                isinstance(value, dict):
            errors.append(f'{key}: unknown top-level config key.' +
                          _suggest(key, allowed))
    for key in RUNNER_KEYS:
        if key in cfg:
            _walk(cfg[key], key, errors)
    if errors:
        raise ConfigKeyError('Unknown config keys:\n  ' + '\n  '.join(errors))
