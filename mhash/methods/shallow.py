# Copyright (c) mhash contributors. All rights reserved.
"""Contract of shallow (closed-form / alternating) hashing methods."""
from abc import abstractmethod
from typing import Dict, Optional

import torch
from torch import Tensor

from .base import BaseHashModel

__all__ = ['BaseShallowHashModel']


class BaseShallowHashModel(BaseHashModel):
    """Base class of methods fitted once on the whole training split.

    Instead of :meth:`loss`, a shallow method implements :meth:`fit`, which
    sees every training pair at once (on the model's device) and stores
    everything :meth:`encode` needs as *persistent buffers*, so that the
    checkpoint written after fitting reloads and encodes new queries
    identically. A registered fitting loop calls :meth:`fit` in place of the
    epoch loop; the evaluation and the work-dir outputs are those of every
    other method.

    A config selects the loop and, since the Runner needs one, an empty
    optimizer wrapper: ``train_cfg = dict(type='ShallowFitLoop')`` and
    ``optim_wrapper = dict()``.

    Args:
        num_bits (int): Code length k.
        data_preprocessor (dict, optional): See :class:`BaseHashModel`.
        init_cfg (dict, optional): See :class:`BaseHashModel`.

    Examples:
        >>> class MeanThresholdHash(BaseShallowHashModel):
        ...     def __init__(self, num_bits):
        ...         super().__init__(num_bits)
        ...         self.register_buffer('mean', torch.zeros(num_bits))
        ...     def fit(self, image, text, label):
        ...         self.mean.copy_(image[:, :self.num_bits].mean(0))
        ...         return dict(items=image.shape[0])
        ...     def encode_fitted(self, image, text):
        ...         return torch.tanh(image[:, :self.num_bits] - self.mean)
        >>> model = MeanThresholdHash(4)
        >>> model.fit(torch.randn(10, 6), torch.randn(10, 3), None)
        {'items': 10}
        >>> model.mark_fitted()
        >>> model(torch.randn(2, 6), torch.randn(2, 3), mode='tensor').shape
        torch.Size([2, 4])
        >>> sorted(model.state_dict())  # the checkpoint carries the fit
        ['fitted', 'mean']
    """

    def __init__(self,
                 num_bits: int,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(num_bits, data_preprocessor, init_cfg)
        self.register_buffer('fitted', torch.tensor(False), persistent=True)

    @abstractmethod
    def fit(self, image: Tensor, text: Tensor,
            label: Tensor) -> Dict[str, float]:
        """Fit the method on the whole training split.

        Args:
            image (Tensor): Image features ``(n, d_I)``, float32.
            text (Tensor): Text features ``(n, d_T)``, float32.
            label (Tensor): Multi-hot labels ``(n, c)``, float32. Unsupervised
                methods ignore it.

        Returns:
            dict[str, float]: Statistics worth logging (final objective,
            iterations, ...). May be empty.
        """

    def mark_fitted(self) -> None:
        """Record that :meth:`fit` finished (saved with the checkpoint)."""
        self.fitted.fill_(True)

    def loss(self, image: Tensor, text: Tensor, label: Tensor,
             index: Tensor) -> Dict[str, Tensor]:
        raise RuntimeError(
            f'{type(self).__name__} is a shallow method: it is fitted by a '
            'fitting loop (train_cfg=dict(type="ShallowFitLoop")), not '
            'trained with mini-batch losses')

    def encode(self, image: Tensor, text: Tensor) -> Tensor:
        if not bool(self.fitted):
            raise RuntimeError(f'{type(self).__name__} must be fitted (or '
                               'loaded from a fitted checkpoint) before it '
                               'can encode')
        return self.encode_fitted(image, text)

    @abstractmethod
    def encode_fitted(self, image: Tensor, text: Tensor) -> Tensor:
        """Continuous codes ``(N, num_bits)`` in [-1, 1] of a fitted model."""
