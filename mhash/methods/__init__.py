# Copyright (c) mhash contributors. All rights reserved.
"""Hashing methods: the contract, BSTH and the baselines."""
from .base import BaseHashModel, codes_to_binary
from .shallow import BaseShallowHashModel
from .baselines import *  # noqa: F401,F403
from .bsth import *  # noqa: F401,F403

__all__ = ['BaseHashModel', 'BaseShallowHashModel', 'codes_to_binary']
