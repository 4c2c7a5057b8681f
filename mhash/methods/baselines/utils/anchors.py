# Copyright (c) mhash contributors. All rights reserved.
"""Anchor (landmark) selection: seeded k-means or random samples."""
from typing import Tuple

import torch
from torch import Tensor

__all__ = ['kmeans', 'make_generator', 'pairwise_squared_distances',
           'select_anchors']


def make_generator(seed: int, device: torch.device) -> torch.Generator:
    """A seeded ``torch.Generator`` on ``device`` (results repeat per device).

    Examples:
        >>> g = make_generator(0, torch.device('cpu'))
        >>> torch.randn(2, generator=g).shape
        torch.Size([2])
    """
    return torch.Generator(device=device).manual_seed(int(seed))


def pairwise_squared_distances(x: Tensor, y: Tensor) -> Tensor:
    """Squared Euclidean distances between the rows of ``x`` and ``y``.

    Args:
        x (Tensor): ``(n, d)``.
        y (Tensor): ``(m, d)``.

    Returns:
        Tensor: ``(n, m)``, clamped at 0 against rounding.

    Examples:
        >>> pairwise_squared_distances(torch.zeros(1, 2), torch.ones(1, 2))
        tensor([[2.]])
    """
    dist = (x * x).sum(1, keepdim=True) - 2 * x @ y.T + (y * y).sum(1)
    return dist.clamp_(min=0)


def kmeans(features: Tensor,
           num_clusters: int,
           num_iters: int = 20,
           seed: int = 0,
           chunk_size: int = 8192) -> Tuple[Tensor, Tensor]:
    """Lloyd's k-means from seeded random initial centres.

    Empty clusters keep their previous centre. Distances are computed in
    chunks of rows so memory stays ``O(chunk_size * num_clusters)``.

    Args:
        features (Tensor): ``(n, d)`` float.
        num_clusters (int): Number of centres, at most ``n``.
        num_iters (int): Lloyd iterations. Defaults to 20.
        seed (int): Seed of the initial centres. Defaults to 0.
        chunk_size (int): Rows per distance block. Defaults to 8192.

    Returns:
        tuple[Tensor, Tensor]: centres ``(num_clusters, d)`` and the
        assignment ``(n,)`` (int64) of every row.

    Examples:
        >>> x = torch.cat([torch.zeros(5, 2), torch.ones(5, 2) * 10])
        >>> centres, assign = kmeans(x, 2, seed=0)
        >>> sorted(centres[:, 0].tolist())
        [0.0, 10.0]
    """
    n = features.shape[0]
    if not 1 <= num_clusters <= n:
        raise ValueError(f'kmeans: num_clusters must be in [1, {n}] (the '
                         f'number of rows), got {num_clusters}')
    generator = make_generator(seed, features.device)
    start = torch.randperm(n, generator=generator,
                           device=features.device)[:num_clusters]
    centres = features[start].clone()
    assign = torch.zeros(n, dtype=torch.long, device=features.device)
    for _ in range(num_iters):
        for begin in range(0, n, chunk_size):
            block = features[begin:begin + chunk_size]
            assign[begin:begin + chunk_size] = pairwise_squared_distances(
                block, centres).argmin(1)
        sums = torch.zeros_like(centres).index_add_(0, assign, features)
        counts = torch.bincount(assign, minlength=num_clusters)
        filled = counts > 0
        centres[filled] = sums[filled] / counts[filled, None].to(sums.dtype)
    return centres, assign


def select_anchors(features: Tensor,
                   num_anchors: int,
                   method: str = 'kmeans',
                   seed: int = 0,
                   kmeans_iters: int = 10) -> Tensor:
    """Pick ``num_anchors`` landmarks among (or summarising) the rows.

    Args:
        features (Tensor): ``(n, d)`` training features.
        num_anchors (int): Number of anchors; capped at ``n``.
        method (str): ``'kmeans'`` (k-means centres) or ``'random'``
            (random training rows, as in SDH). Defaults to ``'kmeans'``.
        seed (int): Seed. Defaults to 0.
        kmeans_iters (int): Lloyd iterations for ``'kmeans'``.

    Returns:
        Tensor: Anchors ``(min(num_anchors, n), d)``.

    Examples:
        >>> select_anchors(torch.randn(50, 3), 4, method='random').shape
        torch.Size([4, 3])
    """
    num_anchors = min(int(num_anchors), features.shape[0])
    if method == 'random':
        generator = make_generator(seed, features.device)
        rows = torch.randperm(features.shape[0], generator=generator,
                              device=features.device)[:num_anchors]
        return features[rows].clone()
    if method == 'kmeans':
        return kmeans(features, num_anchors, kmeans_iters, seed)[0]
    raise ValueError(f'select_anchors: method must be "kmeans" or "random", '
                     f'got {method!r}')
