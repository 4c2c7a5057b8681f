# Copyright (c) mhash contributors. All rights reserved.
"""Numerical building blocks shared by the shallow baselines."""
from .anchor_rbf_features import AnchorRBFFeatures
from .anchors import (kmeans, make_generator, pairwise_squared_distances,
                      select_anchors)
from .concatenated_views import ConcatenatedViews
from .discrete_coordinate_descent import discrete_cyclic_coordinate_descent
from .feature_normalizer import FeatureNormalizer
from .knn_graph import knn_graph, normalized_laplacian, unnormalized_laplacian
from .itq_rotation import itq_rotation
from .linear_hash import (code_scale, ridge_regression, sign_codes,
                          solve_ridge, squash_codes)
from .pca import principal_components
from .resizable_buffers import ResizableBuffersMixin

__all__ = [
    'AnchorRBFFeatures', 'ConcatenatedViews', 'FeatureNormalizer',
    'ResizableBuffersMixin', 'code_scale',
    'discrete_cyclic_coordinate_descent', 'itq_rotation', 'kmeans',
    'knn_graph', 'make_generator', 'normalized_laplacian',
    'pairwise_squared_distances', 'principal_components', 'ridge_regression',
    'select_anchors', 'sign_codes', 'solve_ridge', 'squash_codes',
    'unnormalized_laplacian'
]
