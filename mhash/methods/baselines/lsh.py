# Copyright (c) mhash contributors. All rights reserved.
"""LSH: random Gaussian projections of the concatenated views.

Reference: M. Charikar, "Similarity estimation techniques from rounding
algorithms", STOC 2002 (sign random projections, the cosine-similarity LSH
family); used as the data-independent reference of the hashing literature.
Input: the image and text features, each centred and balanced to unit mean
squared norm, concatenated (see :class:`ConcatenatedViews`).
"""
from typing import Dict, Optional

import torch
from torch import Tensor

from mhash.registry import MODELS
from ..shallow import BaseShallowHashModel
from .utils import (ConcatenatedViews, ResizableBuffersMixin, code_scale,
                    make_generator, squash_codes)

__all__ = ['LSH']


@MODELS.register_module()
class LSH(ResizableBuffersMixin, BaseShallowHashModel):
    """Locality-sensitive hashing by signs of random projections.

    ``b = sign(W^T x)``, ``W`` with i.i.d. standard normal entries drawn
    from ``seed``, ``x`` the centred, balanced concatenation of the views.
    Only the centring uses the data. :meth:`encode` returns
    ``tanh(W^T x / std)`` (``std`` of each bit's training projections), which
    has the signs of the hash bits.

    Args:
        num_bits (int): Code length k.
        image_dim (int, optional): d_I; with ``text_dim`` gives the buffers
            their final shapes at construction. Defaults to None (learnt in
            ``fit``; loading a checkpoint resizes).
        text_dim (int, optional): d_T. Defaults to None.
        balance_views (bool): Scale each view to unit mean squared norm
            before concatenating. Defaults to True.
        seed (int): Seed of the projections. Defaults to 0.

    Examples:
        >>> model = LSH(num_bits=8, seed=0)
        >>> _ = model.fit(torch.randn(50, 6), torch.randn(50, 4), None)
        >>> model.mark_fitted()
        >>> model.encode(torch.randn(3, 6), torch.randn(3, 4)).shape
        torch.Size([3, 8])
    """

    def __init__(self,
                 num_bits: int,
                 image_dim: Optional[int] = None,
                 text_dim: Optional[int] = None,
                 balance_views: bool = True,
                 seed: int = 0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(num_bits, data_preprocessor, init_cfg)
        self.seed = seed
        self.views = ConcatenatedViews(image_dim, text_dim, balance_views)
        dim = (image_dim + text_dim) if image_dim and text_dim else 0
        self.register_buffer('projection', torch.zeros(dim, num_bits))
        self.register_buffer('bit_scale', torch.ones(num_bits))

    def fit(self, image: Tensor, text: Tensor,
            label: Optional[Tensor]) -> Dict[str, float]:
        features = self.views.fit(image, text)
        generator = make_generator(self.seed, features.device)
        self.projection = torch.randn(features.shape[1], self.num_bits,
                                      generator=generator,
                                      device=features.device)
        self.bit_scale = code_scale(features @ self.projection)
        return {}

    def encode_fitted(self, image: Tensor, text: Tensor) -> Tensor:
        return squash_codes(self.views(image, text) @ self.projection,
                            self.bit_scale)
