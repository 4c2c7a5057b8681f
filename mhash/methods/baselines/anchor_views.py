# Copyright (c) mhash contributors. All rights reserved.
"""Base of the supervised multi-view methods hashing anchor RBF views."""
from collections.abc import Iterable

import torch
from torch import Tensor

from ..shallow import BaseShallowHashModel
from .utils import AnchorRBFFeatures, ResizableBuffersMixin

__all__ = ['AnchorViewsHashModel']


class AnchorViewsHashModel(ResizableBuffersMixin, BaseShallowHashModel):
    """Shallow method on per-modality anchor RBF features (SDMH, FOMH, ...).

    SDMH, FOMH, SAPMH and DMVH map each modality to
    ``phi(x)_j = exp(-||x - a_j||^2 / (2 sigma^2))`` over ``m`` anchors
    drawn at random from the training pairs (the same rows for both
    modalities, as in the authors' MATLAB scripts), optionally followed by a
    constant 1 column (the bias of their linear hash functions). The kernel
    width is the mean sample–anchor distance times ``sigma_scale`` instead of
    the per-data-set constants hard-coded in those scripts.

    This base owns the two :class:`AnchorRBFFeatures` (fitted buffers,
    resized on load), checks the training arrays and returns both views in
    the working precision ``float64``. Subclasses call :meth:`fit_views` at
    the start of ``fit`` and :meth:`finish_fit` at its end, :meth:`views` in
    ``encode_fitted``, and declare their own fitted buffers with
    :meth:`register_fitted_buffers`.

    Args:
        num_bits (int): Code length k.
        num_anchors (int): Anchors per modality.
        sigma_scale (float): Factor on the estimated kernel width.
        bias (bool): Append a constant 1 feature to each view.
        seed (int): Seed of every random choice of the method.
        data_preprocessor (dict, optional): See ``BaseHashModel``.
        init_cfg (dict, optional): See ``BaseHashModel``.
    """

    def __init__(self,
                 num_bits: int,
                 num_anchors: int = 500,
                 sigma_scale: float = 1.0,
                 bias: bool = True,
                 seed: int = 0,
                 data_preprocessor=None,
                 init_cfg=None):
        super().__init__(num_bits, data_preprocessor, init_cfg)
        if not isinstance(num_anchors, int) or num_anchors < 1:
            raise ValueError(f'{type(self).__name__}: num_anchors must be a '
                             f'positive int, got {num_anchors!r}')
        self.num_anchors = num_anchors
        self.bias = bool(bias)
        self.seed = int(seed)
        self.image_features, self.text_features = (AnchorRBFFeatures(
            num_anchors,
            anchor_method='random',
            bandwidth_scale=sigma_scale,
            center=False,
            seed=seed) for _ in range(2))

    def register_fitted_buffers(self, names: Iterable[str]) -> None:
        """Empty persistent buffers that ``fit`` fills (any shape)."""
        for name in names:
            self.register_buffer(name, torch.empty(0), persistent=True)

    def check_training_inputs(self, image: Tensor, text: Tensor,
                              label: Tensor) -> None:
        """Raise a clear error on inconsistent training arrays."""
        name = type(self).__name__
        shapes = [tuple(x.shape) for x in (image, text, label)]
        if any(len(shape) != 2 for shape in shapes):
            raise ValueError(f'{name}.fit expects 2-d image, text and label '
                             f'arrays, got shapes {shapes}')
        if len({shape[0] for shape in shapes}) != 1:
            raise ValueError(f'{name}.fit: image, text and label must have '
                             f'the same number of rows, got shapes {shapes}')
        if shapes[0][0] < self.num_anchors:
            raise ValueError(f'{name}: num_anchors={self.num_anchors} '
                             f'exceeds the {shapes[0][0]} training pairs; '
                             'lower it')

    def fit_views(self, image: Tensor, text: Tensor) -> tuple[Tensor, Tensor]:
        """Draw anchors, set the widths; training views ``(n, m[+1])``.

        The kernel is evaluated in ``float32`` (as at encoding time, and
        without a ``float64`` copy of the raw features); the views are
        returned in ``float64`` for the solvers.
        """
        image_view = self.image_features.fit(image.float())
        text_view = self.text_features.fit(text.float())
        return (self._with_bias(image_view.double()),
                self._with_bias(text_view.double()))

    def views(self, image: Tensor, text: Tensor) -> tuple[Tensor, Tensor]:
        """Anchor RBF views ``(N, m[+1])`` of a batch, ``float64``."""
        return (self._with_bias(self.image_features(image).double()),
                self._with_bias(self.text_features(text).double()))

    def finish_fit(self) -> None:
        """Store every fitted array in ``float32`` and mark the model fitted.

        Fitting runs in ``float64``; the saved state is ``float32`` (the
        dtype of a freshly built model's buffers), so a checkpoint reloaded
        into a new model encodes exactly like the fitted one.
        """
        self.float()
        # Contiguous like loaded buffers, so BLAS takes the same path.
        for module in self.modules():
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    module._buffers[name] = buffer.contiguous()
        self.mark_fitted()

    def _with_bias(self, view: Tensor) -> Tensor:
        if not self.bias:
            return view
        return torch.cat([view, view.new_ones(view.shape[0], 1)], dim=1)
