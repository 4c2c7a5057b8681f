# Copyright (c) mhash contributors. All rights reserved.
import pytest
import torch

from mhash.methods.baselines import MFH
from mhash.methods.baselines.utils import knn_graph, unnormalized_laplacian


def test_mfh_beats_random_codes(shallow_problem):
    model = MFH(num_bits=32, num_anchors=50, num_neighbors=10, seed=0)
    stats = shallow_problem.fit(model)
    assert stats['graph_edges'] <= 2 * 2 * 10 * 300 + 300 * 2  # sparse
    score = shallow_problem.model_map(model)
    assert score > shallow_problem.random_codes_map(32) + 0.1


def test_mfh_bits_are_smoother_on_the_view_graphs_than_random_ones(
        shallow_problem):
    model = MFH(num_bits=8, num_anchors=40, num_neighbors=10, seed=0)
    shallow_problem.fit(model)
    image, text, _ = shallow_problem.split_tensors('tr')
    laplacian = sum(
        unnormalized_laplacian(knn_graph(norm(view), 10)).to_dense()
        for norm, view in ((model.image_norm, image),
                           (model.text_norm, text)))
    features = model._features(image, text)

    def roughness(embedding):
        embedding = embedding - embedding.mean(0)
        return (torch.trace(embedding.T @ laplacian @ embedding) /
                embedding.pow(2).sum()).item()

    random_directions = torch.randn(features.shape[1], 8,
                                    generator=torch.Generator().manual_seed(0))
    assert roughness(features @ model.projection) < 0.7 * roughness(
        features @ random_directions)


def test_mfh_is_deterministic_and_round_trips(shallow_problem, tmp_path):
    first = MFH(num_bits=16, num_anchors=40, seed=2)
    second = MFH(num_bits=16, num_anchors=40, seed=2)
    shallow_problem.fit(first)
    shallow_problem.fit(second)
    image, text, _ = shallow_problem.split_tensors('te')
    assert torch.equal(first.encode(image, text), second.encode(image, text))
    shallow_problem.assert_round_trip(first, MFH(num_bits=16,
                                                 num_anchors=40), tmp_path)


def test_mfh_rejects_more_bits_than_anchor_features():
    with pytest.raises(ValueError, match='num_bits=64'):
        MFH(num_bits=64, num_anchors=10)
