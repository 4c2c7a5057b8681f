# Copyright (c) mhash contributors. All rights reserved.
"""Principal directions: exact for small problems, randomised otherwise."""
from typing import Tuple

import torch
from torch import Tensor

from .anchors import make_generator

__all__ = ['principal_components']


def principal_components(centred: Tensor,
                         num_components: int,
                         seed: int = 0,
                         power_iters: int = 4,
                         oversample: int = 16) -> Tuple[Tensor, Tensor]:
    """Top principal directions of already centred rows.

    When ``num_components`` is a sizeable share of the smaller side of the
    data, the covariance (or Gram) matrix is decomposed exactly; otherwise a
    seeded randomised range finder with ``power_iters`` subspace iterations
    (Halko et al. 2011) costs ``O(n d (num_components + oversample))``
    per pass, which keeps a 5000 x 5482 problem to about a second.
    Computations run in float64.

    Args:
        centred (Tensor): ``(n, d)`` rows with zero mean.
        num_components (int): Number of directions, at most ``min(n, d)``.
        seed (int): Seed of the random test matrix. Defaults to 0.
        power_iters (int): Subspace iterations. Defaults to 4.
        oversample (int): Extra random directions. Defaults to 16.

    Returns:
        tuple[Tensor, Tensor]: directions ``(d, num_components)`` with
        orthonormal columns (dtype of ``centred``) and the variances along
        them ``(num_components,)``, in decreasing order.

    Examples:
        >>> x = torch.tensor([[1., 0.], [-1., 0.], [0., .1], [0., -.1]])
        >>> directions, variances = principal_components(x, 1)
        >>> directions.abs().squeeze().tolist()
        [1.0, 0.0]
    """
    n, d = centred.shape
    if not 1 <= num_components <= min(n, d):
        raise ValueError(f'principal_components: num_components must be in '
                         f'[1, min(n, d) = {min(n, d)}], got {num_components}')
    x = centred.double()
    if 4 * (num_components + oversample) >= min(n, d):
        values, vectors = torch.linalg.eigh(x.T @ x / max(n - 1, 1))
        order = values.argsort(descending=True)[:num_components]
        return vectors[:, order].to(centred.dtype), values[order].to(
            centred.dtype)
    generator = make_generator(seed, x.device)
    width = num_components + oversample
    basis = torch.randn(d, width, generator=generator, dtype=x.dtype,
                        device=x.device)
    basis = torch.linalg.qr(x @ basis)[0]
    for _ in range(power_iters):
        basis = torch.linalg.qr(x.T @ basis)[0]
        basis = torch.linalg.qr(x @ basis)[0]
    _, singular, right = torch.linalg.svd(basis.T @ x, full_matrices=False)
    directions = right[:num_components].T
    variances = singular[:num_components]**2 / max(n - 1, 1)
    return directions.to(centred.dtype), variances.to(centred.dtype)
