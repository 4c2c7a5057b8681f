# Copyright (c) mhash contributors. All rights reserved.
"""The image and text views, normalised and concatenated."""
from typing import Optional

import torch
from torch import Tensor, nn

from .feature_normalizer import FeatureNormalizer

__all__ = ['ConcatenatedViews']


class ConcatenatedViews(nn.Module):
    """``[norm_I(image), norm_T(text)]``: the input of single-view methods.

    Classic references (LSH, PCA-ITQ, SDH) see one feature vector per pair;
    the multi-modal hashing literature feeds them the concatenation of the
    two modalities. Each modality is centred and, with ``balance_views``,
    scaled to unit mean squared norm first (see :class:`FeatureNormalizer`),
    so neither view dominates because of its dimension or units.

    Args:
        image_dim (int, optional): d_I when known. Defaults to None.
        text_dim (int, optional): d_T when known. Defaults to None.
        balance_views (bool): Scale each view to unit mean squared norm.
            Defaults to True.

    Examples:
        >>> views = ConcatenatedViews()
        >>> views.fit(torch.randn(10, 3), torch.randn(10, 2)).shape
        torch.Size([10, 5])
    """

    def __init__(self,
                 image_dim: Optional[int] = None,
                 text_dim: Optional[int] = None,
                 balance_views: bool = True):
        super().__init__()
        self.image_norm = FeatureNormalizer(image_dim,
                                            unit_scale=balance_views)
        self.text_norm = FeatureNormalizer(text_dim, unit_scale=balance_views)

    @property
    def dim(self) -> int:
        """int: Dimension of the concatenation (0 before fitting)."""
        return self.image_norm.mean.shape[0] + self.text_norm.mean.shape[0]

    def fit(self, image: Tensor, text: Tensor) -> Tensor:
        """Learn both normalisations; return the concatenated training
        features ``(n, d_I + d_T)``."""
        return torch.cat([self.image_norm.fit(image),
                          self.text_norm.fit(text)], 1)

    def forward(self, image: Tensor, text: Tensor) -> Tensor:
        return torch.cat([self.image_norm(image), self.text_norm(text)], 1)
