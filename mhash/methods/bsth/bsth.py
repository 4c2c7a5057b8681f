# Copyright (c) mhash contributors. All rights reserved.
"""BSTH: Bit-aware Semantic Transformer Hashing (Tan et al., SIGIR 2022)."""
from typing import Dict, Optional, Sequence, Union

import torch
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper, OptimWrapperDict
from torch import Tensor

from mhash.registry import MODELS
from ..base import BaseHashModel, codes_to_binary
from . import losses as L
from .label_prototype import LabelPrototypeLearner
from .semantic_transformer import BitAwareSemanticTransformer

__all__ = ['BSTH']

DEFAULT_LOSS_WEIGHTS = dict(clf=1.0, sign=0.01, sim=1.0)
DEFAULT_PROTOTYPE_LOSS_WEIGHTS = dict(
    clf=0.001, sign=100.0, proto=1.0, bal=0.01)


def _unwrap(module: torch.nn.Module) -> torch.nn.Module:
    return module.module if is_model_wrapper(module) else module


def _plain_state_dict_keys(module, state_dict, prefix, local_metadata):
    """Save sub-modules under their own names when DDP wraps them.

    Multi-process runs wrap each sub-module in its own DDP
    (``MMSeparateDistributedDataParallel``, see the BSTH config), which
    would add ``.module`` to every key; checkpoints keep the keys of the
    plain model so that single- and multi-process runs load each other's.
    """
    for name, child in module._modules.items():
        if is_model_wrapper(child):
            wrapped = f'{prefix}{name}.module.'
            for key in [k for k in state_dict if k.startswith(wrapped)]:
                plain = f'{prefix}{name}.{key[len(wrapped):]}'
                state_dict[plain] = state_dict.pop(key)


def _weights(given: Optional[dict], default: dict, name: str) -> dict:
    weights = dict(default)
    unknown = set(given or {}) - set(default)
    if unknown:
        raise ValueError(f'BSTH: unknown {name} key(s) {sorted(unknown)}; '
                         f'expected {sorted(default)}')
    weights.update(given or {})
    return weights


@MODELS.register_module()
class BSTH(BaseHashModel):
    """Bit-aware Semantic Transformer Hashing, trained in two stages.

    - Stage 1 (:meth:`label_prototype_loss`, run by
      :class:`~mhash.methods.bsth.BSTHTrainLoop`): module B,
      ``self.label_prototypes``, learns category prototypes P on all
      training labels; :meth:`compute_supervising_codes` then stores
      ``b^L = sign(l P)`` of every training item.
    - Stage 2 (:meth:`loss`): module A, ``self.hash_encoder``, regresses
      those codes with the label and similarity terms.
    - Out of sample: :meth:`encode` uses module A alone.

    The supervising codes (``int8 (n, k)``, row = training ``index``) and
    the number of finished stage-1 epochs are persistent buffers, so a
    checkpoint carries them and resume skips a finished stage 1.

    Args:
        num_bits (int): Code length k.
        num_classes (int): Number of labels c.
        image_dim (int): Image feature width d_I.
        text_dim (int): Text feature width d_T.
        image_hidden_dims (Sequence[int]): Image MLP widths after the
            input. Defaults to ``(2048, 128)`` (reference).
        text_hidden_dims (Sequence[int]): Text MLP widths after the input.
            Defaults to ``(1024, 128)`` (reference).
        num_layers (int): Encoder layers per modality. Defaults to 2.
        num_heads (int): Attention heads. Defaults to 1.
        dropout (float): Transformer dropout. Defaults to 0.5.
        activation (str): Transformer activation. Defaults to ``'gelu'``.
        prototype_num_layers (int): Label encoder layers. Defaults to 1.
        loss_weights (dict): Stage-2 weights ``clf, sign, sim``; defaults
            ``1, 0.01, 1`` (NUS-WIDE reference: ``sign=1e-4``).
        prototype_loss_weights (dict): Stage-1 weights ``clf, sign, proto,
            bal``; defaults ``0.001, 100, 1, 0.01``.
        balance_form (str): ``'sum'`` (reference ``sum(h^L)/n``, default)
            or ``'squared_norm'`` (the paper's ``||h^L 1||^2``).
        fast_dropout (bool): Draw dropout masks from random bits: the same
            Bernoulli(1 - p) masks as ``nn.Dropout``, from a different
            random stream, several times cheaper on CPU. ``False`` uses
            ``torch.nn.functional.dropout``. Defaults to True.
        cpu_chunk_tokens (int, optional): On the CPU, module A runs its
            per-item part (DeLayer, positions, encoders, fusion) on slices
            of the batch of about this many tokens, so that activations
            stay in the cache; the same function (see
            :class:`BitAwareSemanticTransformer`). ``None``: whole batch.
            Defaults to 4096.
        data_preprocessor (dict, optional): See :class:`BaseHashModel`.
        init_cfg (dict, optional): Weight initialisation config; the
            default keeps PyTorch's initialisation, as the reference.

    Examples:
        >>> model = BSTH(8, 3, image_dim=10, text_dim=6,
        ...              image_hidden_dims=(16,), text_hidden_dims=(16,))
        >>> labels = torch.tensor([[1., 0, 0], [0, 1, 1], [1, 0, 1]])
        >>> sorted(model.label_prototype_loss(labels))
        ['loss_bal', 'loss_clf', 'loss_proto', 'loss_sign']
        >>> model.compute_supervising_codes(labels).shape
        torch.Size([3, 8])
        >>> sorted(model.loss(torch.randn(3, 10), torch.randn(3, 6), labels,
        ...                   torch.arange(3)))
        ['loss_clf', 'loss_sign', 'loss_sim']
    """

    def __init__(self,
                 num_bits: int,
                 num_classes: int,
                 image_dim: int,
                 text_dim: int,
                 image_hidden_dims: Sequence[int] = (2048, 128),
                 text_hidden_dims: Sequence[int] = (1024, 128),
                 num_layers: int = 2,
                 num_heads: int = 1,
                 dropout: float = 0.5,
                 activation: str = 'gelu',
                 prototype_num_layers: int = 1,
                 loss_weights: Optional[dict] = None,
                 prototype_loss_weights: Optional[dict] = None,
                 balance_form: str = 'sum',
                 fast_dropout: bool = True,
                 cpu_chunk_tokens: Optional[int] = 4096,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, list]] = None):
        super().__init__(num_bits, data_preprocessor, init_cfg)
        self._register_state_dict_hook(_plain_state_dict_keys)
        if balance_form not in L.BALANCE_FORMS:
            raise ValueError(f'BSTH: balance_form must be one of '
                             f'{L.BALANCE_FORMS}, got {balance_form!r}')
        self.num_classes = num_classes
        self.loss_weights = _weights(loss_weights, DEFAULT_LOSS_WEIGHTS,
                                     'loss_weights')
        self.prototype_loss_weights = _weights(
            prototype_loss_weights, DEFAULT_PROTOTYPE_LOSS_WEIGHTS,
            'prototype_loss_weights')
        self.balance_form = balance_form
        self.hash_encoder = BitAwareSemanticTransformer(
            num_bits,
            num_classes,
            image_dims=(image_dim, *image_hidden_dims),
            text_dims=(text_dim, *text_hidden_dims),
            num_layers=num_layers,
            num_heads=num_heads,
            dropout=dropout,
            activation=activation,
            fast_dropout=fast_dropout,
            cpu_chunk_tokens=cpu_chunk_tokens)
        self.label_prototypes = LabelPrototypeLearner(
            num_classes,
            num_bits,
            num_layers=prototype_num_layers,
            num_heads=num_heads,
            dropout=dropout,
            activation=activation,
            fast_dropout=fast_dropout)
        self.register_buffer('supervising_codes',
                             torch.zeros(0, num_bits, dtype=torch.int8))
        self.register_buffer('prototype_epochs_done',
                             torch.zeros((), dtype=torch.long))

    # ------------------------------------------------------------ stage 1
    @property
    def has_supervising_codes(self) -> bool:
        """Whether stage 1 finished and the supervising codes exist."""
        return self.supervising_codes.shape[0] > 0

    def label_prototype_loss(
            self,
            labels: Tensor,
            cooccurrence: Optional[Tensor] = None) -> Dict[str, Tensor]:
        """Stage-1 losses (eq. 25) on the full set of training labels.

        Args:
            labels (Tensor): All training labels ``(n, c)``.
            cooccurrence (Tensor, optional): ``R~`` of ``labels``; computed
                when not given (pass it to avoid recomputing every epoch).

        Returns:
            dict[str, Tensor]: Weighted ``loss_clf``, ``loss_sign``,
            ``loss_proto`` and ``loss_bal``.
        """
        if not labels.is_floating_point():
            labels = labels.float()
        if cooccurrence is None:
            cooccurrence = L.cooccurrence_matrix(labels)
        prototypes, codes, logits = self.label_prototypes(labels)
        w = self.prototype_loss_weights
        return dict(
            loss_clf=w['clf'] * L.classification_loss(logits, labels),
            loss_sign=w['sign'] * L.quantization_loss(codes),
            loss_proto=w['proto'] *
            L.prototype_cooccurrence_loss(prototypes, cooccurrence),
            loss_bal=w['bal'] * L.balance_loss(codes, self.balance_form))

    @torch.no_grad()
    def compute_supervising_codes(self, labels: Tensor) -> Tensor:
        """Store ``b^L = sign(l P)`` of all training items (eq. 13-14).

        Module B is evaluated in eval mode (no dropout), as the reference.
        Exact zeros map to +1 (:func:`codes_to_binary`; the reference's
        ``np.sign`` would give 0, e.g. for an item without labels).

        Args:
            labels (Tensor): Training labels ``(n, c)``, row i = index i.

        Returns:
            Tensor: The stored ``int8 (n, k)`` codes.
        """
        learner = _unwrap(self.label_prototypes)
        was_training = learner.training
        learner.eval()
        prototypes = learner.prototypes()
        learner.train(was_training)
        codes = labels.to(prototypes) @ prototypes
        self.supervising_codes = codes_to_binary(codes).to(
            self.supervising_codes.device)
        return self.supervising_codes

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        # The number of training items is only known once stage 1 ran:
        # take the stored shape so that loading a checkpoint works.
        key = prefix + 'supervising_codes'
        if key in state_dict:
            self.supervising_codes = torch.empty_like(
                state_dict[key], device=self.supervising_codes.device)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    # ------------------------------------------------------------ stage 2
    def encode(self, image: Tensor, text: Tensor) -> Tensor:
        """Module A alone: continuous codes ``(N, k)`` in (-1, 1)."""
        return self.hash_encoder(image, text)[0]

    def loss(self, image: Tensor, text: Tensor, label: Tensor,
             index: Tensor) -> Dict[str, Tensor]:
        """Stage-2 losses (eq. 20) of one mini-batch.

        Returns:
            dict[str, Tensor]: Weighted ``loss_clf``, ``loss_sign`` and
            ``loss_sim``.
        """
        if not self.has_supervising_codes:
            raise RuntimeError(
                'BSTH.loss: no supervising codes yet. Stage 1 must run '
                'first: train with type="BSTHTrainLoop" or call '
                'label_prototype_loss(...) / compute_supervising_codes().')
        if int(index.max()) >= self.supervising_codes.shape[0]:
            raise IndexError(
                f'BSTH.loss: item index {int(index.max())} is outside the '
                f'{self.supervising_codes.shape[0]} supervising codes; was '
                'stage 1 run on this training split?')
        codes, logits = self.hash_encoder(image, text)
        targets = self.supervising_codes[index]
        w = self.loss_weights
        return dict(
            loss_clf=w['clf'] * L.classification_loss(logits, label),
            loss_sign=w['sign'] * L.code_regression_loss(codes, targets),
            loss_sim=w['sim'] *
            L.similarity_loss(codes, L.label_similarity(label)))

    def train_step(self, data, optim_wrapper):
        """Stage-2 step; picks ``hash_encoder``'s wrapper from a dict."""
        if isinstance(optim_wrapper, OptimWrapperDict):
            optim_wrapper = optim_wrapper['hash_encoder']
        assert isinstance(optim_wrapper, OptimWrapper)
        return super().train_step(data, optim_wrapper)
