# Copyright (c) mhash contributors. All rights reserved.
"""The ``Examples:`` in every mhash docstring run and print what they say."""
import doctest
import importlib
import pkgutil

import pytest

import mhash


def _modules():
    for info in pkgutil.walk_packages(mhash.__path__, 'mhash.'):
        yield info.name


@pytest.mark.parametrize('name', sorted(_modules()))
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f'{result.failed} example(s) failed in {name}'
