# Copyright (c) mhash contributors. All rights reserved.
"""MFH: multiple feature hashing (unsupervised, multi-view).

Reference: J. Song, Y. Yang, Z. Huang, H. T. Shen and R. Hong, "Multiple
feature hashing for real-time large scale near-duplicate video retrieval",
ACM Multimedia 2011. MFH learns relaxed codes ``Y`` that are smooth on the
local structure of *every* view (a kNN graph Laplacian ``L_v`` per view,
summed) and, jointly, a global linear hash function of all the features::

    min_{Y, W, b}  tr(Y^T (sum_v L_v) Y)
                   + gamma (||X W + 1 b^T - Y||^2 + beta ||W||^2)
    s.t. Y^T Y = I

whose solution is the bottom eigenvectors of an n x n matrix; codes are
``sign(X W + b)``.

Simplifications (named):

- *Span restriction* (as in spectral regression / LPP): ``Y = X W`` with
  ``X`` centred, keeping the paper's ``gamma beta ||W||^2`` term, so the
  n x n eigenproblem becomes the m x m generalised one
  ``(X^T L X + rho I) w = lambda X^T X w`` -- no dense n x n matrix.
- ``X`` is RBF features against m anchors per view (k-means centres),
  concatenated, instead of the raw concatenated features; the kNN graphs
  are built on the raw (centred, balanced) views with heat-kernel weights
  and are sparse (k neighbours per row), so memory is ``O(n (k + m))``.
- ``L_v`` is the graph Laplacian ``D - W`` of each view scaled by its mean
  degree, instead of MFH's local-learning regularised Laplacian.
"""
from typing import Dict, Optional

import torch
from torch import Tensor

from mhash.registry import MODELS
from ..shallow import BaseShallowHashModel
from .utils import (AnchorRBFFeatures, FeatureNormalizer,
                    ResizableBuffersMixin, code_scale, knn_graph,
                    squash_codes, unnormalized_laplacian)

__all__ = ['MFH']


@MODELS.register_module()
class MFH(ResizableBuffersMixin, BaseShallowHashModel):
    """Multiple feature hashing (Song et al., ACM MM 2011), span-restricted.

    Args:
        num_bits (int): Code length k, at most ``2 * num_anchors``.
        image_dim (int, optional): d_I (final buffer shapes at
            construction). Defaults to None.
        text_dim (int, optional): d_T. Defaults to None.
        num_anchors (int): RBF anchors per view. Defaults to 300.
        num_neighbors (int): k of each view's kNN graph. Defaults to 10.
        ridge (float): rho (= gamma * beta), relative to the mean diagonal
            of ``X^T X``. Defaults to 0.1.
        seed (int): Seed of the anchors. Defaults to 0.

    Examples:
        >>> model = MFH(num_bits=4, num_anchors=10, num_neighbors=5)
        >>> _ = model.fit(torch.randn(60, 6), torch.randn(60, 5), None)
        >>> model.mark_fitted()
        >>> model.encode(torch.randn(2, 6), torch.randn(2, 5)).shape
        torch.Size([2, 4])
    """

    def __init__(self,
                 num_bits: int,
                 image_dim: Optional[int] = None,
                 text_dim: Optional[int] = None,
                 num_anchors: int = 300,
                 num_neighbors: int = 10,
                 ridge: float = 0.1,
                 seed: int = 0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(num_bits, data_preprocessor, init_cfg)
        if num_bits > 2 * num_anchors:
            raise ValueError(f'MFH: num_bits={num_bits} exceeds the '
                             f'2 * num_anchors = {2 * num_anchors} features')
        self.num_neighbors = num_neighbors
        self.ridge = ridge
        self.image_norm = FeatureNormalizer(image_dim)
        self.text_norm = FeatureNormalizer(text_dim)
        self.image_kernel = AnchorRBFFeatures(num_anchors, seed=seed,
                                              dim=image_dim)
        self.text_kernel = AnchorRBFFeatures(num_anchors, seed=seed + 1,
                                             dim=text_dim)
        self.register_buffer('projection', torch.zeros(0, num_bits))
        self.register_buffer('bit_scale', torch.ones(num_bits))

    def fit(self, image: Tensor, text: Tensor,
            label: Optional[Tensor]) -> Dict[str, float]:
        views = [self.image_norm.fit(image), self.text_norm.fit(text)]
        laplacian = None
        for view in views:
            graph = unnormalized_laplacian(
                knn_graph(view, self.num_neighbors))
            laplacian = graph if laplacian is None else laplacian + graph
        features = torch.cat([self.image_kernel.fit(views[0]),
                              self.text_kernel.fit(views[1])], 1).double()
        if self.num_bits > features.shape[1]:
            raise ValueError(f'MFH: num_bits={self.num_bits} exceeds the '
                             f'{features.shape[1]} anchor features')
        smoothness = features.T @ torch.sparse.mm(laplacian.double(),
                                                  features)
        covariance = features.T @ features
        scale = covariance.diagonal().mean()
        # gamma * beta * ||w||^2 of the paper's objective: it penalises
        # directions of little variance, which Y^T Y = I would amplify
        smoothness.diagonal().add_(self.ridge * scale)
        covariance.diagonal().add_(1e-6 * scale)
        # generalised symmetric eigenproblem via Cholesky whitening
        chol = torch.linalg.cholesky(covariance)
        whitened = torch.linalg.solve_triangular(
            chol, torch.linalg.solve_triangular(chol, smoothness,
                                                upper=False).T,
            upper=False)
        values, vectors = torch.linalg.eigh((whitened + whitened.T) / 2)
        projection = torch.linalg.solve_triangular(
            chol.T, vectors[:, :self.num_bits], upper=True)
        embedding = features @ projection
        self.projection = projection.float()
        self.bit_scale = code_scale(embedding.float())
        return dict(spectral_objective=values[:self.num_bits].sum().item(),
                    graph_edges=float(laplacian._nnz()))

    def _features(self, image: Tensor, text: Tensor) -> Tensor:
        return torch.cat([self.image_kernel(self.image_norm(image)),
                          self.text_kernel(self.text_norm(text))], 1)

    def encode_fitted(self, image: Tensor, text: Tensor) -> Tensor:
        return squash_codes(self._features(image, text) @ self.projection,
                            self.bit_scale)
