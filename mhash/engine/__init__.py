# Copyright (c) mhash contributors. All rights reserved.
"""Engine pieces: loops, hooks, checkpoint loading, run outputs."""
from .checkpoint_loader import load_checkpoint_file
from .hooks import *  # noqa: F401,F403
from .loops import *  # noqa: F401,F403
from .outputs import atomic_write_json, save_retrieval_outputs

__all__ = [
    'load_checkpoint_file', 'atomic_write_json', 'save_retrieval_outputs'
]
