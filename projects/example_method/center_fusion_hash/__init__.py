# Copyright (c) mhash contributors. All rights reserved.
"""An out-of-tree mhash method, registered when this package is imported.

Configs load it with::

    custom_imports = dict(
        imports=['projects.example_method.center_fusion_hash'])
"""
from .center_fusion_hash import CenterFusionHash
from .hash_centers import random_hash_centers, target_codes

__all__ = ['CenterFusionHash', 'random_hash_centers', 'target_codes']
