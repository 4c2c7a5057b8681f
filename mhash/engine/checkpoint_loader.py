# Copyright (c) mhash contributors. All rights reserved.
"""Loading local checkpoints with torch >= 2.6.

torch 2.6 made ``torch.load(weights_only=True)`` the default, and mmengine
0.10.7 calls ``torch.load`` without the argument, so its own checkpoints
(which hold NumPy arrays and ``HistoryBuffer`` objects in ``message_hub``)
fail to load for ``resume`` and ``load_from``. mhash registers a loader for
local files that keeps the safe ``weights_only`` unpickler and allows
exactly the extra objects an mmengine checkpoint contains: NumPy arrays,
dtypes and scalars, ``HistoryBuffer``, and a ``getattr`` restricted to the
public attributes of ``HistoryBuffer``. Anything else
in a file is refused with an error naming it; a trusted file can still be
loaded with ``MHASH_TRUST_CHECKPOINTS=1`` (full unpickling).
"""
import os
import os.path as osp
from typing import Any

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

__all__ = ['load_checkpoint_file', 'CHECKPOINT_SAFE_GLOBALS']


def _numpy_globals() -> list:
    found = [np.ndarray, np.dtype]
    multiarray = getattr(np, '_core', None) or np.core
    found.append(multiarray.multiarray._reconstruct)
    found.append(multiarray.multiarray.scalar)
    # dtype classes (np.dtypes.Float32DType, ...) are pickled by class.
    found.extend(
        getattr(np.dtypes, name) for name in dir(np.dtypes)
        if name.endswith('DType'))
    return found


def _history_buffer_getattr(obj: Any, name: str) -> Any:
    """Stand-in for ``builtins.getattr`` while unpickling a checkpoint.

    ``HistoryBuffer`` pickles its statistics methods as
    ``getattr(HistoryBuffer, 'mean')``; a general ``getattr`` would let a
    crafted file reach arbitrary code, so only public attributes of
    ``HistoryBuffer`` are served.
    """
    if obj is HistoryBuffer and not name.startswith('_'):
        return getattr(obj, name)
    raise RuntimeError(f'Refusing getattr({obj!r}, {name!r}) while loading a '
                       'checkpoint: only public HistoryBuffer attributes are '
                       'allowed')


#: Objects an mmengine checkpoint may hold besides tensors and containers.
CHECKPOINT_SAFE_GLOBALS = [HistoryBuffer, (_history_buffer_getattr,
                                           'builtins.getattr')
                           ] + _numpy_globals()


def load_checkpoint_file(filename: str, map_location: Any = None) -> Any:
    """Load a local checkpoint with the safe unpickler.

    Args:
        filename (str): Path of the checkpoint.
        map_location: As for :func:`torch.load`.

    Returns:
        The loaded object (a dict for mmengine checkpoints).
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'Checkpoint "{filename}" does not exist')
    if os.environ.get('MHASH_TRUST_CHECKPOINTS') == '1':
        return torch.load(
            filename, map_location=map_location, weights_only=False)
    try:
        with torch.serialization.safe_globals(CHECKPOINT_SAFE_GLOBALS):
            return torch.load(
                filename, map_location=map_location, weights_only=True)
    except Exception as error:  # torch raises UnpicklingError subclasses
        text = str(error).lower()
        if 'weights only' not in text and 'unsupported global' not in text:
            raise
        raise RuntimeError(
            f'Checkpoint "{filename}" holds objects outside the safe list '
            f'of mhash ({error}). If you trust the file, set '
            'MHASH_TRUST_CHECKPOINTS=1 to unpickle it fully.') from error


# Replaces mmengine's loader for local paths (the '' prefix).
CheckpointLoader.register_scheme(
    prefixes='', loader=load_checkpoint_file, force=True)
