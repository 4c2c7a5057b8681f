# Copyright (c) mhash contributors. All rights reserved.
"""Centre one view and scale it to unit mean squared norm."""
from typing import Optional

import torch
from torch import Tensor, nn

from .resizable_buffers import ResizableBuffersMixin

__all__ = ['FeatureNormalizer']


class FeatureNormalizer(ResizableBuffersMixin, nn.Module):
    """Centre features on the training mean and balance their scale.

    After :meth:`fit`, ``forward(x) = (x - mean) * scale`` where ``scale``
    makes the mean squared norm of the centred training rows 1. Balancing
    views this way keeps a 4096-d image view from drowning a sparse text
    view when the two are concatenated. Both statistics are persistent
    buffers (empty until fitted; resized when a checkpoint is loaded).

    Args:
        dim (int, optional): Feature dimension when known, so the buffers
            have their final shape from the start. Defaults to None.
        center (bool): Subtract the mean. Defaults to True.
        unit_scale (bool): Scale to unit mean squared norm. Defaults to True.

    Examples:
        >>> norm = FeatureNormalizer()
        >>> out = norm.fit(torch.tensor([[1., 3.], [3., 5.]]))
        >>> out
        tensor([[-0.7071, -0.7071],
                [ 0.7071,  0.7071]])
        >>> torch.allclose(norm(torch.tensor([[2., 4.]])), torch.zeros(2))
        True
    """

    def __init__(self, dim: Optional[int] = None, center: bool = True,
                 unit_scale: bool = True):
        super().__init__()
        self.center = center
        self.unit_scale = unit_scale
        self.register_buffer('mean', torch.zeros(dim if dim else 0))
        self.register_buffer('scale', torch.ones(()))

    def fit(self, features: Tensor) -> Tensor:
        """Learn the statistics of ``features`` ``(n, d)``; return them
        normalised."""
        mean = features.mean(0) if self.center else \
            features.new_zeros(features.shape[1])
        centred = features - mean
        scale = features.new_ones(())
        if self.unit_scale:
            mean_sq_norm = centred.pow(2).sum(1).mean()
            scale = mean_sq_norm.clamp(min=1e-12).rsqrt()
        self.mean = mean.detach().to(self.mean.dtype)
        self.scale = scale.detach().to(self.scale.dtype)
        return centred * scale

    def forward(self, features: Tensor) -> Tensor:
        if features.shape[1] != self.mean.shape[0]:
            raise ValueError(f'FeatureNormalizer: features have '
                             f'{features.shape[1]} columns; it was fitted '
                             f'on {self.mean.shape[0]}')
        return (features - self.mean.to(features.dtype)) * \
            self.scale.to(features.dtype)
