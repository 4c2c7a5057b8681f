# Copyright (c) mhash contributors. All rights reserved.
"""The BSTH loss terms (eq. 16-25), each as a plain function.

The paper writes squared norms (sums); the reference implementation uses
``MSELoss`` means. These functions follow the reference: every squared
error is averaged over all its elements. The bit-balance term has both
forms, see :func:`balance_loss`.
"""
import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = [
    'label_similarity', 'cooccurrence_matrix', 'classification_loss',
    'code_regression_loss', 'quantization_loss', 'similarity_loss',
    'prototype_cooccurrence_loss', 'balance_loss', 'BALANCE_FORMS'
]

BALANCE_FORMS = ('sum', 'squared_norm')


def _as_float(labels: Tensor) -> Tensor:
    return labels if labels.is_floating_point() else labels.float()


def label_similarity(labels: Tensor, other: Tensor = None) -> Tensor:
    """Eq. 19: ``S_ij = 2 / (1 + exp(-l_i . l_j)) - 1``.

    Args:
        labels (Tensor): Multi-hot labels ``(N, c)``.
        other (Tensor, optional): Second set ``(M, c)``; defaults to
            ``labels``.

    Returns:
        Tensor: ``(N, M)`` similarities in [0, 1).

    Examples:
        >>> label_similarity(torch.tensor([[1., 0.], [1., 1.]]))
        tensor([[0.4621, 0.4621],
                [0.4621, 0.7616]])
    """
    labels = _as_float(labels)
    other = labels if other is None else _as_float(other)
    return 2 * torch.sigmoid(labels @ other.t()) - 1


def cooccurrence_matrix(labels: Tensor) -> Tensor:
    """Normalised co-occurrence ``R~`` of the c categories (eq. 23).

    ``(L^T L with its diagonal set to n) / n`` over the n training labels,
    as the reference ``get_COO_matrix``: off-diagonal entries are the
    fraction of items having both labels, the diagonal is 1.

    Examples:
        >>> cooccurrence_matrix(torch.tensor([[1, 1], [1, 0]]))
        tensor([[1.0000, 0.5000],
                [0.5000, 1.0000]])
    """
    labels = _as_float(labels)
    n = labels.shape[0]
    if n == 0:
        raise ValueError('cooccurrence_matrix: no labels given')
    counts = labels.t() @ labels
    counts.fill_diagonal_(n)
    return counts / n


def classification_loss(logits: Tensor, labels: Tensor) -> Tensor:
    """Eq. 16 / 21: mean of ``(sigmoid(logits) - l)^2``."""
    return F.mse_loss(torch.sigmoid(logits), labels.to(logits.dtype))


def code_regression_loss(codes: Tensor, targets: Tensor) -> Tensor:
    """Eq. 17: mean of ``(h - b^L)^2``, regressing to supervising codes."""
    return F.mse_loss(codes, targets.to(codes.dtype))


def quantization_loss(codes: Tensor) -> Tensor:
    """Eq. 22: mean of ``(h^L - sign(h^L))^2`` (``torch.sign``, as the
    reference; its gradient flows only through ``h^L``)."""
    return F.mse_loss(codes, torch.sign(codes).detach())


def similarity_loss(codes: Tensor, similarity: Tensor) -> Tensor:
    """Eq. 18: mean of ``(cos(h_i, h_j) - S_ij)^2`` over all pairs."""
    unit = F.normalize(codes, dim=1)
    return F.mse_loss(unit @ unit.t(), similarity.to(codes.dtype))


def prototype_cooccurrence_loss(prototypes: Tensor,
                                cooccurrence: Tensor) -> Tensor:
    """Eq. 23: mean of ``(cos(p_i, p_j) - R~_ij)^2`` over category pairs."""
    unit = F.normalize(prototypes, dim=1)
    return F.mse_loss(unit @ unit.t(), cooccurrence.to(prototypes.dtype))


def balance_loss(codes: Tensor, form: str = 'sum') -> Tensor:
    """Eq. 24, the bit-balance term on the relaxed codes ``h^L`` (n, k).

    Args:
        codes (Tensor): Relaxed supervising codes ``(n, k)``.
        form (str): ``'sum'`` (reference, default): ``sum(h^L) / n``; it
            is linear, pushes codes towards -1 and is unbounded below
            (-k at the limit). ``'squared_norm'`` (paper): ``||h^L_i 1||^2``
            averaged over the n items, i.e. each item's bits should sum to
            zero.

    Examples:
        >>> codes = torch.tensor([[1., -1.], [1., 1.]])
        >>> balance_loss(codes), balance_loss(codes, 'squared_norm')
        (tensor(1.), tensor(2.))
    """
    if form == 'sum':
        return codes.sum() / codes.shape[0]
    if form == 'squared_norm':
        return codes.sum(dim=1).pow(2).mean()
    raise ValueError(f'balance_loss: form must be one of {BALANCE_FORMS}, '
                     f'got {form!r}')
