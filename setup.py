# Copyright (c) mhash contributors. All rights reserved.
import os.path as osp

from setuptools import find_packages, setup


def get_version():
    namespace = {}
    with open(osp.join('mhash', 'version.py'), encoding='utf-8') as f:
        exec(f.read(), namespace)
    return namespace['__version__']


def readme():
    with open('README.md', encoding='utf-8') as f:
        return f.read()


setup(
    name='mhash',
    version=get_version(),
    description='Multi-modal hashing toolbox on the OpenMMLab engine',
    long_description=readme() if osp.exists('README.md') else '',
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    packages=find_packages(exclude=('configs', 'tools', 'tests', 'projects')),
    python_requires='>=3.9',
    install_requires=[
        'torch>=2.1',
        'mmengine>=0.10.6',
        'numpy>=1.23',
        'scipy>=1.9',
        'h5py>=3.7',
    ],
    extras_require={
        'tests': ['pytest>=7'],
        'plots': ['matplotlib>=3.5'],
        'faiss': ['faiss-cpu>=1.7'],
        'all': ['pytest>=7', 'matplotlib>=3.5', 'faiss-cpu>=1.7'],
    },
    zip_safe=False,
)
