# Copyright (c) mhash contributors. All rights reserved.
from .deep_fusion import DeepFusionHash
from .lsh import LSH
from .mfh import MFH
from .mvdh import MvDH
from .pca_itq import PCAITQ
from .sdh import SDH

__all__ = ['DeepFusionHash', 'LSH', 'PCAITQ', 'SDH', 'MFH', 'MvDH']
