# Copyright (c) mhash contributors. All rights reserved.
"""The contract every multi-modal hashing method follows."""
from abc import ABCMeta, abstractmethod
from typing import Dict, List, Optional, Union

import torch
from mmengine.model import BaseModel
from torch import Tensor

__all__ = ['BaseHashModel', 'codes_to_binary']


def codes_to_binary(codes: Tensor) -> Tensor:
    """Binarise continuous codes with ``sign``, mapping exact zeros to +1.

    ``torch.sign`` returns 0 for 0, which is not a valid bit; mhash maps it
    to +1 everywhere (evaluation, search, supervising codes) so a code is
    always in {-1, +1}.

    Args:
        codes (Tensor): Continuous codes of any shape.

    Returns:
        Tensor: ``int8`` tensor of the same shape with values in {-1, +1}.

    Examples:
        >>> codes_to_binary(torch.tensor([[-0.3, 0.0, 0.7]]))
        tensor([[-1,  1,  1]], dtype=torch.int8)
    """
    return torch.where(codes >= 0, 1, -1).to(torch.int8)


class BaseHashModel(BaseModel, metaclass=ABCMeta):
    """Base class of all hashing methods: the plugin contract.

    A method maps an (image, text) pair to ``num_bits`` continuous values in
    [-1, 1]; its hash code is their sign (:func:`codes_to_binary`, 0 -> +1).
    What a method implements:

    - :meth:`encode`: a batch of pairs to continuous codes ``(N, num_bits)``
      in [-1, 1] (for example through ``tanh``);
    - :meth:`loss` (deep methods): a dict of named, already weighted
      ``loss_*`` terms of one batch; each is logged and their sum is
      optimised by mmengine's ``EpochBasedTrainLoop``;
    - or ``fit`` (shallow methods): subclass
      :class:`~mhash.methods.BaseShallowHashModel`, which sees the whole
      training split once, run by ``train_cfg=dict(type='ShallowFitLoop')``;
    - optionally, extra training phases: a *named* model method (for BSTH,
      ``label_prototype_loss`` and ``compute_supervising_codes``) called by
      a registered loop that subclasses an mmengine loop and is selected
      with ``train_cfg=dict(type=...)``. State that the phase produces and
      later phases or :meth:`encode` need is stored in persistent buffers,
      so checkpoints carry it and ``--resume`` skips a finished phase.
      Hooks may flip flags, never run a phase;
    - optionally, ``train_step`` to pick one wrapper of an
      ``OptimWrapperDict`` when sub-modules have their own optimizers.

    What it gets for free: the registered data sets and their batching
    (``dict(image, text, label, index)``), the training / validation / test
    loops, checkpoints and resume, the retrieval metric, the work-dir
    outputs (``test_metrics.json``, ``test_codes.npz``), the config checks
    and the benchmark tables (``tools/benchmark.py``). The ``forward`` modes
    are fixed here and need no override:

    - ``mode='tensor'``: continuous codes from :meth:`encode`;
    - ``mode='predict'``: one dict per item with the binary ``code``
      (``int8`` in {-1, 1}), its ``label`` and its data set ``index``, after
      :meth:`check_codes` verified the shape and range of the codes;
    - ``mode='loss'``: :meth:`loss`.

    See ``docs/adding_a_method.md`` for a walkthrough.

    Args:
        num_bits (int): Code length k.
        data_preprocessor (dict, optional): Moves batches to the model's
            device. Defaults to mmengine's ``BaseDataPreprocessor``.
        init_cfg (dict, optional): Weight initialisation config.

    Examples:
        >>> import torch.nn.functional as F
        >>> from torch import nn
        >>> class TinyHash(BaseHashModel):
        ...     def __init__(self, num_bits, image_dim, text_dim):
        ...         super().__init__(num_bits)
        ...         self.proj = nn.Linear(image_dim + text_dim, num_bits)
        ...     def encode(self, image, text):
        ...         return torch.tanh(self.proj(torch.cat([image, text], 1)))
        ...     def loss(self, image, text, label, index):
        ...         codes = self.encode(image, text)
        ...         return dict(loss_quant=F.mse_loss(codes, codes.sign()))
        >>> model = TinyHash(8, image_dim=5, text_dim=3)
        >>> image, text = torch.randn(4, 5), torch.randn(4, 3)
        >>> model(image, text, mode='tensor').shape
        torch.Size([4, 8])
        >>> item = model(image, text, torch.ones(4, 2), torch.arange(4),
        ...              mode='predict')[0]
        >>> item['code'].dtype, item['index']
        (torch.int8, 0)
    """

    def __init__(self,
                 num_bits: int,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None):
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if not isinstance(num_bits, int) or isinstance(num_bits, bool) \
                or num_bits < 1:
            raise ValueError(f'{type(self).__name__}: num_bits must be a '
                             f'positive int, got {num_bits!r}')
        self.num_bits = num_bits

    @abstractmethod
    def encode(self, image: Tensor, text: Tensor) -> Tensor:
        """Encode a batch of pairs into continuous codes.

        Args:
            image (Tensor): Image features ``(N, d_I)``.
            text (Tensor): Text features ``(N, d_T)``.

        Returns:
            Tensor: Continuous codes ``(N, num_bits)`` in [-1, 1].
        """

    @abstractmethod
    def loss(self, image: Tensor, text: Tensor, label: Tensor,
             index: Tensor) -> Dict[str, Tensor]:
        """Training losses of one batch.

        Args:
            image (Tensor): Image features ``(N, d_I)``.
            text (Tensor): Text features ``(N, d_T)``.
            label (Tensor): Multi-hot labels ``(N, c)`` as float.
            index (Tensor): Indices of the items in the training split.

        Returns:
            dict[str, Tensor]: Named ``loss_*`` terms, weights applied.
        """

    def check_codes(self, codes: Tensor, batch_size: int) -> None:
        """Raise a clear error when :meth:`encode` broke the contract.

        The message names the method and the offending shape, values or
        range. :meth:`predict` calls it on every evaluated batch.

        Args:
            codes (Tensor): What :meth:`encode` returned.
            batch_size (int): Number of pairs that were encoded.

        Raises:
            ValueError: When ``codes`` is not a ``(batch_size, num_bits)``
                floating-point tensor of finite values in [-1, 1].
        """
        name = type(self).__name__
        expected = (batch_size, self.num_bits)
        if not isinstance(codes, Tensor):
            raise ValueError(f'{name}.encode returned a '
                             f'{type(codes).__name__}; expected a Tensor of '
                             f'shape (batch, num_bits) = {expected}')
        if tuple(codes.shape) != expected:
            raise ValueError(f'{name}.encode returned codes of shape '
                             f'{tuple(codes.shape)}; expected (batch, '
                             f'num_bits) = {expected}')
        if not codes.is_floating_point():
            raise ValueError(f'{name}.encode returned {codes.dtype} codes; '
                             'expected continuous floating-point codes in '
                             '[-1, 1] (binarisation happens in predict)')
        if codes.numel() == 0:
            return
        finite = torch.isfinite(codes)
        if not bool(finite.all()):
            bad = int((~finite).sum())
            raise ValueError(f'{name}.encode returned {bad} non-finite '
                             f'value(s) (NaN or inf) in codes of shape '
                             f'{tuple(codes.shape)}; expected values in '
                             '[-1, 1]')
        low, high = codes.min().item(), codes.max().item()
        if not (low >= -1 - 1e-6 and high <= 1 + 1e-6):
            raise ValueError(f'{name}.encode returned codes in '
                             f'[{low:.4g}, {high:.4g}]; expected values in '
                             '[-1, 1] (apply tanh or clamp)')

    def predict(self,
                image: Tensor,
                text: Tensor,
                label: Optional[Tensor] = None,
                index: Optional[Tensor] = None) -> List[dict]:
        """Binary codes of a batch, one dict per item, on the CPU.

        Returns:
            list[dict]: ``code`` (``int8`` (num_bits,)), ``label`` (``uint8``
            (c,), when given) and ``index`` (int, when given).
        """
        codes = self.encode(image, text)
        self.check_codes(codes, image.shape[0])
        binary = codes_to_binary(codes.detach()).cpu()
        labels = None if label is None else label.detach().cpu().to(
            torch.uint8)
        indices = None if index is None else index.detach().cpu().tolist()
        outputs = []
        for i in range(binary.shape[0]):
            item = dict(code=binary[i])
            if labels is not None:
                item['label'] = labels[i]
            if indices is not None:
                item['index'] = int(indices[i])
            outputs.append(item)
        return outputs

    def forward(self,
                image: Tensor,
                text: Tensor,
                label: Optional[Tensor] = None,
                index: Optional[Tensor] = None,
                mode: str = 'tensor'):
        """Dispatch to :meth:`encode`, :meth:`predict` or :meth:`loss`."""
        if mode == 'tensor':
            return self.encode(image, text)
        if mode == 'predict':
            return self.predict(image, text, label, index)
        if mode == 'loss':
            if label is None:
                raise ValueError(f'{type(self).__name__}: mode="loss" needs '
                                 'the batch labels')
            return self.loss(image, text, label, index)
        raise ValueError(f'Invalid mode "{mode}"; expected "tensor", '
                         '"predict" or "loss"')
