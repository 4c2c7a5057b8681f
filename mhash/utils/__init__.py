# Copyright (c) mhash contributors. All rights reserved.
from .config_check import ConfigKeyError, check_config
from .cpu_allocator import TUNED_CPU_ALLOCATOR, tune_cpu_allocator
from .cpu_distributed import prepare_cpu_distributed
from .registry_errors import (UnknownTypeError, check_config_types,
                              describe_unknown_type)
from .run_config import format_metrics, load_run_config
from .setup_env import register_all_modules

__all__ = [
    'register_all_modules', 'check_config', 'ConfigKeyError',
    'UnknownTypeError', 'check_config_types', 'describe_unknown_type',
    'prepare_cpu_distributed', 'load_run_config', 'format_metrics',
    'TUNED_CPU_ALLOCATOR', 'tune_cpu_allocator'
]
