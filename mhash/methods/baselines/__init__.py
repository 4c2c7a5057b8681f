# Copyright (c) mhash contributors. All rights reserved.
from .deep_fusion import DeepFusionHash

__all__ = ['DeepFusionHash']
