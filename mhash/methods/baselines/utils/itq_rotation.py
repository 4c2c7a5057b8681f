# Copyright (c) mhash contributors. All rights reserved.
"""The orthogonal rotation of iterative quantization (ITQ)."""
from typing import Tuple

import torch
from torch import Tensor

from .anchors import make_generator

__all__ = ['itq_rotation']


def itq_rotation(reduced: Tensor,
                 num_iters: int = 50,
                 seed: int = 0) -> Tuple[Tensor, Tensor]:
    """Rotate ``V`` so that ``sign(V R)`` loses little (Gong & Lazebnik).

    Alternates ``B = sign(V R)`` and the orthogonal Procrustes solution
    ``R = S_hat S^T`` of ``B^T V = S Sigma S_hat^T``, which minimises
    ``||B - V R||_F`` for fixed ``B``, from a seeded random orthogonal
    ``R``. Runs in float64.

    Args:
        reduced (Tensor): Centred low-dimensional data ``V`` ``(n, k)``.
        num_iters (int): Iterations (the paper: 50). Defaults to 50.
        seed (int): Seed of the initial rotation. Defaults to 0.

    Returns:
        tuple[Tensor, Tensor]: the rotation ``(k, k)`` (float64) and the
        mean squared quantization error per row ``||B - V R||^2 / n``.

    Examples:
        >>> rotation, error = itq_rotation(torch.randn(100, 4), 20)
        >>> torch.allclose(rotation @ rotation.T,
        ...                torch.eye(4, dtype=torch.float64))
        True
    """
    data = reduced.double()
    k = data.shape[1]
    generator = make_generator(seed, data.device)
    rotation = torch.linalg.qr(
        torch.randn(k, k, generator=generator, device=data.device,
                    dtype=torch.float64))[0]
    for _ in range(num_iters):
        codes = torch.where(data @ rotation >= 0, 1.0, -1.0).double()
        left, _, right_t = torch.linalg.svd(codes.T @ data)
        rotation = right_t.T @ left.T
    rotated = data @ rotation
    codes = torch.where(rotated >= 0, 1.0, -1.0).double()
    return rotation, (codes - rotated).pow(2).sum(1).mean()
