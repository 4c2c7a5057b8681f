# Copyright (c) mhash contributors. All rights reserved.
"""mhash: multi-modal hashing on the OpenMMLab engine."""
from .version import __version__

__all__ = ['__version__']
