# Copyright (c) mhash contributors. All rights reserved.
"""docs/adding_a_method.md stays true to the files it quotes and names."""
import os.path as osp
import re

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
GUIDE = osp.join(REPO, 'docs', 'adding_a_method.md')
# paths the guide names that exist only after `tools/new_method.py my_hash`
GENERATED = 'projects/my_hash'


def _guide() -> str:
    with open(GUIDE, encoding='utf-8') as f:
        return f.read()


def test_quoted_code_is_the_files_code():
    blocks = re.findall(r'```python\n# file: (\S+)\n(.*?)```', _guide(),
                        flags=re.S)
    assert len(blocks) >= 6
    for path, code in blocks:
        with open(osp.join(REPO, path), encoding='utf-8') as f:
            source = f.read()
        assert code in source, f'the guide quotes {path} out of date'


def test_named_paths_exist():
    names = set(re.findall(
        r'`((?:projects|configs|tools|mhash|tests|docs)/[\w./-]+)`',
        _guide()))
    names |= set(re.findall(
        r'^python (?:-m pytest )?(?:tools/\S+ )?((?:projects|configs|tests)'
        r'/\S+)', _guide(), flags=re.M))
    assert len(names) > 15
    missing = [name for name in sorted(names)
               if not name.startswith(GENERATED) and 'NAME' not in name
               and not osp.exists(osp.join(REPO, name))]
    assert not missing, f'the guide names missing paths: {missing}'
