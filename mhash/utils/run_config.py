# Copyright (c) mhash contributors. All rights reserved.
"""Loading a run's config the same way in every tool."""
import os.path as osp
from typing import Dict, Optional

from mmengine.config import Config

__all__ = ['load_run_config', 'format_metrics']


def load_run_config(path: str,
                    cfg_options: Optional[dict] = None,
                    work_dir: Optional[str] = None,
                    launcher: str = 'none') -> Config:
    """Read a config, apply command-line overrides and pick the work dir.

    Args:
        path (str): The config file.
        cfg_options (dict, optional): ``--cfg-options`` overrides.
        work_dir (str, optional): ``--work-dir``; defaults to the config's
            ``work_dir`` or ``work_dirs/<config name>``.
        launcher (str): The job launcher. Defaults to ``'none'``.

    Returns:
        Config: The merged config (not yet checked; see
        :func:`~mhash.utils.check_config`).
    """
    if not osp.isfile(path):
        raise SystemExit(f'Config file "{path}" does not exist')
    cfg = Config.fromfile(path)
    cfg.launcher = launcher
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(path))[0])
    return cfg


def format_metrics(metrics: Dict[str, object]) -> str:
    """One line of the scalar metrics, e.g. ``retrieval/mAP: 0.8123``."""
    return ', '.join(f'{k}: {v:.4f}' for k, v in metrics.items()
                     if isinstance(v, float))
