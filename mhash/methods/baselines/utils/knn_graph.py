# Copyright (c) mhash contributors. All rights reserved.
"""Sparse k-nearest-neighbour graphs and their Laplacians."""
import torch
from torch import Tensor

from .anchors import pairwise_squared_distances

__all__ = ['knn_graph', 'normalized_laplacian', 'unnormalized_laplacian']


def _sparse(index: Tensor, values: Tensor, n: int) -> Tensor:
    # indices are built here and valid by construction
    return torch.sparse_coo_tensor(
        index, values, (n, n), check_invariants=False).coalesce()


def knn_graph(features: Tensor,
              num_neighbors: int,
              weighting: str = 'heat',
              chunk_size: int = 2048) -> Tensor:
    """Symmetric sparse kNN affinity matrix of the rows of ``features``.

    Neighbours are found block by block (``chunk_size`` rows against all
    rows), so memory is ``O(chunk_size * n + n * num_neighbors)``, never
    ``n x n``: NUS-WIDE's 21,000 rows need about 170 MB per block.
    ``W_ij = exp(-d_ij^2 / t)`` with ``t`` the mean squared distance to the
    neighbours (``'heat'``) or 1 (``'binary'``), symmetrised with
    ``max(W, W^T)``; no self loops.

    Args:
        features (Tensor): ``(n, d)``.
        num_neighbors (int): k, capped at ``n - 1``.
        weighting (str): ``'heat'`` or ``'binary'``. Defaults to ``'heat'``.
        chunk_size (int): Rows per distance block. Defaults to 2048.

    Returns:
        Tensor: Sparse COO ``(n, n)`` float tensor, coalesced.

    Examples:
        >>> x = torch.tensor([[0.], [1.], [10.], [11.]])
        >>> knn_graph(x, 1, weighting='binary').to_dense()
        tensor([[0., 1., 0., 0.],
                [1., 0., 0., 0.],
                [0., 0., 0., 1.],
                [0., 0., 1., 0.]])
    """
    n = features.shape[0]
    if n < 2:
        raise ValueError(f'knn_graph: needs at least 2 rows, got {n}')
    if weighting not in ('heat', 'binary'):
        raise ValueError(f'knn_graph: weighting must be "heat" or "binary", '
                         f'got {weighting!r}')
    k = min(int(num_neighbors), n - 1)
    dists, cols = [], []
    for begin in range(0, n, chunk_size):
        block = pairwise_squared_distances(features[begin:begin + chunk_size],
                                           features)
        rows = torch.arange(begin, begin + block.shape[0],
                            device=features.device)
        block[rows - begin, rows] = float('inf')
        value, index = block.topk(k, dim=1, largest=False)
        dists.append(value)
        cols.append(index)
    dist, col = torch.cat(dists), torch.cat(cols)
    row = torch.arange(n, device=features.device).repeat_interleave(k)
    if weighting == 'heat':
        weight = torch.exp(-dist / dist.mean().clamp(min=1e-12)).reshape(-1)
    else:
        weight = torch.ones(n * k, dtype=features.dtype,
                            device=features.device)
    index = torch.stack([torch.cat([row, col.reshape(-1)]),
                         torch.cat([col.reshape(-1), row])])
    # a mutual pair appears twice per direction with the same weight
    # (distances are symmetric), so averaging duplicates is max(W, W^T)
    both = torch.cat([weight, weight])
    graph = _sparse(index, both, n)
    counts = _sparse(index, torch.ones_like(both), n)
    return _sparse(graph.indices(), graph.values() / counts.values(), n)


def normalized_laplacian(affinity: Tensor) -> Tensor:
    """``I - D^-1/2 W D^-1/2`` of a sparse affinity matrix, as sparse COO.

    Args:
        affinity (Tensor): Sparse ``(n, n)`` symmetric, non-negative.

    Returns:
        Tensor: Sparse COO ``(n, n)``.

    Examples:
        >>> w = torch.tensor([[0., 1.], [1., 0.]]).to_sparse()
        >>> normalized_laplacian(w).to_dense()
        tensor([[ 1., -1.],
                [-1.,  1.]])
    """
    affinity = affinity.coalesce()
    n = affinity.shape[0]
    degree = torch.sparse.sum(affinity, 1).to_dense()
    inv_sqrt = degree.clamp(min=1e-12).rsqrt()
    row, col = affinity.indices()
    values = -affinity.values() * inv_sqrt[row] * inv_sqrt[col]
    diag = torch.arange(n, device=affinity.device)
    index = torch.cat([affinity.indices(), torch.stack([diag, diag])], 1)
    values = torch.cat([values, torch.ones(n, dtype=values.dtype,
                                           device=values.device)])
    return _sparse(index, values, n)


def unnormalized_laplacian(affinity: Tensor,
                           scale_by_mean_degree: bool = True) -> Tensor:
    """``D - W`` of a sparse affinity matrix, as sparse COO.

    Its null space is the constant vector, which centred embeddings avoid
    by construction. Dividing by the mean degree makes graphs of different
    views comparable before they are summed.

    Args:
        affinity (Tensor): Sparse ``(n, n)`` symmetric, non-negative.
        scale_by_mean_degree (bool): Divide by the mean degree.
            Defaults to True.

    Returns:
        Tensor: Sparse COO ``(n, n)``.

    Examples:
        >>> w = torch.tensor([[0., 2.], [2., 0.]]).to_sparse()
        >>> unnormalized_laplacian(w).to_dense()
        tensor([[ 1., -1.],
                [-1.,  1.]])
    """
    affinity = affinity.coalesce()
    n = affinity.shape[0]
    degree = torch.sparse.sum(affinity, 1).to_dense()
    divisor = degree.mean().clamp(min=1e-12) if scale_by_mean_degree else 1
    diag = torch.arange(n, device=affinity.device)
    index = torch.cat([affinity.indices(), torch.stack([diag, diag])], 1)
    values = torch.cat([-affinity.values(), degree]) / divisor
    return _sparse(index, values, n)
