# Copyright (c) mhash contributors. All rights reserved.
"""CenterFusionHash: fused MLP codes pulled towards class hash centres."""
from typing import Dict, Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mhash.methods import BaseHashModel
from mhash.registry import MODELS
from .hash_centers import random_hash_centers, target_codes

__all__ = ['CenterFusionHash']


@MODELS.register_module()
class CenterFusionHash(BaseHashModel):
    """A deep multi-modal hashing method that lives outside ``mhash``.

    The worked example of ``docs/adding_a_method.md``. Each modality goes
    through its own MLP, the two are summed and squashed,
    ``h = tanh(MLP_I(x_I) + MLP_T(x_T))``, and training pulls ``h``
    towards the hash centre of the item's classes (central similarity
    hashing, Yuan et al., CVPR 2020, applied to fused features):

    - ``loss_center``: binary cross-entropy between ``(h + 1) / 2`` and
      ``(t + 1) / 2``, where ``t`` is :func:`target_codes` of the labels;
    - ``loss_quant``: mean of ``(|h| - 1)^2``, pushing ``h`` to +-1.

    The centres are a persistent buffer, so a checkpoint carries them.

    Args:
        num_bits (int): Code length k.
        image_dim (int): Width of the image features.
        text_dim (int): Width of the text features.
        num_classes (int): Number of classes.
        hidden_dim (int): Hidden width of both MLPs. Defaults to 256.
        dropout (float): Dropout after the hidden layer. Defaults to 0.1.
        center_seed (int): Seed of the hash centres. Defaults to 0.
        loss_weights (dict, optional): Weights of ``center`` and ``quant``.
            Defaults to ``dict(center=1.0, quant=0.1)``.
        data_preprocessor (dict, optional): See
            :class:`~mhash.methods.BaseHashModel`.
        init_cfg (dict, optional): See :class:`~mhash.methods.BaseHashModel`.

    Examples:
        >>> model = CenterFusionHash(16, image_dim=8, text_dim=6,
        ...                          num_classes=3, hidden_dim=32)
        >>> image, text = torch.randn(4, 8), torch.randn(4, 6)
        >>> model(image, text, mode='tensor').shape
        torch.Size([4, 16])
        >>> label = torch.tensor([[1., 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1]])
        >>> sorted(model(image, text, label, torch.arange(4), mode='loss'))
        ['loss_center', 'loss_quant']
    """

    def __init__(self,
                 num_bits: int,
                 image_dim: int,
                 text_dim: int,
                 num_classes: int,
                 hidden_dim: int = 256,
                 dropout: float = 0.1,
                 center_seed: int = 0,
                 loss_weights: Optional[Dict[str, float]] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(num_bits, data_preprocessor, init_cfg)
        weights = dict(center=1.0, quant=0.1)
        unknown = set(loss_weights or {}) - set(weights)
        if unknown:
            raise KeyError(f'CenterFusionHash: unknown loss_weights keys '
                           f'{sorted(unknown)}; expected {sorted(weights)}')
        weights.update(loss_weights or {})
        self.loss_weights = weights
        self.image_encoder = self._mlp(image_dim, hidden_dim, dropout)
        self.text_encoder = self._mlp(text_dim, hidden_dim, dropout)
        self.register_buffer(
            'hash_centers',
            random_hash_centers(num_classes, num_bits, center_seed),
            persistent=True)

    def _mlp(self, in_dim: int, hidden_dim: int,
             dropout: float) -> nn.Sequential:
        return nn.Sequential(
            nn.Linear(in_dim, hidden_dim), nn.ReLU(inplace=True),
            nn.Dropout(dropout), nn.Linear(hidden_dim, self.num_bits))

    def encode(self, image: Tensor, text: Tensor) -> Tensor:
        """Continuous codes ``(N, num_bits)`` in (-1, 1)."""
        return torch.tanh(self.image_encoder(image) + self.text_encoder(text))

    def loss(self, image: Tensor, text: Tensor, label: Tensor,
             index: Tensor) -> Dict[str, Tensor]:
        """Weighted ``loss_center`` and ``loss_quant`` of one batch."""
        codes = self.encode(image, text)
        targets = target_codes(label, self.hash_centers)
        w = self.loss_weights
        return dict(
            loss_center=w['center'] * F.binary_cross_entropy(
                (codes + 1) / 2, (targets + 1) / 2),
            loss_quant=w['quant'] * (codes.abs() - 1).pow(2).mean())
