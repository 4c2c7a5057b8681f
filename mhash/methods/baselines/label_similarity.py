# Copyright (c) mhash contributors. All rights reserved.
"""The pairwise label similarity ``S = 2 Y Y^T - 1`` without forming it.

FOMH and SAPMH preserve ``S_ij = 2 <y_i, y_j> - 1`` (the authors'
``2 L L^T - 1``: +1 or more for pairs sharing labels, -1 otherwise) in an
asymmetric term ``||B X^T - k S||^2``. Here S only ever appears multiplied
by a thin matrix or inside that norm, so n x n memory is never needed.
"""
from torch import Tensor

__all__ = ['times_label_similarity', 'label_similarity_residual']


def times_label_similarity(labels: Tensor, x: Tensor) -> Tensor:
    """``S x = 2 Y (Y^T x) - 1 (1^T x)`` in ``O(n c k)``.

    Args:
        labels (Tensor): Multi-hot labels Y ``(n, c)``.
        x (Tensor): ``(n, k)``.

    Returns:
        Tensor: ``(n, k)``.

    Examples:
        >>> import torch
        >>> y = torch.tensor([[1., 0], [1, 0], [0, 1]])
        >>> times_label_similarity(y, torch.eye(3))
        tensor([[ 1.,  1., -1.],
                [ 1.,  1., -1.],
                [-1., -1.,  1.]])
    """
    return 2 * labels @ (labels.T @ x) - x.sum(0, keepdim=True)


def label_similarity_residual(labels: Tensor, codes: Tensor, other: Tensor,
                              num_bits: int) -> Tensor:
    """``||B X^T - k S||_F^2`` expanded into ``k x k`` and ``c x c`` terms.

    Args:
        labels (Tensor): Multi-hot labels Y ``(n, c)``.
        codes (Tensor): B ``(n, k)``.
        other (Tensor): X ``(n, k)``.
        num_bits (int): k.

    Returns:
        Tensor: 0-d tensor.

    Examples:
        >>> import torch
        >>> y, b = torch.eye(2), torch.ones(2, 1)
        >>> label_similarity_residual(y, b, b, 1)  # ||11^T - (2I - 11^T)||^2
        tensor(8.)
    """
    ones = labels.new_ones(labels.shape[0], 1)
    cross = ((codes.T @ codes) * (other.T @ other)).sum()
    # <B X^T, S> = 2 tr(B^T Y Y^T X) - (1^T B)(X^T 1)
    inner = 2 * ((labels.T @ codes) * (labels.T @ other)).sum() - (
        ones.T @ codes @ other.T @ ones).squeeze()
    # ||S||^2 = 4 ||Y^T Y||^2 - 4 ||Y^T 1||^2 + n^2
    norm = 4 * (labels.T @ labels).square().sum() - 4 * labels.sum(
        0).square().sum() + labels.shape[0]**2
    return cross - 2 * num_bits * inner + num_bits**2 * norm
