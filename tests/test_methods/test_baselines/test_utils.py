# Copyright (c) mhash contributors. All rights reserved.
import pytest
import torch

from mhash.methods.baselines.utils import (
    AnchorRBFFeatures,
    FeatureNormalizer,
    discrete_cyclic_coordinate_descent,
    kmeans,
    knn_graph,
    normalized_laplacian,
    principal_components,
    ridge_regression,
    select_anchors,
)


def test_kmeans_is_seeded_and_lowers_the_distortion():
    torch.manual_seed(0)
    x = torch.randn(200, 5) * torch.linspace(1, 5, 5)

    def distortion(centres, assign):
        return (x - centres[assign]).pow(2).sum()

    first = kmeans(x, 8, seed=1)
    assert all(torch.equal(a, b) for a, b in zip(first, kmeans(x, 8, seed=1)))
    assert distortion(*first) < 0.9 * distortion(*kmeans(x, 8, num_iters=1,
                                                          seed=1))
    with pytest.raises(ValueError, match='num_clusters'):
        kmeans(x, 500)


def test_select_anchors_methods():
    x = torch.randn(30, 4)
    random_rows = select_anchors(x, 5, method='random', seed=3)
    assert all((x == row).all(1).any() for row in random_rows)
    assert select_anchors(x, 100, method='kmeans').shape == (30, 4)
    with pytest.raises(ValueError, match='method'):
        select_anchors(x, 5, method='grid')


def test_knn_graph_is_sparse_symmetric_and_local():
    torch.manual_seed(0)
    x = torch.cat([torch.randn(50, 3), torch.randn(50, 3) + 30])
    graph = knn_graph(x, 5, chunk_size=16)
    dense = graph.to_dense()
    assert graph.is_sparse and graph._nnz() <= 2 * 5 * 100
    assert torch.allclose(dense, dense.T)
    assert dense.diagonal().eq(0).all()
    assert dense[:50, 50:].eq(0).all()  # no edges across far clusters
    assert (dense > 0).sum(1).min() >= 5
    laplacian = normalized_laplacian(graph).to_dense()
    sqrt_degree = dense.sum(1).sqrt()
    assert torch.allclose(laplacian @ sqrt_degree, torch.zeros(100),
                          atol=1e-5)


def test_randomised_pca_matches_exact():
    torch.manual_seed(0)
    x = torch.randn(400, 200) * 0.9**torch.arange(200.)
    x = x - x.mean(0)
    fast, fast_var = principal_components(x, 4, seed=0)
    exact, exact_var = principal_components(x, 60)
    assert torch.allclose(fast_var, exact_var[:4], rtol=1e-3)
    overlap = (fast.T @ exact[:, :4]).abs().diagonal()
    assert overlap.min() > 0.99


def test_dcc_does_not_increase_the_objective():
    torch.manual_seed(0)
    weights = torch.randn(8, 5)
    quadratic = weights @ weights.T
    linear = torch.randn(60, 8) * 3
    init = torch.where(torch.randn(60, 8) >= 0, 1.0, -1.0)

    def objective(b):
        return (b @ quadratic * b).sum() - 2 * (b * linear).sum()

    codes, sweeps = discrete_cyclic_coordinate_descent(init, linear,
                                                       quadratic)
    assert objective(codes) <= objective(init)
    assert codes.abs().eq(1).all() and 1 <= sweeps <= 5


def test_ridge_regression_recovers_a_linear_map():
    torch.manual_seed(0)
    x = torch.randn(100, 6)
    true = torch.randn(6, 3)
    assert torch.allclose(ridge_regression(x, x @ true, reg=1e-8), true,
                          atol=1e-4)


def test_fitted_helpers_round_trip_into_fresh_modules():
    x = torch.randn(40, 7)
    rbf, norm = AnchorRBFFeatures(6, seed=2), FeatureNormalizer()
    rbf.fit(x), norm.fit(x)
    fresh_rbf, fresh_norm = AnchorRBFFeatures(6), FeatureNormalizer()
    fresh_rbf.load_state_dict(rbf.state_dict())
    fresh_norm.load_state_dict(norm.state_dict())
    query = torch.randn(5, 7)
    assert torch.equal(fresh_rbf(query), rbf(query))
    assert torch.equal(fresh_norm(query), norm(query))
    with pytest.raises(ValueError, match='columns'):
        norm(torch.randn(2, 3))
    with pytest.raises(RuntimeError, match='fitted'):
        AnchorRBFFeatures(3)(query)
