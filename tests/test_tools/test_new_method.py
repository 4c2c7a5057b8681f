# Copyright (c) mhash contributors. All rights reserved.
"""tools/new_method.py: the generated method passes its generated test."""
import importlib.util
import os
import os.path as osp
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _tool():
    spec = importlib.util.spec_from_file_location(
        'mhash_tool_new_method', osp.join(REPO, 'tools', 'new_method.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def root(tmp_path):
    """A checkout-like root: the shared configs, no projects yet."""
    os.symlink(osp.join(REPO, 'configs'), tmp_path / 'configs')
    return tmp_path


def test_generated_method_passes_its_generated_test(root, capsys):
    assert _tool().main(['gen_check_hash', '--root', str(root)]) == 0
    printed = capsys.readouterr().out
    assert 'Created the method GenCheckHash' in printed
    project = root / 'projects' / 'gen_check_hash'
    for relative in ('gen_check_hash/gen_check_hash.py',
                     'gen_check_hash/__init__.py',
                     'configs/gen_check_hash_synthetic-tiny_16bit.py',
                     'tests/test_gen_check_hash.py', 'README.md'):
        assert (project / relative).is_file(), relative
    model = (project / 'gen_check_hash' / 'gen_check_hash.py').read_text()
    assert 'class GenCheckHash(BaseHashModel)' in model
    assert '$' not in model
    # the user's command, run from the new root in a fresh interpreter
    result = subprocess.run(
        [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
         'projects/gen_check_hash/tests'],
        cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert '5 passed' in result.stdout


def test_bad_names_are_refused_clearly(root):
    tool = _tool()
    for bad in ('MyHash', 'my-hash', '2hash', 'my__hash', 'class'):
        with pytest.raises(SystemExit, match='must be snake_case'):
            tool.main([bad, '--root', str(root)])
    with pytest.raises(SystemExit, match='DeepFusionHash, which is already '
                       'registered'):
        tool.main(['deep_fusion_hash', '--root', str(root)])
    (root / 'projects' / 'taken').mkdir(parents=True)
    with pytest.raises(SystemExit, match='already exists'):
        tool.main(['taken', '--root', str(root)])
    with pytest.raises(SystemExit, match='has no configs/_base_'):
        tool.main(['fine_name', '--root', str(root / 'projects')])
    assert not (root / 'projects' / 'fine_name').exists()


def test_class_names():
    tool = _tool()
    assert tool.class_name_of('my_hash') == 'MyHash'
    assert tool.class_name_of('dch2') == 'Dch2'
