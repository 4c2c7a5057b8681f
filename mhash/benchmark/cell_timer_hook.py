# Copyright (c) mhash contributors. All rights reserved.
"""A hook that times the validation passes and the test-time encoding."""
import time
from typing import Optional

from mmengine.hooks import Hook

from mhash.registry import HOOKS

__all__ = ['CellTimerHook']


@HOOKS.register_module()
class CellTimerHook(Hook):
    """Measure what a benchmark cell reports besides its metrics.

    - ``val_time_s``: wall time of every validation pass during training
      (subtracted from the training time by the benchmark);
    - ``encode_time_s`` and ``num_encoded``: the test loop from
      ``before_test_epoch`` to the last ``after_test_iter``, i.e. loading
      and encoding the query and retrieval splits, without the ranking and
      the metrics that follow; ``num_encoded`` counts the encoded items.

    Examples:
        >>> hook = CellTimerHook()
        >>> hook.before_test_epoch(None)
        >>> hook.after_test_iter(None, 0, outputs=[{}, {}])
        >>> hook.num_encoded
        2
    """
    priority = 'VERY_LOW'

    def __init__(self):
        self.val_time_s = 0.0
        self.encode_time_s: Optional[float] = None
        self.num_encoded = 0
        self._val_start: Optional[float] = None
        self._test_start: Optional[float] = None

    def before_val(self, runner) -> None:
        self._val_start = time.perf_counter()

    def after_val(self, runner) -> None:
        if self._val_start is not None:
            self.val_time_s += time.perf_counter() - self._val_start
            self._val_start = None

    def before_test_epoch(self, runner) -> None:
        self._test_start = time.perf_counter()
        self.num_encoded = 0
        self.encode_time_s = 0.0

    def after_test_iter(self,
                        runner,
                        batch_idx: int,
                        data_batch=None,
                        outputs=None) -> None:
        if self._test_start is None:
            return
        self.num_encoded += len(outputs or [])
        self.encode_time_s = time.perf_counter() - self._test_start
