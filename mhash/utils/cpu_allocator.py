# Copyright (c) mhash contributors. All rights reserved.
"""Opt-in: keep freed CPU tensor memory in the process (glibc malloc).

PyTorch's CPU tensors come from ``malloc``. glibc serves every block above
its *mmap threshold* (at most 32 MiB with its default dynamic threshold)
with a fresh ``mmap`` and returns it with ``munmap`` when the tensor is
freed, so a tensor of that size made every step is page-faulted and
zero-filled by the kernel again every step. Raising the mmap and trim
thresholds makes ``malloc`` keep such blocks in its heap for reuse.

Measured on the 2-core development VM with
``tools/analysis/benchmark_bsth.py`` (it prints both settings): the literal
reference BSTH, whose 128-bit training step makes 64 MiB tensors by the
hundred, trains 1.3-1.4x faster with it; mhash's BSTH, which keeps its
per-item activations small (``cpu_chunk_tokens``), gains 0-10 %.

The setting is per process, has no effect on GPU memory, and memory freed
by a run stays mapped to it (resident memory stays near the run's peak).
It is off by default (the base runtime config has no such key): a config
turns it on with ``env_cfg.cpu_allocator``, for example
``--cfg-options env_cfg.cpu_allocator.mmap_threshold=1073741824`` (missing
keys take :data:`TUNED_CPU_ALLOCATOR`'s values). ``tools/train.py``,
``tools/test.py`` and the benchmark runner apply it before building the
Runner.
"""
import ctypes
import ctypes.util
import logging
import sys
from typing import Optional

from mmengine.logging import print_log

__all__ = [
    'TUNED_CPU_ALLOCATOR', 'apply_cpu_allocator_cfg', 'tune_cpu_allocator'
]

#: ``mallopt`` parameter numbers (glibc ``malloc.h``).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_INT_MAX = 2**31 - 1

#: A setting for ``env_cfg.cpu_allocator``: blocks below 1 GiB are served
#: from (and returned to) the heap, and up to 1 GiB of free memory at its
#: top is kept.
TUNED_CPU_ALLOCATOR = dict(mmap_threshold=1 << 30, trim_threshold=1 << 30)


def _glibc() -> Optional[ctypes.CDLL]:
    """The C library if it is glibc (has ``mallopt``), else ``None``."""
    if not sys.platform.startswith('linux'):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6')
    except OSError:
        return None
    if not (hasattr(libc, 'gnu_get_libc_version')
            and hasattr(libc, 'mallopt')):
        return None  # e.g. musl
    return libc


def _check_bytes(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not (
            0 <= value <= _INT_MAX):
        raise ValueError(
            f'cpu_allocator.{name} must be an int number of bytes in '
            f'[0, {_INT_MAX}], got {value!r}')
    return value


def tune_cpu_allocator(mmap_threshold: int = 1 << 30,
                       trim_threshold: int = 1 << 30) -> bool:
    """Set glibc's mmap and trim thresholds for this process.

    Args:
        mmap_threshold (int): Blocks of at least this many bytes get their
            own ``mmap``; smaller ones come from the reusable heap.
            Defaults to 1 GiB.
        trim_threshold (int): Free memory at the top of the heap beyond
            this many bytes is returned to the system. Defaults to 1 GiB.

    Returns:
        bool: True if both were set; False where the C library is not
        glibc (nothing changes, a warning is logged).

    Raises:
        ValueError: A value that is not an int in ``[0, 2**31 - 1]``.

    Examples:
        >>> tune_cpu_allocator(mmap_threshold=-1)
        Traceback (most recent call last):
        ...
        ValueError: cpu_allocator.mmap_threshold must be an int number of \
bytes in [0, 2147483647], got -1
    """
    mmap_threshold = _check_bytes('mmap_threshold', mmap_threshold)
    trim_threshold = _check_bytes('trim_threshold', trim_threshold)
    libc = _glibc()
    if libc is None:
        print_log(
            'cpu_allocator: the C library is not glibc; keeping its default '
            'malloc settings', 'current', logging.WARNING)
        return False
    done = (libc.mallopt(_M_MMAP_THRESHOLD, ctypes.c_int(mmap_threshold)) ==
            1 and libc.mallopt(_M_TRIM_THRESHOLD,
                               ctypes.c_int(trim_threshold)) == 1)
    if not done:
        print_log(
            f'cpu_allocator: glibc refused mmap_threshold={mmap_threshold} '
            f'or trim_threshold={trim_threshold}', 'current',
            logging.WARNING)
    return done


def apply_cpu_allocator_cfg(cfg) -> bool:
    """Apply a config's ``env_cfg.cpu_allocator`` (``None``: do nothing).

    Missing keys take :data:`TUNED_CPU_ALLOCATOR`'s values.

    Args:
        cfg (dict or Config): The run config.

    Returns:
        bool: True if the allocator settings were applied.

    Raises:
        ValueError: ``cpu_allocator`` is not a dict or ``None``, has a key
            other than ``mmap_threshold`` / ``trim_threshold``, or a bad
            value.

    Examples:
        >>> apply_cpu_allocator_cfg(dict(env_cfg=dict(cpu_allocator=None)))
        False
        >>> apply_cpu_allocator_cfg(
        ...     dict(env_cfg=dict(cpu_allocator=dict(mmap_treshold=1))))
        Traceback (most recent call last):
        ...
        ValueError: env_cfg.cpu_allocator: unknown key 'mmap_treshold'; \
expected mmap_threshold, trim_threshold
    """
    settings = (cfg.get('env_cfg') or {}).get('cpu_allocator')
    if settings is None:
        return False
    if not isinstance(settings, dict):
        raise ValueError('env_cfg.cpu_allocator must be a dict with '
                         'mmap_threshold and/or trim_threshold, or None; '
                         f'got {settings!r}')
    for key in settings:
        if key not in TUNED_CPU_ALLOCATOR:
            raise ValueError(
                f'env_cfg.cpu_allocator: unknown key {key!r}; expected '
                f'{", ".join(TUNED_CPU_ALLOCATOR)}')
    return tune_cpu_allocator(**{**TUNED_CPU_ALLOCATOR, **settings})
