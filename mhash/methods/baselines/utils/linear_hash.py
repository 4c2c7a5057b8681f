# Copyright (c) mhash contributors. All rights reserved.
"""Linear hash functions: ridge regression and sign-preserving squashing."""
import torch
from torch import Tensor

__all__ = [
    'code_scale', 'ridge_regression', 'solve_ridge', 'sign_codes',
    'squash_codes'
]


def sign_codes(x: Tensor) -> Tensor:
    """Sign as ±1 in the dtype of ``x``, with 0 mapped to +1.

    Examples:
        >>> sign_codes(torch.tensor([-0.5, 0.0, 2.0]))
        tensor([-1.,  1.,  1.])
    """
    return torch.where(x >= 0, 1.0, -1.0).to(x.dtype)


def solve_ridge(gram: Tensor, rhs: Tensor, reg: float) -> Tensor:
    """Solve ``(gram + reg I) X = rhs`` for a symmetric PSD ``gram``.

    Examples:
        >>> solve_ridge(torch.eye(2), torch.ones(2, 1), reg=1.0)
        tensor([[0.5000],
                [0.5000]])
    """
    eye = torch.eye(gram.shape[0], dtype=gram.dtype, device=gram.device)
    return torch.linalg.solve(gram + reg * eye, rhs)


def ridge_regression(features: Tensor, targets: Tensor,
                     reg: float = 1e-3) -> Tensor:
    """``argmin_P ||features P - targets||^2 + reg ||P||^2`` (float64 solve).

    Args:
        features (Tensor): ``(n, d)``.
        targets (Tensor): ``(n, k)``.
        reg (float): Ridge weight (> 0 keeps it well posed).

    Returns:
        Tensor: ``P`` of shape ``(d, k)`` in the dtype of ``features``.

    Examples:
        >>> x = torch.eye(3)
        >>> ridge_regression(x, 2 * x, reg=0.0)
        tensor([[2., 0., 0.],
                [0., 2., 0.],
                [0., 0., 2.]])
    """
    x = features.double()
    gram = x.T @ x
    gram.diagonal().add_(reg)
    solution = torch.linalg.solve(gram, x.T @ targets.double())
    return solution.to(features.dtype)


def code_scale(projections: Tensor) -> Tensor:
    """Per-bit ``1 / std`` of the training projections (``(k,)``).

    Multiplying projections by it before :func:`squash_codes` makes the
    continuous codes use the whole (-1, 1) range whatever the scale of the
    method's projection; the sign (the hash bit) is unchanged.

    Examples:
        >>> code_scale(torch.tensor([[1., 10.], [-1., -10.]]))
        tensor([0.7071, 0.0707])
    """
    return projections.std(0).clamp(min=1e-12).reciprocal()


def squash_codes(projections: Tensor, scale: Tensor) -> Tensor:
    """``tanh(projections * scale)``: codes in [-1, 1] with the same signs.

    Examples:
        >>> squash_codes(torch.tensor([[-2., 0., 3.]]), torch.ones(3))
        tensor([[-0.9640,  0.0000,  0.9951]])
    """
    return torch.tanh(projections * scale)
