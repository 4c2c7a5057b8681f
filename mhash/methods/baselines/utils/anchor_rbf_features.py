# Copyright (c) mhash contributors. All rights reserved.
"""RBF kernel features against a few anchors (no n x n kernel)."""
from typing import Optional

import torch
from torch import Tensor, nn

from .anchors import pairwise_squared_distances, select_anchors
from .resizable_buffers import ResizableBuffersMixin

__all__ = ['AnchorRBFFeatures']


class AnchorRBFFeatures(ResizableBuffersMixin, nn.Module):
    """``phi(x)_j = exp(-||x - a_j||^2 / (2 sigma^2))`` for m anchors.

    The kernelised representation of SDH, KSH, MvDH, FDMH and most
    discrete multi-view hashing papers: m anchors (k-means centres or random
    training rows) replace the n x n kernel, so memory is ``O(n m)``.
    ``sigma`` is the mean distance from the training rows to their anchors
    times ``bandwidth_scale`` (SDH's rule). The features are centred on the
    training mean (as SDH does) unless ``center=False``.

    Args:
        num_anchors (int): m.
        anchor_method (str): ``'kmeans'`` or ``'random'``. Defaults to
            ``'kmeans'``.
        bandwidth_scale (float): Multiplies the estimated sigma.
            Defaults to 1.
        center (bool): Subtract the mean training feature. Defaults to True.
        seed (int): Seed of the anchor choice. Defaults to 0.
        dim (int, optional): Input dimension when known (final buffer
            shapes from the start). Defaults to None.

    Examples:
        >>> rbf = AnchorRBFFeatures(num_anchors=4, seed=0)
        >>> rbf.fit(torch.randn(30, 5)).shape
        torch.Size([30, 4])
        >>> rbf(torch.randn(2, 5)).shape
        torch.Size([2, 4])
    """

    def __init__(self,
                 num_anchors: int,
                 anchor_method: str = 'kmeans',
                 bandwidth_scale: float = 1.0,
                 center: bool = True,
                 seed: int = 0,
                 dim: Optional[int] = None):
        super().__init__()
        if num_anchors < 1:
            raise ValueError(f'AnchorRBFFeatures: num_anchors must be >= 1, '
                             f'got {num_anchors}')
        self.num_anchors = num_anchors
        self.anchor_method = anchor_method
        self.bandwidth_scale = bandwidth_scale
        self.center = center
        self.seed = seed
        self.register_buffer('anchors', torch.zeros(0, dim if dim else 0))
        self.register_buffer('bandwidth', torch.ones(()))
        self.register_buffer('mean', torch.zeros(0))

    def _kernel(self, features: Tensor) -> Tensor:
        dist = pairwise_squared_distances(features, self.anchors)
        return torch.exp(-dist / (2 * self.bandwidth**2))

    def fit(self, features: Tensor) -> Tensor:
        """Choose anchors and sigma on ``features`` ``(n, d)``; return the
        (centred) training features ``(n, m)``."""
        self.anchors = select_anchors(features, self.num_anchors,
                                      self.anchor_method, self.seed)
        dist = pairwise_squared_distances(features, self.anchors)
        sigma = dist.sqrt().mean() * self.bandwidth_scale
        self.bandwidth = sigma.clamp(min=1e-12).detach()
        kernel = torch.exp(-dist / (2 * self.bandwidth**2))
        self.mean = kernel.mean(0) if self.center else \
            kernel.new_zeros(kernel.shape[1])
        return kernel - self.mean

    def forward(self, features: Tensor) -> Tensor:
        if self.anchors.shape[0] == 0:
            raise RuntimeError('AnchorRBFFeatures must be fitted (or loaded) '
                               'before use')
        if features.shape[1] != self.anchors.shape[1]:
            raise ValueError(f'AnchorRBFFeatures: features have '
                             f'{features.shape[1]} columns; the anchors '
                             f'have {self.anchors.shape[1]}')
        return self._kernel(features.to(self.anchors.dtype)) - self.mean
