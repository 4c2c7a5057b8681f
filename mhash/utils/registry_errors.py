# Copyright (c) mhash contributors. All rights reserved.
"""Clear errors for a config ``type`` that no registry knows.

mmengine answers an unknown ``type`` with "X is not in the mhash::model
registry". mhash says instead which names *are* registered there and which
of them are closest to the misspelt one. Two entry points share the
message:

- :func:`with_type_hints` wraps a registry's build function; every mhash
  registry uses it, so ``MODELS.build(dict(type='DeepFusionHsh'))`` fails
  clearly.
- :func:`check_config_types` checks the slots of a whole config that the
  Runner builds from registries (``model``, ``*_dataloader.dataset``,
  ``*_evaluator``, ``*_cfg``, hooks, optimizers, ...). The Runner builds
  through mmengine's root registries, which never call the mhash build
  functions, so ``tools/train.py`` and ``tools/test.py`` run this check
  (through :func:`~mhash.utils.check_config`) before building anything.
"""
import difflib
import functools
from typing import Callable, Iterator, List, Optional, Tuple

__all__ = [
    'UnknownTypeError', 'describe_unknown_type', 'with_type_hints',
    'check_config_types'
]

#: How many inherited (mmengine) names a message lists before "... more".
MAX_INHERITED_LISTED = 25

IMPORT_HINT = ('Code outside the mhash package registers its types only '
               "once imported: list its module in the config's "
               'custom_imports (see docs/adding_a_method.md).')


class UnknownTypeError(KeyError):
    """A config ``type`` that is not registered (a :class:`KeyError`)."""

    def __str__(self) -> str:
        return str(self.args[0])


def _names(registry) -> Tuple[List[str], List[Tuple[str, List[str]]]]:
    """Own names of ``registry`` and, per ancestor, its inherited names."""
    registry.import_from_location()
    own = sorted(registry.module_dict)
    inherited = []
    parent = registry.parent
    while parent is not None:
        parent.import_from_location()
        names = sorted(set(parent.module_dict) - set(own))
        if names:
            inherited.append((f'{parent.scope}::{parent.name}', names))
        parent = parent.parent
    return own, inherited


def _closest(name: str, candidates: List[str]) -> List[str]:
    """Up to three candidates closest to ``name``, ignoring case."""
    by_lower = {}
    for candidate in candidates:
        by_lower.setdefault(candidate.lower(), candidate)
    matches = difflib.get_close_matches(
        name.lower(), list(by_lower), n=3, cutoff=0.6)
    return [by_lower[match] for match in matches]


def describe_unknown_type(name: str, registry, where: str = '') -> str:
    """The message for ``name`` missing from ``registry``.

    Args:
        name (str): The unknown ``type``.
        registry (Registry): Where it was looked up.
        where (str): The config key that holds it (``'model.type'``).

    Returns:
        str: Message with the closest names and the registered ones.

    Examples:
        >>> from mhash.registry import METRICS
        >>> message = describe_unknown_type('HashRetrivalMetric', METRICS)
        >>> print(message.splitlines()[0])
        'HashRetrivalMetric' is not registered in mhash::metric. Did you \
mean 'HashRetrievalMetric'?
    """
    own, inherited = _names(registry)
    everything = own + [n for _, names in inherited for n in names]
    close = _closest(name, everything)
    prefix = f'{where}: ' if where else ''
    lines = [f'{prefix}{name!r} is not registered in '
             f'{registry.scope}::{registry.name}.']
    if close:
        lines[0] += f' Did you mean {" or ".join(map(repr, close))}?'
    else:
        lines[0] += ' No registered name is close to it.'
    lines.append(f'Registered in {registry.scope}::{registry.name}: '
                 f'{", ".join(own) if own else "(none)"}.')
    for scope_name, names in inherited:
        shown = names[:MAX_INHERITED_LISTED]
        more = len(names) - len(shown)
        lines.append(f'Inherited from {scope_name}: {", ".join(shown)}' +
                     (f', ... ({more} more).' if more else '.'))
    return '\n  '.join(lines)


def _lookup(registry, name: str, scope: Optional[str]) -> bool:
    """Whether ``name`` resolves as mmengine's build functions would."""
    try:
        with registry.switch_scope_and_registry(scope) as target:
            return target.get(name) is not None
    except Exception:  # an odd dotted name: leave it to mmengine
        return True


def _registered(registry, name: str) -> bool:
    """Whether ``registry`` (or a parent) knows ``name``."""
    try:
        return registry.get(name) is not None
    except Exception:  # an odd dotted name: leave it to mmengine
        return True


def _check_built_type(cfg, registry, default_args) -> None:
    if isinstance(cfg, (list, tuple)):  # MODELS builds a Sequential
        for item in cfg:
            _check_built_type(item, registry, default_args)
        return
    if not isinstance(cfg, dict):
        return
    obj_type = cfg.get('type', (default_args or {}).get('type'))
    if isinstance(obj_type, str) and not _lookup(
            registry, obj_type, cfg.get('_scope_')):
        raise UnknownTypeError(
            describe_unknown_type(obj_type, registry) + '\n' + IMPORT_HINT)


def with_type_hints(build_func: Callable) -> Callable:
    """Wrap a registry build function so unknown types fail clearly.

    Everything else (scopes, ``default_args``, lists of models, runners) is
    left to ``build_func``.

    Args:
        build_func (callable): The build function to wrap, typically the
            parent mmengine registry's.

    Returns:
        callable: A build function for ``Registry(build_func=...)``.
    """

    @functools.wraps(build_func)
    def build(cfg, *args, registry, **kwargs):
        default_args = kwargs.get('default_args', args[0] if args else None)
        if not isinstance(default_args, dict):
            default_args = None
        _check_built_type(cfg, registry, default_args)
        return build_func(cfg, *args, registry=registry, **kwargs)

    build.type_hints = True
    return build


def _slots(cfg) -> Iterator[Tuple[str, object, str]]:
    """``(key, config node, registry name)`` the Runner builds from."""
    model = cfg.get('model')
    yield 'model', model, 'MODELS'
    if isinstance(model, dict):
        yield 'model.data_preprocessor', model.get(
            'data_preprocessor'), 'MODELS'
    for split in ('train', 'val', 'test'):
        loader = cfg.get(f'{split}_dataloader')
        if isinstance(loader, dict):
            key = f'{split}_dataloader'
            yield f'{key}.dataset', loader.get('dataset'), 'DATASETS'
            for name in ('sampler', 'batch_sampler'):
                yield f'{key}.{name}', loader.get(name), 'DATA_SAMPLERS'
            yield f'{key}.collate_fn', loader.get('collate_fn'), 'FUNCTIONS'
        yield f'{split}_cfg', cfg.get(f'{split}_cfg'), 'LOOPS'
    for split in ('val', 'test'):
        evaluator = cfg.get(f'{split}_evaluator')
        key = f'{split}_evaluator'
        if isinstance(evaluator, dict) and 'metrics' in evaluator:
            yield key, evaluator, 'EVALUATOR'
            yield f'{key}.metrics', evaluator['metrics'], 'METRICS'
        else:
            yield key, evaluator, 'METRICS'
    hooks = cfg.get('default_hooks')
    if isinstance(hooks, dict):
        for name, hook in hooks.items():
            yield f'default_hooks.{name}', hook, 'HOOKS'
    yield 'custom_hooks', cfg.get('custom_hooks'), 'HOOKS'
    yield from _optim_slots(cfg.get('optim_wrapper'), 'optim_wrapper')
    yield 'param_scheduler', cfg.get('param_scheduler'), 'PARAM_SCHEDULERS'
    visualizer = cfg.get('visualizer')
    yield 'visualizer', visualizer, 'VISUALIZERS'
    if isinstance(visualizer, dict):
        yield ('visualizer.vis_backends', visualizer.get('vis_backends'),
               'VISBACKENDS')
    yield 'log_processor', cfg.get('log_processor'), 'LOG_PROCESSORS'
    yield 'model_wrapper_cfg', cfg.get('model_wrapper_cfg'), 'MODEL_WRAPPERS'


def _optim_slots(node, key: str) -> Iterator[Tuple[str, object, str]]:
    if not isinstance(node, dict):
        return
    if isinstance(node.get('constructor'), str):
        yield (f'{key}.constructor', dict(type=node['constructor']),
               'OPTIM_WRAPPER_CONSTRUCTORS')
    if 'optimizer' in node:  # one wrapper
        yield key, node, 'OPTIM_WRAPPERS'
        yield f'{key}.optimizer', node['optimizer'], 'OPTIMIZERS'
    else:  # one wrapper per sub-module
        for name, value in node.items():
            if isinstance(value, dict) and 'optimizer' in value:
                yield from _optim_slots(value, f'{key}.{name}')


def _typed_nodes(node, key: str) -> Iterator[Tuple[str, dict]]:
    """Dicts with a ``type`` in ``node`` (a dict, a list, or a dict of
    lists such as per-wrapper parameter schedulers)."""
    if isinstance(node, (list, tuple)):
        for i, item in enumerate(node):
            yield from _typed_nodes(item, f'{key}[{i}]')
    elif isinstance(node, dict):
        if 'type' in node:
            yield key, node
        elif all(isinstance(v, (list, tuple)) for v in node.values()):
            for name, value in node.items():
                yield from _typed_nodes(value, f'{key}.{name}')


def check_config_types(cfg) -> None:
    """Raise :class:`UnknownTypeError` for unknown types in a config.

    Only the slots that the Runner builds from a registry are checked, each
    against its mhash registry (with the mmengine parents). Configs whose
    ``default_scope`` is not ``'mhash'``, and nodes with their own
    ``_scope_``, are left to mmengine.

    Args:
        cfg (Config or dict): A merged config, after ``custom_imports``
            were imported (``Config.fromfile`` does that).

    Examples:
        >>> cfg = dict(model=dict(type='DeepFusionHsh', num_bits=8))
        >>> try:
        ...     check_config_types(cfg)
        ... except UnknownTypeError as error:
        ...     print(str(error).splitlines()[1])
          model.type: 'DeepFusionHsh' is not registered in mhash::model. \
Did you mean 'DeepFusionHash'?
    """
    from mhash import registry as registries
    if cfg.get('default_scope', 'mhash') != 'mhash':
        return
    errors = []
    for key, node, registry_name in _slots(cfg):
        registry = getattr(registries, registry_name)
        for where, typed in _typed_nodes(node, key):
            name = typed['type']
            if isinstance(name, str) and '_scope_' not in typed and \
                    not _registered(registry, name):
                message = describe_unknown_type(name, registry,
                                                f'{where}.type')
                errors.append(message.replace('\n', '\n  '))
    if errors:
        raise UnknownTypeError('Unknown types in the config:\n  ' +
                               '\n  '.join(errors) + '\n' + IMPORT_HINT)
