# Copyright (c) mhash contributors. All rights reserved.
"""mhash registries.

Every registry is a child of the mmengine registry of the same kind, so a
config with ``default_scope='mhash'`` finds mhash's own modules first and
falls back to mmengine's. ``locations`` lists the packages imported lazily
the first time a registry is asked to build something. Each registry builds
with its mmengine parent's build function, wrapped so that an unknown
``type`` lists the registered names and the closest matches.
"""
from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import \
    OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import \
    RUNNER_CONSTRUCTORS as MMENGINE_RUNNER_CONSTRUCTORS
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import \
    WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS
from mmengine.registry import Registry

from mhash.utils.registry_errors import with_type_hints

__all__ = [
    'RUNNERS', 'RUNNER_CONSTRUCTORS', 'LOOPS', 'HOOKS', 'LOG_PROCESSORS',
    'OPTIMIZERS', 'OPTIM_WRAPPERS', 'OPTIM_WRAPPER_CONSTRUCTORS',
    'PARAM_SCHEDULERS', 'DATASETS', 'DATA_SAMPLERS', 'TRANSFORMS', 'MODELS',
    'MODEL_WRAPPERS', 'WEIGHT_INITIALIZERS', 'METRICS', 'EVALUATOR',
    'VISUALIZERS', 'VISBACKENDS', 'FUNCTIONS'
]

# Runners that drive training, validation and testing.
RUNNERS = Registry(
    'runner', parent=MMENGINE_RUNNERS, locations=['mhash.engine'])
# Constructors that build runners from configs.
RUNNER_CONSTRUCTORS = Registry(
    'runner constructor',
    parent=MMENGINE_RUNNER_CONSTRUCTORS,
    locations=['mhash.engine'])
# Loops: retrieval evaluation, shallow fitting and method-specific phases.
LOOPS = Registry(
    'loop', parent=MMENGINE_LOOPS, locations=['mhash.engine', 'mhash.methods'])
# Hooks that act at fixed points of a run.
HOOKS = Registry(
    'hook', parent=MMENGINE_HOOKS, locations=['mhash.engine', 'mhash.methods'])
# Log processors that format what a run logs.
LOG_PROCESSORS = Registry(
    'log processor',
    parent=MMENGINE_LOG_PROCESSORS,
    locations=['mhash.engine'])
# Optimizers (torch's are found through the parent).
OPTIMIZERS = Registry(
    'optimizer', parent=MMENGINE_OPTIMIZERS, locations=['mhash.engine'])
# Optimizer wrappers (gradient clipping, AMP, accumulation).
OPTIM_WRAPPERS = Registry(
    'optim_wrapper',
    parent=MMENGINE_OPTIM_WRAPPERS,
    locations=['mhash.engine'])
# Constructors that build one or several optimizer wrappers for a model.
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor',
    parent=MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
    locations=['mhash.engine', 'mhash.methods'])
# Learning-rate and momentum schedulers.
PARAM_SCHEDULERS = Registry(
    'parameter scheduler',
    parent=MMENGINE_PARAM_SCHEDULERS,
    locations=['mhash.engine'])
# Multi-modal hashing data sets.
DATASETS = Registry(
    'dataset', parent=MMENGINE_DATASETS, locations=['mhash.datasets'])
# Samplers of data set indices.
DATA_SAMPLERS = Registry(
    'data sampler',
    parent=MMENGINE_DATA_SAMPLERS,
    locations=['mhash.datasets'])
# Per-item transforms (kept for config compatibility; items are arrays).
TRANSFORMS = Registry(
    'transform', parent=MMENGINE_TRANSFORMS, locations=['mhash.datasets'])
# Hashing methods and their sub-modules.
MODELS = Registry('model', parent=MMENGINE_MODELS, locations=['mhash.methods'])
# Model wrappers for distributed training.
MODEL_WRAPPERS = Registry(
    'model_wrapper',
    parent=MMENGINE_MODEL_WRAPPERS,
    locations=['mhash.engine'])
# Weight initialisers.
WEIGHT_INITIALIZERS = Registry(
    'weight initializer',
    parent=MMENGINE_WEIGHT_INITIALIZERS,
    locations=['mhash.methods'])
# Retrieval metrics.
METRICS = Registry(
    'metric', parent=MMENGINE_METRICS, locations=['mhash.evaluation'])
# Evaluators that hold several metrics.
EVALUATOR = Registry(
    'evaluator', parent=MMENGINE_EVALUATOR, locations=['mhash.evaluation'])
# Visualizers.
VISUALIZERS = Registry(
    'visualizer', parent=MMENGINE_VISUALIZERS, locations=['mhash.engine'])
# Visualization back ends (local files, TensorBoard, ...).
VISBACKENDS = Registry(
    'vis_backend', parent=MMENGINE_VISBACKENDS, locations=['mhash.engine'])
# Plain functions built from configs, such as collate functions.
FUNCTIONS = Registry(
    'function', parent=MMENGINE_FUNCTIONS, locations=['mhash.datasets'])

# mmengine's build functions, except that an unknown `type` names the
# registered types and the closest matches (mhash.utils.registry_errors).
for _registry in (globals()[_name] for _name in __all__):
    _registry.build_func = with_type_hints(_registry.build_func)
