# Copyright (c) mhash contributors. All rights reserved.
"""Discrete cyclic coordinate descent (DCC) for binary code matrices."""
from typing import Tuple

import torch
from torch import Tensor

__all__ = ['discrete_cyclic_coordinate_descent']


def discrete_cyclic_coordinate_descent(codes: Tensor,
                                       linear: Tensor,
                                       quadratic: Tensor,
                                       max_sweeps: int = 5,
                                       tol: float = 1e-6
                                       ) -> Tuple[Tensor, int]:
    """Minimise ``tr(B M B^T) - 2 tr(B^T Q)`` over ``B`` in {-1, 1}^(n x k).

    The B-step of SDH (Shen et al., CVPR 2015), where ``M = W W^T`` and
    ``Q = Y W^T + nu F(X)``, and of the discrete multi-view methods built on
    it. With all other bits fixed, bit ``l`` has the closed-form optimum
    ``b_l = sign(q_l - B_{-l} M_{-l, l})``; bits are swept in order until a
    sweep changes (almost) nothing. Zero maps to +1.

    Args:
        codes (Tensor): Initial ``B`` ``(n, k)`` in {-1, 1} (float).
        linear (Tensor): ``Q`` ``(n, k)``.
        quadratic (Tensor): Symmetric ``M`` ``(k, k)``.
        max_sweeps (int): At most this many passes over the bits.
        tol (float): Stop when ``||B - B_prev||_F <= tol ||B_prev||_F``.

    Returns:
        tuple[Tensor, int]: the updated codes (a new tensor) and the number
        of sweeps run.

    Examples:
        >>> b0 = -torch.ones(3, 2)
        >>> q = torch.tensor([[1., -1.], [2., 3.], [-1., -2.]])
        >>> b, _ = discrete_cyclic_coordinate_descent(b0, q, torch.eye(2))
        >>> b
        tensor([[ 1., -1.],
                [ 1.,  1.],
                [-1., -1.]])
    """
    codes = codes.clone()
    k = codes.shape[1]
    sweeps = 0
    for sweeps in range(1, max_sweeps + 1):
        previous = codes.clone()
        for bit in range(k):
            coupling = quadratic[:, bit].clone()
            coupling[bit] = 0
            field = linear[:, bit] - codes @ coupling
            codes[:, bit] = torch.where(field >= 0, 1.0, -1.0).to(codes.dtype)
        change = (codes - previous).norm()
        if change <= tol * previous.norm():
            break
    return codes, sweeps
