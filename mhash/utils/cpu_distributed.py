# Copyright (c) mhash contributors. All rights reserved.
"""Let mmengine's ``pytorch`` launcher run on machines without a GPU.

mmengine 0.10.7 assumes a GPU per process in two places: its
``init_dist`` calls ``torch.cuda.set_device(local_rank)`` (an error with a
CPU-only torch), and ``Runner.wrap_model`` gives
``DistributedDataParallel`` ``device_ids=[local_rank]`` (refused for a CPU
module). On a machine where CUDA is not available,
:func:`prepare_cpu_distributed` adjusts the config before the Runner is
built: the NCCL backend (GPU only) becomes gloo, the model wrapper gets
``device_ids=None``, and the process group is initialised here, so the
Runner finds it ready and skips ``init_dist``. On GPU machines it does
nothing.
"""
import datetime
import logging

import torch
import torch.distributed as torch_dist
from mmengine.config import Config
from mmengine.logging import print_log

__all__ = ['prepare_cpu_distributed']


def prepare_cpu_distributed(cfg: Config) -> bool:
    """Make a ``launcher='pytorch'`` config run on CPUs with gloo.

    Args:
        cfg (Config): The run config (``cfg.launcher`` set by the tool).

    Returns:
        bool: True if the config was changed for a CPU distributed run.

    Raises:
        ValueError: A non-``pytorch`` launcher on a machine without CUDA.

    Examples:
        >>> cfg = Config(dict(launcher='none'))
        >>> prepare_cpu_distributed(cfg)
        False
    """
    launcher = cfg.get('launcher', 'none')
    if launcher == 'none' or torch.cuda.is_available():
        return False
    if launcher != 'pytorch':
        raise ValueError(
            f'launcher "{launcher}" needs GPUs with mmengine; on a CPU-only '
            'machine use the pytorch launcher (tools/dist_train.sh or '
            'python -m torch.distributed.run ... --launcher pytorch)')
    env_cfg = cfg.setdefault('env_cfg', {})
    dist_cfg = env_cfg.setdefault('dist_cfg', {})
    if dist_cfg.get('backend', 'nccl') == 'nccl':
        dist_cfg['backend'] = 'gloo'
        print_log('No GPU: distributed backend nccl -> gloo', 'current',
                  logging.INFO)
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel', broadcast_buffers=False)
    # DistributedDataParallel takes device_ids=None for CPU modules.
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    if not torch_dist.is_initialized():
        options = {k: v for k, v in dist_cfg.items() if k != 'backend'}
        if 'timeout' in options:
            options['timeout'] = datetime.timedelta(
                seconds=options['timeout'])
        torch_dist.init_process_group(backend=dist_cfg['backend'],
                                      **options)
    return True
