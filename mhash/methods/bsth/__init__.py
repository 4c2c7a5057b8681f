# Copyright (c) mhash contributors. All rights reserved.
"""BSTH: model, its modules, losses, two-stage loop and optimizers."""
from .bitwise_hash import BitwiseHashHead, CategorywiseHash, GroupwiseLinear
from .bsth import BSTH
from .bsth_loop import BSTHTrainLoop
from .fast_dropout import FastDropout, fast_dropout
from .label_prototype import LabelPrototypeLearner
from .optim_constructor import SubmoduleOptimWrapperConstructor
from .positional_encoding import SinusoidalPositionalEncoding
from .semantic_transformer import BitAwareSemanticTransformer
from .token_encoder import TokenEncoder, TokenEncoderLayer

__all__ = [
    'BSTH', 'BSTHTrainLoop', 'BitAwareSemanticTransformer',
    'BitwiseHashHead', 'CategorywiseHash', 'FastDropout',
    'GroupwiseLinear', 'LabelPrototypeLearner',
    'SinusoidalPositionalEncoding', 'SubmoduleOptimWrapperConstructor',
    'TokenEncoder', 'TokenEncoderLayer', 'fast_dropout'
]
