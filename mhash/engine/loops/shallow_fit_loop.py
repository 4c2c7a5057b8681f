# Copyright (c) mhash contributors. All rights reserved.
"""A training loop that fits a shallow method once on the whole split."""
import time
from typing import Dict, Union

import numpy as np
import torch
from mmengine.model import is_model_wrapper
from mmengine.runner import BaseLoop
from torch import Tensor
from torch.utils.data import DataLoader

from mhash.registry import LOOPS

__all__ = ['ShallowFitLoop']


def _split_arrays(dataset, device: torch.device):
    """Whole-split ``image``, ``text`` and float ``label`` tensors."""
    missing = [name for name in ('image', 'text', 'labels')
               if not isinstance(getattr(dataset, name, None), np.ndarray)]
    if missing:
        raise TypeError(
            f'ShallowFitLoop reads whole-split numpy arrays from the '
            f'training data set; {type(dataset).__name__} lacks '
            f'{", ".join(missing)} (expected the attributes image (n, d_I), '
            'text (n, d_T) and labels (n, c) of an mhash data set)')

    def to_tensor(array: np.ndarray) -> Tensor:
        # from_numpy shares memory; .to() copies only to convert or move
        return torch.from_numpy(np.ascontiguousarray(array)).to(
            device=device, dtype=torch.float32)

    return (to_tensor(dataset.image), to_tensor(dataset.text),
            to_tensor(dataset.labels))


@LOOPS.register_module()
class ShallowFitLoop(BaseLoop):
    """Fit a :class:`~mhash.methods.BaseShallowHashModel` in one step.

    Closed-form and alternating-optimisation methods see the whole training
    split at once, so this loop replaces the epoch loop by a single call of
    the model's ``fit`` on the data set's arrays (``dataset.image``,
    ``dataset.text``, ``dataset.labels``, as float32 tensors on the model's
    device). To the Runner and its hooks it looks like one epoch of one
    iteration: ``before_train`` / ``before_train_epoch`` run before the fit,
    ``after_train_epoch`` (where the ``CheckpointHook`` saves the fitted
    state) and ``after_train`` after it, and the validation loop, when one
    is configured, runs once in between, as after the last epoch of
    mmengine's ``EpochBasedTrainLoop``. The fit statistics and the fit time
    are logged and stored as ``train/*`` scalars.

    Resuming from a checkpoint written by this loop finds the fit done
    (``epoch == max_epochs``) and fits nothing again.

    Use it with ``train_cfg = dict(type='ShallowFitLoop')`` and
    ``optim_wrapper = dict()`` (the Runner needs one; a shallow method has
    no parameters, and an empty dict builds an empty ``OptimWrapperDict``).

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader or dict): The training dataloader (only its
            data set is used).
        val_after_fit (bool): Run the validation loop once after fitting,
            when the runner has one. Defaults to True.

    Examples:
        >>> train_cfg = dict(type='ShallowFitLoop')
    """

    def __init__(self, runner, dataloader: Union[DataLoader, Dict],
                 val_after_fit: bool = True) -> None:
        super().__init__(runner, dataloader)
        self.val_after_fit = val_after_fit
        self._max_epochs = 1
        self._max_iters = 1
        self._epoch = 0
        self._iter = 0

    @property
    def max_epochs(self) -> int:
        """int: Always 1: the fit is the only epoch."""
        return self._max_epochs

    @property
    def max_iters(self) -> int:
        """int: Always 1: the fit is the only iteration."""
        return self._max_iters

    @property
    def epoch(self) -> int:
        """int: 0 before the fit, 1 after it."""
        return self._epoch

    @property
    def iter(self) -> int:
        """int: 0 before the fit, 1 after it."""
        return self._iter

    def _shallow_model(self):
        model = self.runner.model
        if is_model_wrapper(model):
            model = model.module
        if not callable(getattr(model, 'fit', None)) or not callable(
                getattr(model, 'mark_fitted', None)):
            raise TypeError(
                f'ShallowFitLoop needs a shallow method with fit() and '
                f'mark_fitted() (a BaseShallowHashModel); got '
                f'{type(model).__name__}. Deep methods train with '
                'train_cfg=dict(type="EpochBasedTrainLoop", ...)')
        return model

    def run(self) -> torch.nn.Module:
        """Fit the model, save it through the hooks and validate once."""
        runner = self.runner
        model = self._shallow_model()
        runner.call_hook('before_train')
        if self._epoch >= self._max_epochs:
            runner.logger.info('ShallowFitLoop: the model was already fitted '
                               '(resumed checkpoint); nothing to fit')
            runner.call_hook('after_train')
            return runner.model
        runner.call_hook('before_train_epoch')
        self.fit(model)
        runner.call_hook('after_train_epoch')
        self._epoch += 1
        if self.val_after_fit and runner.val_loop is not None:
            runner.val_loop.run()
        runner.call_hook('after_train')
        return runner.model

    def fit(self, model) -> Dict[str, float]:
        """Fit ``model`` on the training split; log and return its stats."""
        runner = self.runner
        device = next(model.buffers()).device
        image, text, label = _split_arrays(self.dataloader.dataset, device)
        runner.logger.info(
            f'ShallowFitLoop: fitting {type(model).__name__} on '
            f'{image.shape[0]} training pairs (image {image.shape[1]}-d, '
            f'text {text.shape[1]}-d, {label.shape[1]} classes) on {device}')
        model.train()
        start = time.perf_counter()
        with torch.no_grad():
            stats = model.fit(image, text, label) or {}
        model.mark_fitted()
        stats = {key: float(value) for key, value in stats.items()}
        stats['fit_time'] = time.perf_counter() - start
        self._iter += 1
        model.eval()
        for key, value in stats.items():
            runner.message_hub.update_scalar(f'train/{key}', value)
        runner.visualizer.add_scalars(
            {f'train/{key}': value for key, value in stats.items()},
            step=self._iter)
        summary = ', '.join(f'{key}: {value:.4g}'
                            for key, value in stats.items())
        runner.logger.info(f'ShallowFitLoop: fitted; {summary}')
        return stats
