# Copyright (c) mhash contributors. All rights reserved.
from .deep_fusion import DeepFusionHash
from .dmvh import DMVH
from .fomh import FOMH
from .lsh import LSH
from .mfh import MFH
from .mvdh import MvDH
from .pca_itq import PCAITQ
from .sapmh import SAPMH
from .sdh import SDH
from .sdmh import SDMH

__all__ = [
    'DeepFusionHash', 'LSH', 'PCAITQ', 'SDH', 'MFH', 'MvDH',
    'SDMH', 'FOMH', 'SAPMH', 'DMVH'
]
