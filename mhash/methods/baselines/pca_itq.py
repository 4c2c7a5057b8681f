# Copyright (c) mhash contributors. All rights reserved.
"""PCA-ITQ: PCA followed by iterative quantization of the concatenation.

Reference: Y. Gong and S. Lazebnik, "Iterative quantization: A procrustean
approach to learning binary codes", CVPR 2011 (and Gong, Lazebnik, Gordo,
Perronnin, TPAMI 2013). The data (centred, balanced concatenation of the
two views) is projected on its top-k principal directions ``V = X W``;
ITQ then alternates ``B = sign(V R)`` and the orthogonal Procrustes
rotation ``R`` minimising ``||B - V R||_F`` (``B^T V = S Sigma S_hat^T``,
``R = S_hat S^T``), from a random orthogonal ``R``. Principal directions
come from a seeded randomised SVD when k is small against the data (same
subspace up to numerical precision).
"""
from typing import Dict, Optional

import torch
from torch import Tensor

from mhash.registry import MODELS
from ..shallow import BaseShallowHashModel
from .utils import (ConcatenatedViews, ResizableBuffersMixin, code_scale,
                    itq_rotation, principal_components, squash_codes)

__all__ = ['PCAITQ']


@MODELS.register_module()
class PCAITQ(ResizableBuffersMixin, BaseShallowHashModel):
    """Iterative quantization on top of PCA (Gong & Lazebnik 2011).

    Args:
        num_bits (int): Code length k, at most ``min(n, d_I + d_T)``.
        image_dim (int, optional): d_I (final buffer shapes at construction
            with ``text_dim``). Defaults to None.
        text_dim (int, optional): d_T. Defaults to None.
        num_iters (int): ITQ iterations (the paper uses 50).
        balance_views (bool): Scale each view to unit mean squared norm
            before concatenating. Defaults to True.
        seed (int): Seed of the initial rotation and of the randomised PCA.

    Examples:
        >>> model = PCAITQ(num_bits=4, num_iters=10)
        >>> stats = model.fit(torch.randn(60, 6), torch.randn(60, 5), None)
        >>> model.mark_fitted()
        >>> model.encode(torch.randn(2, 6), torch.randn(2, 5)).shape
        torch.Size([2, 4])
    """

    def __init__(self,
                 num_bits: int,
                 image_dim: Optional[int] = None,
                 text_dim: Optional[int] = None,
                 num_iters: int = 50,
                 balance_views: bool = True,
                 seed: int = 0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(num_bits, data_preprocessor, init_cfg)
        self.num_iters = num_iters
        self.seed = seed
        self.views = ConcatenatedViews(image_dim, text_dim, balance_views)
        dim = (image_dim + text_dim) if image_dim and text_dim else 0
        self.register_buffer('projection', torch.zeros(dim, num_bits))
        self.register_buffer('bit_scale', torch.ones(num_bits))

    def fit(self, image: Tensor, text: Tensor,
            label: Optional[Tensor]) -> Dict[str, float]:
        features = self.views.fit(image, text)
        if self.num_bits > min(features.shape):
            raise ValueError(
                f'PCAITQ: num_bits={self.num_bits} exceeds min(n, d) = '
                f'{min(features.shape)} of the training data')
        directions, _ = principal_components(features, self.num_bits,
                                             seed=self.seed)
        rotation, quantization = itq_rotation(features @ directions,
                                              self.num_iters, self.seed)
        self.projection = (directions.double() @ rotation).to(features.dtype)
        self.bit_scale = code_scale(features @ self.projection)
        return dict(quantization_error=quantization.item())

    def encode_fitted(self, image: Tensor, text: Tensor) -> Tensor:
        return squash_codes(self.views(image, text) @ self.projection,
                            self.bit_scale)
