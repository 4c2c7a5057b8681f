# Copyright (c) mhash contributors. All rights reserved.
"""DMVH: discrete multi-view hashing.

Rui Yang, Yuliang Shi, Xin-Shun Xu. *Discrete Multi-view Hashing for
Effective Image Retrieval*. ACM ICMR 2017, pp. 175-183 (doi
10.1145/3078971.3078981).

The views are anchor kernel features ``K_m`` (n x p, the same anchors
count per view) fused as ``K = sum_m alpha_m K_m`` with ``alpha`` on the
simplex. Supervision enters through a sparse graph ``S`` linking each pair
to its nearest neighbours among the pairs that share a label; with
``L = I - D^-1/2 S D^-1/2`` DMVH solves

    min  tr(B^T L B) + beta ||Y - B R||^2 + gamma ||B - K W||^2
    Y in {-1, 1}^{n x k},  R^T R = I,  alpha >= 0,  sum_m alpha_m = 1,

where B is a continuous embedding, Y the binary codes, R a rotation and W
the linear hash function. Steps: B solves the Sylvester equation
``(L + gamma I) B + beta B R R^T = beta Y R^T + gamma K W``; W is least
squares; ``Y = sign(B R)``; R is the orthogonal Procrustes solution; alpha
is the quadratic program in the gamma term (closed form for two views). A
query pair is encoded as ``sign(K_q W)``.

Simplifications (named): the graph's neighbours are found in the space of
the concatenated, normalised anchor features (the authors use the raw
features) and the graph is kept sparse; R starts as a random rotation so
that ``R R^T = I`` always holds and the Sylvester equation becomes the
sparse, well-conditioned system ``(L + (beta + gamma) I) B = ...`` solved
by conjugate gradients (the authors call MATLAB's dense ``sylvester``);
the embedding B is centred after each B-step (bit balance: the constant
direction is free under L and otherwise made every code identical in our
runs); the W-step has a tiny ridge for numerical safety; kernel widths are the
mean sample–anchor distance; the continuous code is ``tanh(K_q W)``.
"""

import torch
import torch.nn.functional as F
from torch import Tensor

from mhash.registry import MODELS

from .anchor_views import AnchorViewsHashModel
from .utils import sign_codes

__all__ = ['DMVH', 'same_label_knn_graph']


def same_label_knn_graph(features: Tensor,
                         labels: Tensor,
                         num_neighbors: int,
                         chunk: int = 1024) -> Tensor:
    """Symmetric sparse graph to the nearest neighbours sharing a label.

    Args:
        features (Tensor): ``(n, d)`` features defining the distances.
        labels (Tensor): ``(n, c)`` multi-hot labels.
        num_neighbors (int): Neighbours kept per item (fewer when fewer
            items share a label with it).
        chunk (int): Rows per distance block (bounds the memory).

    Returns:
        Tensor: Sparse COO ``(n, n)`` binary adjacency, symmetric, no self
        loops.

    Examples:
        >>> labels = torch.tensor([[1., 0], [1, 0], [0, 1], [0, 1]])
        >>> graph = same_label_knn_graph(torch.randn(4, 3), labels, 1)
        >>> graph.to_dense()
        tensor([[0., 1., 0., 0.],
                [1., 0., 0., 0.],
                [0., 0., 0., 1.],
                [0., 0., 1., 0.]])
    """
    n = features.shape[0]
    sq_norm = features.square().sum(1)
    rows, cols = [], []
    k = min(num_neighbors, n - 1)
    for start in range(0, n, chunk):
        block = features[start:start + chunk]
        dist = sq_norm[start:start + chunk, None] - 2 * block @ features.T \
            + sq_norm[None]
        unrelated = labels[start:start + chunk] @ labels.T <= 0
        dist = dist.masked_fill(unrelated, float('inf'))
        local = torch.arange(block.shape[0], device=features.device)
        dist[local, local + start] = float('inf')
        values, index = dist.topk(k, dim=1, largest=False)
        keep = torch.isfinite(values)
        rows.append((local + start)[:, None].expand_as(index)[keep])
        cols.append(index[keep])
    rows, cols = torch.cat(rows), torch.cat(cols)
    both = torch.stack([torch.cat([rows, cols]), torch.cat([cols, rows])])
    ones = features.new_ones(both.shape[1])
    graph = torch.sparse_coo_tensor(
        both, ones, (n, n), check_invariants=True).coalesce()
    return torch.sparse_coo_tensor(
        graph.indices(), graph.values().clamp(max=1), (n, n),
        check_invariants=True).coalesce()


def _normalised_adjacency(graph: Tensor) -> Tensor:
    """``D^-1/2 S D^-1/2`` of a sparse binary graph (sparse)."""
    index, values = graph.indices(), graph.values()
    degree = torch.zeros(graph.shape[0], dtype=values.dtype,
                         device=values.device).index_add_(0, index[0], values)
    scale = degree.clamp_min(1).rsqrt()
    return torch.sparse_coo_tensor(
        index, values * scale[index[0]] * scale[index[1]], graph.shape,
        check_invariants=True).coalesce()


def _conjugate_gradient(apply, rhs: Tensor, start: Tensor,
                        max_iter: int = 200,
                        tol: float = 1e-8) -> Tensor:
    """Solve ``apply(X) = rhs`` column-wise for a symmetric positive map."""
    x = start.clone()
    residual = rhs - apply(x)
    direction = residual.clone()
    power = residual.square().sum(0)
    target = tol * rhs.square().sum(0).clamp_min(1e-30)
    for _ in range(max_iter):
        if bool((power <= target).all()):
            break
        mapped = apply(direction)
        step = power / (direction * mapped).sum(0).clamp_min(1e-30)
        x = x + step * direction
        residual = residual - step * mapped
        new_power = residual.square().sum(0)
        direction = residual + (new_power / power.clamp_min(1e-30)) * \
            direction
        power = new_power
    return x


@MODELS.register_module()
class DMVH(AnchorViewsHashModel):
    """Discrete multi-view hashing (Yang et al., ICMR 2017).

    Args:
        num_bits (int): Code length k.
        num_anchors (int): Anchors per modality. Defaults to 500.
        num_neighbors (int): Same-label neighbours per item in the graph.
            Defaults to 15 (the authors' script).
        beta (float): Weight of the quantisation term. Defaults to 0.1
            (the authors' values are not published with the code; 0.1 / 0.1
            was the best of {1, 0.1, 0.01, 0.001} on the synthetic set).
        gamma (float): Weight of the hash-function term. Defaults to 0.1.
        max_iter (int): Alternating iterations. Defaults to 20.
        sigma_scale (float): See ``AnchorViewsHashModel``.
        seed (int): Seed of the anchors and the initialisation.

    Examples:
        >>> _ = torch.manual_seed(0)
        >>> label = torch.eye(4).repeat(20, 1)
        >>> image = label @ torch.randn(4, 8) + 0.1 * torch.randn(80, 8)
        >>> text = label @ torch.randn(4, 6) + 0.1 * torch.randn(80, 6)
        >>> model = DMVH(num_bits=8, num_anchors=20, num_neighbors=5)
        >>> _ = model.fit(image, text, label)
        >>> model.encode(image, text).shape
        torch.Size([80, 8])
    """

    def __init__(self,
                 num_bits: int,
                 num_anchors: int = 500,
                 num_neighbors: int = 15,
                 beta: float = 0.1,
                 gamma: float = 0.1,
                 max_iter: int = 20,
                 sigma_scale: float = 1.0,
                 seed: int = 0,
                 data_preprocessor=None,
                 init_cfg=None):
        super().__init__(
            num_bits,
            num_anchors=num_anchors,
            sigma_scale=sigma_scale,
            bias=True,
            seed=seed,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.register_fitted_buffers(('view_weights', 'projection'))
        self.num_neighbors = num_neighbors
        self.beta, self.gamma = beta, gamma
        self.max_iter = max_iter

    def fit(self, image: Tensor, text: Tensor,
            label: Tensor) -> dict[str, float]:
        self.check_training_inputs(image, text, label)
        views = self.fit_views(image, text)
        labels = label.to(views[0])
        n, k = labels.shape[0], self.num_bits
        beta, gamma = self.beta, self.gamma
        neighbourhood = F.normalize(torch.cat(views, 1), dim=1)
        neighbourhood = F.normalize(
            neighbourhood - neighbourhood.mean(0), dim=1)
        adjacency = _normalised_adjacency(
            same_label_knn_graph(neighbourhood.float(), labels.float(),
                                 self.num_neighbors).to(labels.dtype))
        shift = 1 + beta + gamma

        def system(x: Tensor) -> Tensor:
            return shift * x - torch.sparse.mm(adjacency, x)

        generator = torch.Generator().manual_seed(self.seed + 1)
        rotation = torch.linalg.qr(torch.randn(k, k,
                                               generator=generator))[0].to(
                                                   labels)
        codes = sign_codes(torch.rand(n, k, generator=generator) -
                           0.5).to(labels)
        embedding = codes.clone()
        weights = labels.new_full((2, ), 0.5)
        fused = weights[0] * views[0] + weights[1] * views[1]
        # K^T K of the fused views from the per-view blocks, once.
        grams = (views[0].T @ views[0], views[0].T @ views[1],
                 views[1].T @ views[1])
        projection = self._least_squares(grams, weights, fused, embedding)
        objective, iteration = 0.0, 0
        for iteration in range(1, self.max_iter + 1):
            rhs = beta * codes @ rotation.T + gamma * fused @ projection
            embedding = _conjugate_gradient(system, rhs, embedding)
            # Bit balance: drop the constant direction, which L does not
            # penalise and which otherwise absorbs every bit.
            embedding = embedding - embedding.mean(0)
            projection = self._least_squares(grams, weights, fused,
                                             embedding)
            codes = sign_codes(embedding @ rotation)
            left, _, right = torch.linalg.svd(embedding.T @ codes)
            rotation = left @ right
            weights = self._view_weights(views, projection, embedding)
            fused = weights[0] * views[0] + weights[1] * views[1]
            smooth = (embedding * torch.sparse.mm(adjacency, embedding)).sum()
            objective = float(
                embedding.square().sum() - smooth + beta *
                (codes - embedding @ rotation).square().sum() + gamma *
                (embedding - fused @ projection).square().sum())
        self.view_weights = weights
        self.projection = projection
        self.finish_fit()
        return {
            'objective': objective,
            'iterations': float(iteration),
            'image_weight': float(weights[0]),
            'text_weight': float(weights[1]),
            'graph_edges': float(adjacency.values().numel())}

    @staticmethod
    def _least_squares(grams: tuple[Tensor, Tensor, Tensor],
                       weights: Tensor, fused: Tensor,
                       target: Tensor) -> Tensor:
        """``argmin_W ||K W - B||^2`` with ``K^T K`` from the view blocks."""
        cross = weights[0] * weights[1] * grams[1]
        gram = (weights[0]**2 * grams[0] + cross + cross.T +
                weights[1]**2 * grams[2])
        ridge = 1e-8 * gram.diagonal().mean() * torch.eye(
            gram.shape[0], dtype=gram.dtype, device=gram.device)
        return torch.linalg.solve(gram + ridge, fused.T @ target)

    @staticmethod
    def _view_weights(views: tuple[Tensor, Tensor], projection: Tensor,
                      embedding: Tensor) -> Tensor:
        """Simplex QP ``min ||B - sum_m a_m K_m W||^2`` for two views."""
        mapped = [view @ projection for view in views]
        e11 = mapped[0].square().sum()
        e22 = mapped[1].square().sum()
        e12 = (mapped[0] * mapped[1]).sum()
        f1 = (mapped[0] * embedding).sum()
        f2 = (mapped[1] * embedding).sum()
        curvature = (e11 - 2 * e12 + e22).clamp_min(1e-30)
        first = ((e22 - e12 + f1 - f2) / curvature).clamp(1e-6, 1 - 1e-6)
        return torch.stack([first, 1 - first])

    def encode_fitted(self, image: Tensor, text: Tensor) -> Tensor:
        views = self.views(image, text)
        weights = self.view_weights.double()
        fused = weights[0] * views[0] + weights[1] * views[1]
        return torch.tanh(fused @ self.projection.double()).to(image.dtype)
