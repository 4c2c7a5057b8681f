# Copyright (c) mhash contributors. All rights reserved.
"""A deterministic synthetic multi-modal, multi-label data set.

It is the embedded default of mhash: it needs no download, yet it has the
structure that makes multi-modal hashing interesting.

- **Labels with co-occurrence.** Items draw one or two latent *topics*;
  each topic prefers a few classes, and class frequencies are skewed, so
  labels co-occur the way image tags do (``sea`` with ``sky``).
- **Two modalities that see different, noisy parts of the labels.** Each
  modality observes every label of an item only with probability
  ``1 - view_dropout`` (independently per modality) and sometimes sees a
  spurious one, so fusing both views beats either alone.
- **Dense "image" features**: non-negative (like post-ReLU CNN features),
  a sum of class prototypes of the observed labels plus label-free nuisance
  factors and Gaussian noise.
- **Sparse binary bag-of-words "text" features**: a few tags per item, each
  drawn from the tag vocabulary of an observed class or from a skewed
  background distribution.

The splits follow the MIR Flickr protocol: a query set, a retrieval
database, and training pairs drawn from the database. The defaults have
MIR Flickr's sizes (5,000 / 17,772 / 2,243 items, 24 classes, 4,096-d
image, 1,386-d text); results on it are *synthetic* results.
"""
from typing import Dict

import numpy as np

__all__ = [
    'make_synthetic_multimodal', 'synthetic_image_view', 'GENERATOR_VERSION',
    'SYNTHETIC_MIRFLICKR_LIKE', 'SYNTHETIC_TINY'
]

#: Bumped whenever the generator's output changes (invalidates caches).
GENERATOR_VERSION = 2

#: MIR Flickr sizes (the embedded default).
SYNTHETIC_MIRFLICKR_LIKE = dict(
    num_train=5000,
    num_retrieval=17772,
    num_query=2243,
    num_classes=24,
    image_dim=4096,
    text_dim=1386)

#: A tiny problem for tests and doctests (runs in milliseconds).
SYNTHETIC_TINY = dict(
    num_train=200,
    num_retrieval=400,
    num_query=60,
    num_classes=6,
    image_dim=64,
    text_dim=48)


def _sample_labels(rng: np.random.Generator, n: int, c: int) -> np.ndarray:
    num_topics = max(2, c // 3)
    # Skewed class frequencies and ~3.8 labels per item, as in MIR Flickr.
    base = 1.0 / np.arange(1, c + 1)**0.8
    base = base[rng.permutation(c)]
    affinity = rng.gamma(0.3, size=(num_topics, c)) * base
    affinity /= affinity.sum(1, keepdims=True)
    labels = np.zeros((n, c), dtype=np.uint8)
    topics = rng.integers(0, num_topics, size=(n, 2))
    second = rng.random(n) < 0.4
    # MIR Flickr's ~3.8 labels per item at 24 classes; fewer for small c,
    # so that small problems keep distinct neighbourhoods.
    counts = np.minimum(1 + rng.poisson(2.8 * min(1.0, c / 24), size=n), c)
    for i in range(n):
        mix = affinity[topics[i, 0]]
        if second[i]:
            mix = 0.5 * (mix + affinity[topics[i, 1]])
        picked = rng.choice(c, size=counts[i], replace=False, p=mix)
        labels[i, picked] = 1
    return labels


def _observe(rng: np.random.Generator, labels: np.ndarray, dropout: float,
             spurious: float) -> np.ndarray:
    """What one modality sees of the labels: some dropped, some invented."""
    seen = labels * (rng.random(labels.shape) >= dropout)
    invented = rng.random(labels.shape) < spurious / labels.shape[1]
    return np.maximum(seen, invented).astype(np.float32)


def _image_features(rng: np.random.Generator, seen: np.ndarray, dim: int,
                    noise: float) -> np.ndarray:
    n, c = seen.shape
    prototypes = rng.standard_normal((c, dim), dtype=np.float32)
    nuisance_rank = 16
    nuisance = rng.standard_normal((nuisance_rank, dim), dtype=np.float32)
    scale = 1.0 / np.sqrt(np.maximum(seen.sum(1, keepdims=True), 1.0))
    features = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 4096):
        stop = min(n, start + 4096)
        block = (seen[start:stop] * scale[start:stop]) @ prototypes
        factors = rng.standard_normal((stop - start, nuisance_rank),
                                      dtype=np.float32)
        block += 0.5 * factors @ nuisance
        block += noise * rng.standard_normal((stop - start, dim),
                                             dtype=np.float32)
        features[start:stop] = np.maximum(block, 0.0)
    return features


def _text_features(rng: np.random.Generator, seen: np.ndarray, dim: int,
                   tags_per_item: float) -> np.ndarray:
    n, c = seen.shape
    tags_per_class = max(3, dim // (2 * c))
    class_tags = np.stack(
        [rng.choice(dim, size=tags_per_class, replace=False)
         for _ in range(c)])
    background = 1.0 / np.arange(1, dim + 1)
    background = background[rng.permutation(dim)] / background.sum()
    text = np.zeros((n, dim), dtype=np.float32)
    counts = 1 + rng.poisson(max(tags_per_item - 1, 0.0), size=n)
    for i in range(n):
        classes = np.flatnonzero(seen[i])
        for _ in range(counts[i]):
            if len(classes) and rng.random() < 0.7:
                tag = class_tags[rng.choice(classes),
                                 rng.integers(tags_per_class)]
            else:
                tag = rng.choice(dim, p=background)
            text[i, tag] = 1.0
    return text


def synthetic_image_view(labels: np.ndarray,
                         image_dim: int = 4096,
                         view_dropout: float = 0.35,
                         spurious_labels: float = 0.3,
                         image_noise: float = 1.5,
                         seed: int = 0) -> np.ndarray:
    """Synthetic dense "image" features for given (e.g. real) labels.

    Used where a real data set lacks a modality, e.g. MIR Flickr's real
    labels and tags without its VGG features. The output is synthetic and
    must be reported as such.

    Args:
        labels (np.ndarray): Multi-hot labels (n, c).
        image_dim (int): Feature width.
        view_dropout (float): Probability that a label is not visible.
        spurious_labels (float): Expected invented labels per item.
        image_noise (float): Standard deviation of the noise.
        seed (int): Random seed.

    Returns:
        np.ndarray: float32 features (n, image_dim), non-negative.

    Examples:
        >>> labels = np.eye(3, dtype=np.uint8)[[0, 1, 2, 0]]
        >>> synthetic_image_view(labels, image_dim=5).shape
        (4, 5)
    """
    rng = np.random.default_rng(seed)
    seen = _observe(rng, labels, view_dropout, spurious_labels)
    return _image_features(rng, seen, image_dim, image_noise)


def make_synthetic_multimodal(num_train: int = 5000,
                              num_retrieval: int = 17772,
                              num_query: int = 2243,
                              num_classes: int = 24,
                              image_dim: int = 4096,
                              text_dim: int = 1386,
                              view_dropout: float = 0.35,
                              spurious_labels: float = 0.3,
                              image_noise: float = 1.5,
                              tags_per_item: float = 4.6,
                              seed: int = 0) -> Dict[str, np.ndarray]:
    """Generate the synthetic data set under the reference keys.

    Args:
        num_train (int): Training pairs, drawn from the retrieval set.
        num_retrieval (int): Retrieval database size.
        num_query (int): Query set size.
        num_classes (int): Number of labels c.
        image_dim (int): Width of the dense image features.
        text_dim (int): Width of the binary bag-of-words text features.
        view_dropout (float): Probability that a modality misses a label.
        spurious_labels (float): Expected number of invented labels a
            modality sees per item.
        image_noise (float): Standard deviation of the image noise.
        tags_per_item (float): Mean number of tags per item.
        seed (int): Random seed; the output is a pure function of the
            arguments.

    Returns:
        dict[str, np.ndarray]: ``I_tr T_tr L_tr I_db T_db L_db I_te T_te
        L_te``, items × dims; features float32, labels uint8.

    Examples:
        >>> arrays = make_synthetic_multimodal(**SYNTHETIC_TINY)
        >>> arrays['I_db'].shape, arrays['T_te'].shape, arrays['L_tr'].shape
        ((400, 64), (60, 48), (200, 6))
        >>> bool((arrays['L_db'].sum(1) > 0).all())
        True
    """
    if num_train > num_retrieval:
        raise ValueError(f'num_train ({num_train}) cannot exceed '
                         f'num_retrieval ({num_retrieval}): training pairs '
                         'are drawn from the retrieval database')
    rng = np.random.default_rng(seed)
    n = num_retrieval + num_query
    labels = _sample_labels(rng, n, num_classes)
    image = _image_features(
        rng, _observe(rng, labels, view_dropout, spurious_labels), image_dim,
        image_noise)
    text = _text_features(
        rng, _observe(rng, labels, view_dropout, spurious_labels), text_dim,
        tags_per_item)
    order = rng.permutation(n)
    query, retrieval = order[:num_query], order[num_query:]
    train = retrieval[rng.choice(num_retrieval, num_train, replace=False)]
    arrays = {}
    for suffix, rows in (('tr', train), ('db', retrieval), ('te', query)):
        arrays[f'I_{suffix}'] = image[rows]
        arrays[f'T_{suffix}'] = text[rows]
        arrays[f'L_{suffix}'] = labels[rows]
    return arrays
