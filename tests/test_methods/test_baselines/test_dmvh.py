# Copyright (c) mhash contributors. All rights reserved.
import torch

from mhash.methods.baselines import DMVH
from mhash.methods.baselines.dmvh import same_label_knn_graph
from .supervised_multiview_checks import (
    check_beats_baselines, check_codes_do_not_depend_on_the_batch,
    check_deterministic_and_round_trips)


def test_dmvh_beats_random_and_unsupervised_codes(shallow_problem):
    model = DMVH(num_bits=32, num_anchors=100, num_neighbors=10, seed=0)
    check_beats_baselines(shallow_problem, model, 32)
    check_codes_do_not_depend_on_the_batch(shallow_problem, model)


def test_dmvh_is_deterministic_and_round_trips(shallow_problem, tmp_path):
    check_deterministic_and_round_trips(
        shallow_problem,
        lambda: DMVH(num_bits=16, num_anchors=60, num_neighbors=5,
                     max_iter=8, seed=3), tmp_path)


def test_same_label_graph_is_sparse_symmetric_and_label_consistent():
    generator = torch.Generator().manual_seed(0)
    labels = (torch.rand(60, 4, generator=generator) < 0.3).float()
    labels[labels.sum(1) == 0, 0] = 1
    features = torch.randn(60, 5, generator=generator)
    graph = same_label_knn_graph(features, labels, 3, chunk=16).to_dense()
    assert torch.equal(graph, graph.T)
    assert graph.diagonal().abs().sum() == 0
    linked = graph > 0
    assert bool(((labels @ labels.T)[linked] > 0).all())
    # Each item keeps (at least) its 3 nearest same-label neighbours.
    assert bool((linked.sum(1) >= 3).all())
    assert int(linked.sum()) <= 2 * 3 * 60
