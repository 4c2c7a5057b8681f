# Copyright (c) mhash contributors. All rights reserved.
"""Benchmark grid specification: methods x data sets x bit lengths x seeds.

A spec is a small file read by mmengine's ``Config.fromfile`` (``.py``,
``.json`` or ``.yaml``) with these top-level keys::

    methods = dict(                   # row order of the tables
        DeepFusionHash=dict(
            # path template; {dataset} and {bits} are filled in per cell.
            # A dict {dataset_key: path} is accepted too.
            config='configs/baselines/deep_fusion/'
                   'deep_fusion_{dataset}_32bit.py',
            cfg_options={'train_cfg.max_epochs': 20},   # optional
            published_name='DeepFusionHash',  # optional, row of published
            datasets=None, bits=None),        # optional subsets
    )
    datasets = {                      # column groups, in order
        'synthetic': dict(name='Synthetic default'),
        'flickr': dict(name='MIR Flickr', published='MIR Flickr',
                       cfg_options={}),
    }
    bits = [16, 32, 64, 128]
    seeds = [0, 1, 2]
    cfg_options = {}                  # optional, for every cell
    bits_key = 'model.num_bits'       # optional, where the bits go
    seed_keys = ['randomness.seed']   # optional, where the seed goes
    missing_configs = 'error'         # or 'skip': leave out (and list)
                                      # cells whose config does not exist

Values of ``cfg_options`` may use the placeholders ``{dataset}``,
``{bits}`` and ``{seed}``; a value that is exactly ``'{bits}'`` or
``'{seed}'`` becomes the integer. Relative config paths are looked up from
the current folder, then from the project root. Top-level names starting
with ``_`` are helpers of a Python spec and are ignored. Options are
applied in this order: spec ``cfg_options``, data set, method, then the
bits and seed keys.
"""
import hashlib
import json
import os.path as osp
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

__all__ = ['BenchmarkCell', 'BenchmarkSpec', 'load_benchmark_spec',
           'parse_benchmark_spec', 'MissingConfigError', 'PROJECT_ROOT']

#: The folder holding ``configs/`` and ``tools/`` of this checkout.
PROJECT_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

_TOP_KEYS = {'methods', 'datasets', 'bits', 'seeds', 'cfg_options',
             'bits_key', 'seed_keys', 'missing_configs'}
_METHOD_KEYS = {'config', 'cfg_options', 'published_name', 'datasets',
                'bits'}
_DATASET_KEYS = {'name', 'published', 'cfg_options'}


class MissingConfigError(FileNotFoundError):
    """The config of a cell does not exist; ``reason`` says it briefly."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class BenchmarkCell:
    """One training + test run of the grid.

    Attributes:
        method (str): Method key of the spec (table row).
        dataset (str): Data set key of the spec.
        bits (int): Code length.
        seed (int): Random seed.
        config (str): Resolved path of the method's config for the cell.
        cfg_options (dict): Every override of the cell, in order.
    """
    method: str
    dataset: str
    bits: int
    seed: int
    config: str
    cfg_options: Dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def key(self) -> tuple:
        """``(method, dataset, bits, seed)``: what identifies the cell."""
        return (self.method, self.dataset, self.bits, self.seed)

    @property
    def cell_id(self) -> str:
        """A file-name friendly identifier, unique within a grid."""
        return (f'{self.method}__{self.dataset}__{self.bits}bit'
                f'__seed{self.seed}')

    @property
    def settings_hash(self) -> str:
        """Short hash of the config path and overrides (detects edits)."""
        text = json.dumps([osp.relpath(self.config, PROJECT_ROOT),
                           self.cfg_options], sort_keys=True, default=str)
        return hashlib.sha1(text.encode()).hexdigest()[:12]


@dataclass
class BenchmarkSpec:
    """A parsed grid spec; see the module docstring for the file format."""
    methods: Dict[str, dict]
    datasets: Dict[str, dict]
    bits: List[int]
    seeds: List[int]
    cfg_options: Dict[str, Any]
    bits_key: str = 'model.num_bits'
    seed_keys: List[str] = field(default_factory=lambda: ['randomness.seed'])
    missing_configs: str = 'error'
    source: Optional[str] = None
    #: ``(method, dataset, bits, reason)`` of the cells left out by
    #: ``missing_configs='skip'`` (filled by :meth:`cells`).
    skipped: List[tuple] = field(default_factory=list)
    #: The whole spec before :meth:`restrict` (what the grid saves).
    unrestricted: Optional[dict] = None

    def restrict(self, methods=None, datasets=None, bits=None,
                 seeds=None) -> None:
        """Keep only the given methods / data sets / bits / seeds.

        Raises:
            ValueError: If a value is not in the spec.
        """
        if self.unrestricted is None:
            self.unrestricted = self.to_dict()
        for name, wanted in (('methods', methods), ('datasets', datasets),
                             ('bits', bits), ('seeds', seeds)):
            if wanted is None:
                continue
            current = getattr(self, name)
            unknown = [w for w in wanted if w not in current]
            if unknown:
                raise ValueError(f'{name} {unknown} are not in the spec '
                                 f'{self.source}; it has {list(current)}')
            if isinstance(current, dict):
                setattr(self, name, {k: v for k, v in current.items()
                                     if k in wanted})
            else:
                setattr(self, name, [v for v in current if v in wanted])

    def dataset_name(self, dataset: str) -> str:
        """Display name of a data set key."""
        return self.datasets.get(dataset, {}).get('name', dataset)

    def to_dict(self) -> dict:
        """JSON-friendly copy (saved beside the results store)."""
        return dict(methods=self.methods, datasets=self.datasets,
                    bits=self.bits, seeds=self.seeds,
                    cfg_options=self.cfg_options, bits_key=self.bits_key,
                    seed_keys=self.seed_keys,
                    missing_configs=self.missing_configs, source=self.source)

    def cells(self) -> List[BenchmarkCell]:
        """Every cell, ordered data set, bits, method, seed.

        Raises:
            MissingConfigError: If the config of some cell does not exist
                (all are checked before anything runs), unless the spec
                says ``missing_configs='skip'``; then such cells are left
                out and listed in :attr:`skipped`.
        """
        cells = []
        self.skipped = []
        for dataset in self.datasets:
            for bits in self.bits:
                for method, entry in self.methods.items():
                    if entry.get('datasets') is not None and \
                            dataset not in entry['datasets']:
                        continue
                    if entry.get('bits') is not None and \
                            bits not in entry['bits']:
                        continue
                    try:
                        cells += [self._cell(method, dataset, bits, seed)
                                  for seed in self.seeds]
                    except MissingConfigError as error:
                        if self.missing_configs != 'skip':
                            raise
                        self.skipped.append((method, dataset, bits,
                                             error.reason))
        return cells

    def _cell(self, method, dataset, bits, seed) -> BenchmarkCell:
        entry = self.methods[method]
        values = dict(dataset=dataset, bits=bits, seed=seed)
        template = entry['config']
        if isinstance(template, dict):
            if dataset not in template:
                raise MissingConfigError(
                    f'spec {self.source}: method "{method}" has no config '
                    f'for data set "{dataset}" (its config dict has '
                    f'{sorted(template)})', f'no config for "{dataset}"')
            template = template[dataset]
        config = resolve_path(template.format(**values))
        if not osp.isfile(config):
            raise MissingConfigError(
                f'spec {self.source}: the config of method "{method}" for '
                f'data set "{dataset}", {bits} bits is "{config}", which '
                'does not exist. Fix `config`, or restrict the method with '
                '`datasets=[...]` / `bits=[...]`.',
                f'{osp.relpath(config, PROJECT_ROOT)} does not exist')
        options: Dict[str, Any] = {}
        for source in (self.cfg_options,
                       self.datasets[dataset].get('cfg_options') or {},
                       entry.get('cfg_options') or {}):
            for key, value in source.items():
                options[key] = _fill(value, values)
        options[self.bits_key] = bits
        for key in self.seed_keys:
            options[key] = seed
        return BenchmarkCell(method, dataset, bits, seed, config, options)


def _fill(value, values: dict):
    """Substitute ``{dataset}``, ``{bits}``, ``{seed}`` in option values."""
    if isinstance(value, str):
        if value in ('{bits}', '{seed}'):
            return values[value[1:-1]]
        return value.format(**values) if '{' in value else value
    if isinstance(value, (list, tuple)):
        return type(value)(_fill(item, values) for item in value)
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    return value


def resolve_path(path: str) -> str:
    """A relative path from the current folder, else from the project."""
    if osp.isabs(path) or osp.exists(path):
        return osp.abspath(path)
    candidate = osp.join(PROJECT_ROOT, path)
    return candidate if osp.exists(candidate) else osp.abspath(path)


def _int_list(spec_path, name, value) -> List[int]:
    if isinstance(value, int):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ValueError(f'spec {spec_path}: `{name}` must be a non-empty '
                         f'list of ints; got {value!r}')
    if len(set(value)) != len(value):
        raise ValueError(f'spec {spec_path}: `{name}` repeats a value: '
                         f'{list(value)}')
    return [int(v) for v in value]


def _check_keys(spec_path, where, entry, allowed):
    if not isinstance(entry, dict):
        raise ValueError(f'spec {spec_path}: {where} must be a dict; got '
                         f'{entry!r}')
    unknown = set(entry) - allowed
    if unknown:
        raise ValueError(f'spec {spec_path}: {where} has unknown keys '
                         f'{sorted(unknown)}; allowed: {sorted(allowed)}')


def parse_benchmark_spec(content: dict,
                         source: Optional[str] = None) -> BenchmarkSpec:
    """Check a spec given as a dict and return it parsed.

    Args:
        content (dict): The spec (see the module docstring).
        source (str, optional): Where it came from, for error messages.

    Returns:
        BenchmarkSpec: The spec.

    Examples:
        >>> spec = parse_benchmark_spec(dict(
        ...     methods=dict(LSH=dict(config='configs/baselines/lsh/'
        ...                           'lsh_{dataset}_16bit.py')),
        ...     datasets={'synthetic-tiny': dict(name='tiny')},
        ...     bits=[8, 16], seeds=[0]))
        >>> [cell.cell_id for cell in spec.cells()][-1]
        'LSH__synthetic-tiny__16bit__seed0'
    """
    source = source or '<dict>'
    # Names starting with "_" are helpers of a Python spec file.
    content = {k: v for k, v in content.items() if not k.startswith('_')}
    _check_keys(source, 'the top level', content, _TOP_KEYS)
    for required in ('methods', 'datasets', 'bits'):
        if not content.get(required):
            raise ValueError(f'spec {source}: `{required}` is missing or '
                             'empty')
    methods = {str(k): dict(v) if isinstance(v, dict) else v
               for k, v in content['methods'].items()}
    for name, entry in methods.items():
        _check_keys(source, f'method "{name}"', entry, _METHOD_KEYS)
        if 'config' not in entry:
            raise ValueError(f'spec {source}: method "{name}" needs a '
                             '`config` (path template or {dataset: path})')
    datasets = {str(k): dict(v or {}) for k, v in
                content['datasets'].items()}
    for name, entry in datasets.items():
        _check_keys(source, f'data set "{name}"', entry, _DATASET_KEYS)
        if '__' in name:
            raise ValueError(f'spec {source}: data set key "{name}" must not '
                             'contain "__" (used in cell identifiers)')
    for name in methods:
        if '__' in name:
            raise ValueError(f'spec {source}: method key "{name}" must not '
                             'contain "__" (used in cell identifiers)')
    seed_keys = content.get('seed_keys', ['randomness.seed'])
    if isinstance(seed_keys, str):
        seed_keys = [seed_keys]
    return BenchmarkSpec(
        methods=methods,
        datasets=datasets,
        bits=_int_list(source, 'bits', content['bits']),
        seeds=_int_list(source, 'seeds', content.get('seeds', [0])),
        cfg_options=dict(content.get('cfg_options') or {}),
        bits_key=content.get('bits_key', 'model.num_bits'),
        seed_keys=list(seed_keys),
        missing_configs=_missing_policy(source, content),
        source=source)


def _missing_policy(source, content) -> str:
    policy = content.get('missing_configs', 'error')
    if policy not in ('error', 'skip'):
        raise ValueError(f'spec {source}: `missing_configs` must be "error" '
                         f'or "skip"; got {policy!r}')
    return policy


def load_benchmark_spec(path: str) -> BenchmarkSpec:
    """Read a spec file (``.py``, ``.json`` or ``.yaml``) and parse it.

    Args:
        path (str): The spec file.

    Returns:
        BenchmarkSpec: The spec.
    """
    from mmengine.config import Config
    path = resolve_path(path)
    if not osp.isfile(path):
        raise FileNotFoundError(f'benchmark spec "{path}" does not exist')
    content = Config.fromfile(path).to_dict()
    return parse_benchmark_spec(content, source=path)
