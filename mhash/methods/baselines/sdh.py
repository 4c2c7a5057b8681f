# Copyright (c) mhash contributors. All rights reserved.
"""SDH: supervised discrete hashing on the concatenated views.

Reference: F. Shen, C. Shen, W. Liu and H. T. Shen, "Supervised Discrete
Hashing", CVPR 2015. Objective (eq. 4 of the paper)::

    min_{B, W, P}  ||Y - B W||^2 + lambda ||W||^2 + nu ||B - phi(X) P||^2
    s.t. B in {-1, 1}^(n x k)

with ``phi`` RBF features against m anchors (random training rows, sigma
the mean distance to them), centred. Alternating steps, as in the paper:
G-step ``W = (B^T B + lambda I)^-1 B^T Y``; F-step
``P = (phi^T phi + delta I)^-1 phi^T B``; B-step by discrete cyclic
coordinate descent on ``tr(B W W^T B^T) - 2 tr(B^T (Y W^T + nu phi P))``.
Input: the centred, balanced concatenation of the two views. Multi-label
``Y`` is the multi-hot label matrix (the paper's experiments are
single-label; nothing else changes).
"""
from typing import Dict, Optional

import torch
from torch import Tensor

from mhash.registry import MODELS
from ..shallow import BaseShallowHashModel
from .utils import (AnchorRBFFeatures, ConcatenatedViews,
                    ResizableBuffersMixin, code_scale,
                    discrete_cyclic_coordinate_descent, make_generator,
                    ridge_regression, squash_codes)

__all__ = ['SDH']


@MODELS.register_module()
class SDH(ResizableBuffersMixin, BaseShallowHashModel):
    """Supervised discrete hashing (Shen et al., CVPR 2015).

    Args:
        num_bits (int): Code length k.
        image_dim (int, optional): d_I (final buffer shapes at construction
            with ``text_dim``). Defaults to None.
        text_dim (int, optional): d_T. Defaults to None.
        num_anchors (int): m RBF anchors (the paper: 1000).
        anchor_method (str): ``'random'`` training rows (the paper) or
            ``'kmeans'`` centres.
        classifier_reg (float): lambda (the paper: 1).
        code_penalty (float): nu (the paper: 1e-5).
        projection_reg (float): delta of the F-step ridge (the authors'
            code: 1e-2).
        num_outer_iters (int): G/F/B rounds (the paper: 5).
        dcc_sweeps (int): DCC passes over the bits per B-step.
        balance_views (bool): Scale each view to unit mean squared norm
            before concatenating. Defaults to True.
        seed (int): Seed of the anchors and of the initial codes.

    Examples:
        >>> model = SDH(num_bits=8, num_anchors=20)
        >>> label = torch.eye(4)[torch.arange(40) % 4]
        >>> stats = model.fit(torch.randn(40, 6), torch.randn(40, 5), label)
        >>> model.mark_fitted()
        >>> model.encode(torch.randn(2, 6), torch.randn(2, 5)).shape
        torch.Size([2, 8])
    """

    def __init__(self,
                 num_bits: int,
                 image_dim: Optional[int] = None,
                 text_dim: Optional[int] = None,
                 num_anchors: int = 1000,
                 anchor_method: str = 'random',
                 classifier_reg: float = 1.0,
                 code_penalty: float = 1e-5,
                 projection_reg: float = 1e-2,
                 num_outer_iters: int = 5,
                 dcc_sweeps: int = 5,
                 balance_views: bool = True,
                 seed: int = 0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(num_bits, data_preprocessor, init_cfg)
        self.classifier_reg = classifier_reg
        self.code_penalty = code_penalty
        self.projection_reg = projection_reg
        self.num_outer_iters = num_outer_iters
        self.dcc_sweeps = dcc_sweeps
        self.seed = seed
        self.views = ConcatenatedViews(image_dim, text_dim, balance_views)
        dim = (image_dim + text_dim) if image_dim and text_dim else None
        self.kernel = AnchorRBFFeatures(num_anchors, anchor_method,
                                        seed=seed, dim=dim)
        self.register_buffer('projection', torch.zeros(0, num_bits))
        self.register_buffer('bit_scale', torch.ones(num_bits))

    def fit(self, image: Tensor, text: Tensor,
            label: Tensor) -> Dict[str, float]:
        if label is None or label.shape[0] != image.shape[0]:
            raise ValueError('SDH is supervised: fit needs one label row per '
                             'training pair')
        phi = self.kernel.fit(self.views.fit(image, text)).double()
        targets = label.double()
        generator = make_generator(self.seed, phi.device)
        codes = torch.where(
            torch.randn(phi.shape[0], self.num_bits, generator=generator,
                        device=phi.device) >= 0, 1.0, -1.0).double()
        eye = torch.eye(self.num_bits, dtype=phi.dtype, device=phi.device)
        projection = ridge_regression(phi, codes, self.projection_reg)
        for _ in range(self.num_outer_iters):
            # G-step: label regression from the codes
            classifier = torch.linalg.solve(
                codes.T @ codes + self.classifier_reg * eye,
                codes.T @ targets)
            # F-step: hash function regressing the codes
            projection = ridge_regression(phi, codes, self.projection_reg)
            # B-step: discrete cyclic coordinate descent
            linear = targets @ classifier.T + \
                self.code_penalty * (phi @ projection)
            codes, _ = discrete_cyclic_coordinate_descent(
                codes, linear, classifier @ classifier.T, self.dcc_sweeps)
        projection = ridge_regression(phi, codes, self.projection_reg)
        agreement = (torch.sign(phi @ projection) == codes).double().mean()
        fit_loss = (targets - codes @ classifier).pow(2).sum(1).mean()
        self.projection = projection.float()
        self.bit_scale = code_scale((phi @ projection).float())
        return dict(label_fit_loss=fit_loss.item(),
                    train_bit_agreement=agreement.item())

    def encode_fitted(self, image: Tensor, text: Tensor) -> Tensor:
        phi = self.kernel(self.views(image, text))
        return squash_codes(phi @ self.projection.to(phi.dtype),
                            self.bit_scale.to(phi.dtype))
