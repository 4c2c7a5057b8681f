# Copyright (c) mhash contributors. All rights reserved.
"""Create the skeleton of a new hashing method as a project folder.

``NAME`` (snake_case) becomes ``projects/NAME/``, outside the ``mhash``
package, the OpenMMLab ``projects/`` pattern:

- ``NAME/NAME.py``: the model, class ``CamelCaseName``, registered in
  mhash's ``MODELS``; a working deep method to replace with yours;
- ``NAME/__init__.py``: importing it registers the model;
- ``configs/NAME_synthetic-tiny_16bit.py``: inherits the shared bases and
  imports the model through ``custom_imports``;
- ``tests/test_NAME.py``: the contract, the config and a tiny run; it
  passes as generated;
- ``README.md``.

Nothing under ``mhash/`` changes, and ``tools/train.py`` trains it as it
is. docs/adding_a_method.md explains how to move it into ``mhash/methods``
once it is ready to ship. The templates are in ``tools/method_template/``.

Examples:
    python tools/new_method.py my_hash
    python -m pytest projects/my_hash/tests
    python tools/train.py projects/my_hash/configs/my_hash_synthetic-tiny_16bit.py
"""  # noqa: E501
import argparse
import keyword
import os
import os.path as osp
import re
import sys
from string import Template

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
TEMPLATES = osp.join(ROOT, 'tools', 'method_template')
#: (template, path in the project folder); ``{name}`` is the method name.
FILES = (
    ('model.py.tmpl', '{name}/{name}.py'),
    ('__init__.py.tmpl', '{name}/__init__.py'),
    ('config.py.tmpl', 'configs/{name}_synthetic-tiny_16bit.py'),
    ('test.py.tmpl', 'tests/test_{name}.py'),
    ('README.md.tmpl', 'README.md'),
)
NAME_PATTERN = re.compile(r'^[a-z][a-z0-9]*(_[a-z0-9]+)*$')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Create model, config and test skeletons of a new '
        'hashing method in projects/NAME/')
    parser.add_argument('name', help='method name in snake_case, e.g. '
                        'my_hash (class MyHash)')
    parser.add_argument(
        '--root', default=ROOT, help='repository root that holds configs/ '
        'and receives projects/NAME (default: this checkout)')
    return parser.parse_args(argv)


def class_name_of(name: str) -> str:
    """``'my_hash'`` -> ``'MyHash'``."""
    return ''.join(part[:1].upper() + part[1:] for part in name.split('_'))


def check_name(name: str, root: str) -> str:
    """Validate ``name``; return the class name or raise SystemExit."""
    if not NAME_PATTERN.match(name) or keyword.iskeyword(name):
        raise SystemExit(
            f'Method name "{name}" must be snake_case (lower-case letters, '
            'digits and single underscores, starting with a letter), e.g. '
            '"my_hash"; it names the folder, the module and, in CamelCase, '
            'the class.')
    class_name = class_name_of(name)
    from mhash.registry import MODELS
    from mhash.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    if MODELS.get(class_name) is not None:
        existing = MODELS.get(class_name)
        raise SystemExit(
            f'Method name "{name}" gives the class {class_name}, which is '
            f'already registered in MODELS (by {existing.__module__}); '
            'choose another name.')
    folder = osp.join(root, 'projects', name)
    if osp.exists(folder):
        raise SystemExit(f'"{folder}" already exists; choose another name '
                         'or remove that folder.')
    bases = osp.join(root, 'configs', '_base_')
    if not osp.isdir(bases):
        raise SystemExit(
            f'"{root}" has no configs/_base_/; the generated config inherits '
            'the shared bases from there. Pass --root the repository root.')
    return class_name


def render(template: str, name: str, class_name: str) -> str:
    """Fill ``$name`` and ``$class_name`` into a template file."""
    with open(osp.join(TEMPLATES, template), encoding='utf-8') as f:
        return Template(f.read()).substitute(name=name,
                                             class_name=class_name)


def create_method(name: str, root: str = ROOT) -> list:
    """Write the project folder of a new method.

    Args:
        name (str): snake_case method name.
        root (str): Repository root holding ``configs/``.

    Returns:
        list[str]: The created files.
    """
    class_name = check_name(name, root)
    folder = osp.join(root, 'projects', name)
    created = []
    for template, relative in FILES:
        path = osp.join(folder, relative.format(name=name))
        os.makedirs(osp.dirname(path), exist_ok=True)
        with open(path, 'x', encoding='utf-8') as f:
            f.write(render(template, name, class_name))
        created.append(path)
    return created


def main(argv=None):
    args = parse_args(argv)
    root = osp.abspath(args.root)
    created = create_method(args.name, root)
    print(f'Created the method {class_name_of(args.name)}:')
    for path in created:
        print(f'  {osp.relpath(path, root)}')
    config = osp.join('projects', args.name, 'configs',
                      f'{args.name}_synthetic-tiny_16bit.py')
    print('Next, from the repository root:\n'
          f'  python -m pytest projects/{args.name}/tests\n'
          f'  python tools/train.py {config}\n'
          'and see docs/adding_a_method.md.')
    return 0


if __name__ == '__main__':
    sys.path.insert(0, ROOT)
    sys.exit(main())
