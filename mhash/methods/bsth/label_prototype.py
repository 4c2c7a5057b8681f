# Copyright (c) mhash contributors. All rights reserved.
"""Module B of BSTH: label prototype learning (makes supervising codes)."""
from typing import Tuple

import torch
from torch import Tensor, nn

from mhash.registry import MODELS
from .bitwise_hash import CategorywiseHash
from .semantic_transformer import build_token_encoder

__all__ = ['LabelPrototypeLearner']


@MODELS.register_module()
class LabelPrototypeLearner(nn.Module):
    """Category embeddings -> label encoder -> per-category hash -> P.

    Eq. 9-15: every category has a learnable k-dim embedding; one
    transformer encoder relates the c category tokens (no positional
    encoding, as in the reference); category i's own function maps its
    token to the prototype ``p_i`` in (-1, 1)^k. An item with label vector
    ``l`` gets the relaxed supervising code ``h^L = l P`` and label logits
    ``FC(h^L)``.

    Args:
        num_classes (int): Number of categories c.
        num_bits (int): Code length k (also the token width).
        num_layers (int): Encoder layers. Defaults to 1 (reference).
        num_heads (int): Attention heads. Defaults to 1.
        dropout (float): Encoder dropout. Defaults to 0.5.
        activation (str): Feed-forward activation. Defaults to ``'gelu'``.
        fast_dropout (bool): Cheaper dropout masks. Defaults to True.

    Examples:
        >>> learner = LabelPrototypeLearner(num_classes=3, num_bits=8)
        >>> prototypes, codes, logits = learner(torch.eye(3))
        >>> prototypes.shape, codes.shape, logits.shape
        (torch.Size([3, 8]), torch.Size([3, 8]), torch.Size([3, 3]))
    """

    def __init__(self,
                 num_classes: int,
                 num_bits: int,
                 num_layers: int = 1,
                 num_heads: int = 1,
                 dropout: float = 0.5,
                 activation: str = 'gelu',
                 fast_dropout: bool = True):
        super().__init__()
        if num_bits % num_heads:
            raise ValueError(
                f'LabelPrototypeLearner: num_bits={num_bits} must be '
                f'divisible by num_heads={num_heads}')
        self.num_classes = num_classes
        # nn.Embedding's default initialisation: standard normal.
        self.category_embeddings = nn.Parameter(
            torch.randn(num_classes, num_bits))
        self.encoder = build_token_encoder(num_bits, num_layers, num_heads,
                                           num_bits, dropout, activation,
                                           fast_dropout)
        self.prototype_hash = CategorywiseHash(num_classes, num_bits)
        self.classifier = nn.Linear(num_bits, num_classes)

    def prototypes(self) -> Tensor:
        """The label prototypes P ``(c, k)`` (eq. 12)."""
        tokens = self.encoder(self.category_embeddings.unsqueeze(0))
        return self.prototype_hash(tokens.squeeze(0))

    def forward(self, labels: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """Return prototypes ``(c, k)``, codes ``(N, k)``, logits ``(N, c)``.
        """
        if labels.shape[-1] != self.num_classes:
            raise ValueError(
                f'LabelPrototypeLearner: labels have {labels.shape[-1]} '
                f'columns, expected num_classes={self.num_classes}')
        prototypes = self.prototypes()
        codes = labels.to(prototypes.dtype) @ prototypes
        return prototypes, codes, self.classifier(codes)
