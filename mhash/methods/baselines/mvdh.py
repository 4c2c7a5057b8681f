# Copyright (c) mhash contributors. All rights reserved.
"""MvDH: multi-view discrete hashing (unsupervised).

Reference: X. Shen, F. Shen, L. Liu, Y.-H. Yuan, W. Liu and Q.-S. Sun,
"Multiview Discrete Hashing for Scalable Multimedia Search", ACM TIST
9(5), 2018 (the BSTH table's MvDH). The paper's ingredients, all kept:
kernelised views (RBF features against anchors), hash codes ``B`` as the
latent factor shared by a matrix factorisation of every view, adaptive view
weights ``mu_v^r``, cluster labels learnt jointly with the codes, binary
codes optimised directly by discrete cyclic coordinate descent (DCC), and
a linear hash function of the kernel features for new queries.

Objective optimised here (written from the paper's description; the
clustering term is our reading of its "spectral clustering performed
simultaneously", named as such)::

    min  sum_v mu_v^r ||phi_v - B U_v^T||^2 + lambda sum_v ||U_v||^2
         + alpha ||B - G C||^2
    s.t. B in {-1, 1}^(n x k), G in {0, 1}^(n x c) one cluster per row,
         sum_v mu_v = 1, mu_v >= 0

- ``U_v = phi_v^T B (B^T B + lambda I)^-1``;
- ``mu_v ∝ h_v^(1 / (1 - r))`` with ``h_v`` the reconstruction error;
- ``G, C``: one Lloyd step of k-means of the codes (``C`` the centroids);
- ``B``: DCC on ``tr(B M B^T) - 2 tr(B^T Q)`` with
  ``M = sum_v mu_v^r U_v^T U_v``, ``Q = sum_v mu_v^r phi_v U_v + alpha G C``.

Each view's kernel features are centred and scaled to unit mean squared
norm so the reconstruction terms are comparable. ``B`` starts as the
ITQ codes (signs of the ITQ-rotated top principal directions) of the
concatenated kernel features -- our choice of initialisation.
"""
from typing import Dict, Optional

import torch
from torch import Tensor

from mhash.registry import MODELS
from ..shallow import BaseShallowHashModel
from .utils import (AnchorRBFFeatures, FeatureNormalizer,
                    ResizableBuffersMixin, code_scale,
                    discrete_cyclic_coordinate_descent, itq_rotation, kmeans,
                    principal_components, ridge_regression, squash_codes)

__all__ = ['MvDH']


@MODELS.register_module()
class MvDH(ResizableBuffersMixin, BaseShallowHashModel):
    """Multi-view discrete hashing (Shen et al., ACM TIST 2018).

    Args:
        num_bits (int): Code length k.
        image_dim (int, optional): d_I (final buffer shapes at
            construction). Defaults to None.
        text_dim (int, optional): d_T. Defaults to None.
        num_anchors (int): RBF anchors per view. Defaults to 500.
        num_clusters (int): c of the joint clustering (the paper uses the
            number of classes). Defaults to 24.
        cluster_weight (float): alpha. Defaults to 1e-2.
        view_exponent (float): r > 1 of the view weights. Defaults to 2.
        factor_reg (float): lambda. Defaults to 1e-2.
        projection_reg (float): Ridge of the hash function. Defaults to
            1e-2.
        num_iters (int): Alternating rounds. Defaults to 10.
        dcc_sweeps (int): DCC passes per B-step. Defaults to 3.
        init_rotation (bool): Start from ITQ-rotated principal directions
            (True) or plain PCA signs. Defaults to True.
        seed (int): Seed of the anchors, the PCA and the clusters.

    Examples:
        >>> model = MvDH(num_bits=4, num_anchors=10, num_clusters=3)
        >>> _ = model.fit(torch.randn(60, 6), torch.randn(60, 5), None)
        >>> model.mark_fitted()
        >>> model.encode(torch.randn(2, 6), torch.randn(2, 5)).shape
        torch.Size([2, 4])
    """

    def __init__(self,
                 num_bits: int,
                 image_dim: Optional[int] = None,
                 text_dim: Optional[int] = None,
                 num_anchors: int = 500,
                 num_clusters: int = 24,
                 cluster_weight: float = 1e-2,
                 view_exponent: float = 2.0,
                 factor_reg: float = 1e-2,
                 projection_reg: float = 1e-2,
                 num_iters: int = 10,
                 dcc_sweeps: int = 3,
                 init_rotation: bool = True,
                 seed: int = 0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(num_bits, data_preprocessor, init_cfg)
        if view_exponent <= 1:
            raise ValueError(f'MvDH: view_exponent must be > 1, got '
                             f'{view_exponent}')
        self.num_clusters = num_clusters
        self.cluster_weight = cluster_weight
        self.view_exponent = view_exponent
        self.factor_reg = factor_reg
        self.projection_reg = projection_reg
        self.num_iters = num_iters
        self.dcc_sweeps = dcc_sweeps
        self.init_rotation = init_rotation
        self.seed = seed
        self.image_kernel = AnchorRBFFeatures(num_anchors, seed=seed,
                                              dim=image_dim)
        self.text_kernel = AnchorRBFFeatures(num_anchors, seed=seed + 1,
                                             dim=text_dim)
        self.image_scale = FeatureNormalizer(center=False)
        self.text_scale = FeatureNormalizer(center=False)
        self.register_buffer('projection', torch.zeros(0, num_bits))
        self.register_buffer('bit_scale', torch.ones(num_bits))
        self.register_buffer('view_weights', torch.full((2, ), 0.5))

    def _features(self, image: Tensor, text: Tensor) -> Tensor:
        return torch.cat([self.image_scale(self.image_kernel(image)),
                          self.text_scale(self.text_kernel(text))], 1)

    def fit(self, image: Tensor, text: Tensor,
            label: Optional[Tensor]) -> Dict[str, float]:
        views = [
            self.image_scale.fit(self.image_kernel.fit(image)).double(),
            self.text_scale.fit(self.text_kernel.fit(text)).double()
        ]
        joint = torch.cat(views, 1)
        if self.num_bits > joint.shape[1]:
            raise ValueError(f'MvDH: num_bits={self.num_bits} exceeds the '
                             f'{joint.shape[1]} anchor features')
        directions, _ = principal_components(joint, self.num_bits,
                                             seed=self.seed)
        reduced = joint @ directions
        if self.init_rotation:
            reduced = reduced @ itq_rotation(reduced, 50, self.seed)[0]
        codes = torch.where(reduced >= 0, 1.0, -1.0).double()
        centroids, assign = kmeans(codes, self.num_clusters, seed=self.seed)
        weights = torch.full((len(views), ), 1.0 / len(views),
                             dtype=joint.dtype, device=joint.device)
        eye = torch.eye(self.num_bits, dtype=joint.dtype,
                        device=joint.device)
        for _ in range(self.num_iters):
            gram = codes.T @ codes + self.factor_reg * eye
            factors = [torch.linalg.solve(gram, codes.T @ view).T
                       for view in views]
            errors = torch.stack([
                (view - codes @ factor.T).pow(2).sum()
                for view, factor in zip(views, factors)])
            weights = errors.clamp(min=1e-12)**(1 / (1 - self.view_exponent))
            weights = weights / weights.sum()
            powered = weights**self.view_exponent
            # one Lloyd step of the cluster indicator and centroids
            assign = torch.cdist(codes, centroids).argmin(1)
            sums = torch.zeros_like(centroids).index_add_(0, assign, codes)
            counts = torch.bincount(assign, minlength=self.num_clusters)
            filled = counts > 0
            centroids[filled] = sums[filled] / counts[filled, None]
            quadratic = sum(p * f.T @ f for p, f in zip(powered, factors))
            linear = sum(p * v @ f for p, v, f in zip(powered, views,
                                                       factors))
            linear = linear + self.cluster_weight * centroids[assign]
            codes, _ = discrete_cyclic_coordinate_descent(
                codes, linear, quadratic, self.dcc_sweeps)
        objective = (powered * errors).sum() + self.cluster_weight * (
            codes - centroids[assign]).pow(2).sum()
        projection = ridge_regression(joint, codes, self.projection_reg)
        self.projection = projection.float()
        self.bit_scale = code_scale((joint @ projection).float())
        self.view_weights = weights.float()
        return dict(objective=objective.item(),
                    image_weight=weights[0].item(),
                    text_weight=weights[1].item())

    def encode_fitted(self, image: Tensor, text: Tensor) -> Tensor:
        return squash_codes(self._features(image, text) @ self.projection,
                            self.bit_scale)
