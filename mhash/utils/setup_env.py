# Copyright (c) mhash contributors. All rights reserved.
import datetime
import warnings

from mmengine import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import every mhash module so that its classes are registered.

    Args:
        init_default_scope (bool): Also make ``'mhash'`` the current default
            scope, so that configs without ``default_scope`` build from the
            mhash registries. Defaults to True.

    Examples:
        >>> from mhash.utils import register_all_modules
        >>> register_all_modules()
        >>> from mhash.registry import METRICS
        >>> 'HashRetrievalMetric' in METRICS.module_dict
        True
    """
    import mhash.datasets  # noqa: F401,F811
    import mhash.engine  # noqa: F401,F811
    import mhash.evaluation  # noqa: F401,F811
    import mhash.methods  # noqa: F401,F811

    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    if current is None or not DefaultScope.check_instance_created('mhash'):
        if current is not None and current.scope_name != 'mhash':
            warnings.warn(f'The current default scope "{current.scope_name}"'
                          ' is not "mhash"; a new "mhash" scope is created.')
        name = f'mhash-{datetime.datetime.now()}'
        DefaultScope.get_instance(name, scope_name='mhash')
