# Copyright (c) mhash contributors. All rights reserved.
"""DeepFusionHash: the minimal deep multi-modal hashing baseline."""
from typing import Dict, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mhash.registry import MODELS
from ..base import BaseHashModel

__all__ = ['DeepFusionHash']


def _mlp(dims: Sequence[int], dropout: float) -> nn.Sequential:
    layers = []
    for i, (d_in, d_out) in enumerate(zip(dims[:-1], dims[1:])):
        layers.append(nn.Linear(d_in, d_out))
        if i < len(dims) - 2:
            layers += [nn.BatchNorm1d(d_out), nn.ReLU(inplace=True)]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


@MODELS.register_module()
class DeepFusionHash(BaseHashModel):
    """Two MLP encoders fused by a sum, tanh codes.

    The simplest deep multi-modal hashing method, and the reference point
    for the deep methods of mhash: ``h = tanh(MLP_I(x_I) + MLP_T(x_T))``.
    Training minimises

    - ``loss_clf``: binary cross-entropy of a linear label head on ``h``;
    - ``loss_sim``: mean squared error between the in-batch cosine
      similarities of the codes and +1 / -1 for pairs that share / do not
      share a label;
    - ``loss_quant``: mean squared distance of ``h`` to ``sign(h)``.

    Args:
        num_bits (int): Code length k.
        image_dim (int): Width of the image features.
        text_dim (int): Width of the text features.
        num_classes (int): Number of labels.
        hidden_dim (int): Hidden width of both encoders. Defaults to 1024.
        dropout (float): Dropout after the hidden layer. Defaults to 0.1.
        loss_weights (dict, optional): Weights of ``clf``, ``sim`` and
            ``quant``. Defaults to ``dict(clf=1.0, sim=1.0, quant=0.1)``.
        data_preprocessor (dict, optional): See :class:`BaseHashModel`.
        init_cfg (dict, optional): See :class:`BaseHashModel`.

    Examples:
        >>> model = DeepFusionHash(16, image_dim=8, text_dim=6, num_classes=3)
        >>> image, text = torch.randn(4, 8), torch.rand(4, 6)
        >>> model(image, text, mode='tensor').shape
        torch.Size([4, 16])
        >>> label = torch.tensor([[1., 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1]])
        >>> sorted(model(image, text, label, mode='loss'))
        ['loss_clf', 'loss_quant', 'loss_sim']
    """

    def __init__(self,
                 num_bits: int,
                 image_dim: int,
                 text_dim: int,
                 num_classes: int,
                 hidden_dim: int = 1024,
                 dropout: float = 0.1,
                 loss_weights: Optional[Dict[str, float]] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(num_bits, data_preprocessor, init_cfg)
        self.image_encoder = _mlp((image_dim, hidden_dim, num_bits), dropout)
        self.text_encoder = _mlp((text_dim, hidden_dim, num_bits), dropout)
        self.classifier = nn.Linear(num_bits, num_classes)
        weights = dict(clf=1.0, sim=1.0, quant=0.1)
        unknown = set(loss_weights or {}) - set(weights)
        if unknown:
            raise KeyError(f'DeepFusionHash: unknown loss_weights keys '
                           f'{sorted(unknown)}; expected {sorted(weights)}')
        weights.update(loss_weights or {})
        self.loss_weights = weights

    def encode(self, image: Tensor, text: Tensor) -> Tensor:
        return torch.tanh(self.image_encoder(image) + self.text_encoder(text))

    def loss(self, image: Tensor, text: Tensor, label: Tensor,
             index: Optional[Tensor] = None) -> Dict[str, Tensor]:
        codes = self.encode(image, text)
        logits = self.classifier(codes)
        normed = F.normalize(codes, dim=1)
        target = (label @ label.t() > 0).to(codes.dtype) * 2 - 1
        w = self.loss_weights
        return dict(
            loss_clf=w['clf'] *
            F.binary_cross_entropy_with_logits(logits, label),
            loss_sim=w['sim'] * F.mse_loss(normed @ normed.t(), target),
            loss_quant=w['quant'] * F.mse_loss(codes, codes.detach().sign()))
