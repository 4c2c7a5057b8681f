# Copyright (c) mhash contributors. All rights reserved.
"""Check mhash's BSTH against a literal reference-style build; time both.

The literal build follows the layout of the public reference code
(FutureTwT/BSTH): sequence-first ``nn.TransformerEncoder`` stacks, the
bit-wise and category-wise hash functions as grouped 1x1 ``Conv2d`` layers
over the flattened token sequence, and the losses written out with
``MSELoss`` means. The script

1. builds both for MIR Flickr shapes (4096-d image, 1386-d text, 24
   classes), copies the literal weights into :class:`mhash.methods.BSTH`;
2. checks, in eval mode, that codes, logits, prototypes, supervising codes
   and every loss term agree (max abs difference <= ``--tol``);
3. times stage-2 training steps (forward, backward, Adam) of both on random
   data, alternating them in one process, and prints samples/s and the
   ratio, once under glibc's default malloc settings (``glibc``) and once
   with :data:`~mhash.utils.TUNED_CPU_ALLOCATOR` (``tuned``: freed blocks
   are kept for reuse, not page-faulted again), applied to the whole
   process and so to both builds; see :mod:`mhash.utils.cpu_allocator`.
   Each setting is timed in a fresh child process.

Usage::

    python tools/analysis/benchmark_bsth.py --bits 32 128 --iters 5
    python tools/analysis/benchmark_bsth.py --allocator tuned
    python tools/analysis/benchmark_bsth.py --device cuda   # GPU timing

With ``--device cuda`` the timing runs once on the GPU (the malloc setting
does not apply; mhash's CPU slicing is off on CUDA by design); the
equivalence check always runs on the CPU in float64.
"""
import argparse
import math
import statistics
import subprocess
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

from mhash.methods import BSTH

# --------------------------------------------------------------- literal


class LiteralPositionalEncoding(nn.Module):
    """Sequence-first sinusoidal positions with a 5000-row table."""

    def __init__(self, dim, dropout, max_len=5000):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        pos = torch.arange(max_len, dtype=torch.float).unsqueeze(1)
        freq = torch.exp(
            torch.arange(0, dim, 2).float() * (-math.log(10000.0) / dim))
        table = torch.zeros(max_len, dim)
        table[:, 0::2] = torch.sin(pos * freq)
        table[:, 1::2] = torch.cos(pos * freq)
        self.register_buffer('pe', table.unsqueeze(1))  # (L, 1, dim)

    def forward(self, x):  # x: (L, N, dim)
        return self.dropout(x + self.pe[:x.size(0)])


def literal_mlp(dims):
    layers = []
    for i in range(len(dims) - 1):
        layers += [
            nn.Linear(dims[i], dims[i + 1]),
            nn.BatchNorm1d(dims[i + 1]),
            nn.Tanh()
        ]
    return nn.Sequential(*layers)


def literal_encoder(dim, num_layers, dropout):
    layer = nn.TransformerEncoderLayer(
        d_model=dim,
        nhead=1,
        dim_feedforward=dim,
        activation='gelu',
        dropout=dropout)
    return nn.TransformerEncoder(
        layer, num_layers=num_layers, norm=nn.LayerNorm(dim))


class LiteralHashNet(nn.Module):
    """Module A laid out as the reference (sequence-first, Conv2d hash)."""

    def __init__(self, image_dim, text_dim, num_bits, num_classes,
                 image_hidden=(2048, 128), text_hidden=(1024, 128),
                 num_layers=2, dropout=0.5):
        super().__init__()
        self.dim = image_hidden[-1]
        self.bits = num_bits
        self.image_mlp = literal_mlp([image_dim, *image_hidden])
        self.text_mlp = literal_mlp([text_dim, *text_hidden])
        self.image_concept = nn.Linear(self.dim, self.dim * num_bits)
        self.text_concept = nn.Linear(self.dim, self.dim * num_bits)
        self.image_pos = LiteralPositionalEncoding(self.dim, dropout)
        self.text_pos = LiteralPositionalEncoding(self.dim, dropout)
        self.image_encoder = literal_encoder(self.dim, num_layers, dropout)
        self.text_encoder = literal_encoder(self.dim, num_layers, dropout)
        width = num_bits * self.dim
        self.hash = nn.Sequential(
            nn.Conv2d(width, width // 2, 1, groups=num_bits),
            nn.BatchNorm2d(width // 2), nn.Tanh(),
            nn.Conv2d(width // 2, num_bits, 1, groups=num_bits), nn.Tanh())
        self.classify = nn.Linear(num_bits, num_classes)

    def forward(self, image, text):
        n = image.size(0)
        image_c = self.image_concept(self.image_mlp(image)).reshape(
            n, self.bits, self.dim).permute(1, 0, 2)
        text_c = self.text_concept(self.text_mlp(text)).reshape(
            n, self.bits, self.dim).permute(1, 0, 2)
        memory = self.image_encoder(self.image_pos(image_c)) + \
            self.text_encoder(self.text_pos(text_c))
        flat = memory.permute(1, 0, 2).reshape(n, self.bits * self.dim, 1, 1)
        # The reference squeezes here, which breaks a batch of one.
        code = self.hash(flat).reshape(n, self.bits)
        return code, self.classify(code)


class LiteralPrototypeNet(nn.Module):
    """Module B laid out as the reference (Embedding, Conv2d hash)."""

    def __init__(self, num_classes, num_bits):
        super().__init__()
        self.classes, self.bits = num_classes, num_bits
        self.embedding = nn.Embedding(num_classes + 1, num_bits, padding_idx=0)
        self.encoder = literal_encoder(num_bits, 1, 0.5)
        self.hash = nn.Sequential(
            nn.Conv2d(num_classes * num_bits, num_classes * num_bits, 1,
                      groups=num_classes), nn.Tanh())
        self.classify = nn.Linear(num_bits, num_classes)

    def forward(self, label):
        index = torch.arange(1, self.classes + 1).unsqueeze(0)
        memory = self.encoder(self.embedding(index).permute(1, 0, 2))
        flat = memory.permute(1, 0, 2).reshape(1, -1, 1, 1)
        prototype = self.hash(flat).reshape(self.classes, self.bits)
        code = label @ prototype
        return prototype, code, self.classify(code)


def literal_stage1_losses(net, labels, weights=(0.001, 100, 0.01, 1)):
    n = labels.shape[0]
    cooc = labels.t() @ labels
    cooc[range(cooc.shape[0]), range(cooc.shape[0])] = n
    cooc = cooc / n
    prototype, code, pred = net(labels)
    unit = F.normalize(prototype)
    return dict(
        loss_clf=F.mse_loss(torch.sigmoid(pred), labels) * weights[0],
        loss_sign=F.mse_loss(code, torch.sign(code)) * weights[1],
        loss_bal=code.sum() / n * weights[2],
        loss_proto=F.mse_loss(unit @ unit.t(), cooc) * weights[3])


def literal_stage2_losses(net, image, text, labels, targets,
                          weights=(1, 0.01, 1)):
    code, pred = net(image, text)
    unit = F.normalize(code)
    sim = 2 / (1 + torch.exp(-(labels @ labels.t()))) - 1
    return dict(
        loss_clf=F.mse_loss(torch.sigmoid(pred), labels) * weights[0],
        loss_sign=F.mse_loss(code, targets) * weights[1],
        loss_sim=F.mse_loss(unit @ unit.t(), sim) * weights[2])


# ------------------------------------------------------------ weight copy


def copy_encoder(src, dst):
    dst.load_state_dict(src.state_dict())


def copy_literal_into_mhash(hash_net, proto_net, model):
    """Load the literal weights into an :class:`mhash.methods.BSTH`."""
    enc = model.hash_encoder
    for side in ('image', 'text'):
        branch = getattr(enc, f'{side}_branch')
        branch.mlp.load_state_dict(getattr(hash_net, f'{side}_mlp')
                                   .state_dict())
        branch.concepts.load_state_dict(
            getattr(hash_net, f'{side}_concept').state_dict())
        copy_encoder(getattr(hash_net, f'{side}_encoder'), branch.encoder)
    k, d = hash_net.bits, hash_net.dim
    h = d // 2
    conv1, norm, _, conv2, _ = hash_net.hash
    head = enc.hash_head
    with torch.no_grad():
        head.hidden.weight.copy_(
            conv1.weight.reshape(k, h, d).transpose(1, 2))
        head.hidden.bias.copy_(conv1.bias.reshape(k, h))
        head.norm.load_state_dict(norm.state_dict())
        head.out_weight.copy_(conv2.weight.reshape(k, h))
        head.out_bias.copy_(conv2.bias)
    enc.classifier.load_state_dict(hash_net.classify.state_dict())

    lab = model.label_prototypes
    c = proto_net.classes
    with torch.no_grad():
        lab.category_embeddings.copy_(proto_net.embedding.weight[1:])
        conv = proto_net.hash[0]
        lab.prototype_hash.linear.weight.copy_(
            conv.weight.reshape(c, k, k).transpose(1, 2))
        lab.prototype_hash.linear.bias.copy_(conv.bias.reshape(c, k))
    copy_encoder(proto_net.encoder, lab.encoder)
    lab.classifier.load_state_dict(proto_net.classify.state_dict())


# ------------------------------------------------------------- checks


def build_pair(bits, args):
    torch.manual_seed(args.seed)
    hash_net = LiteralHashNet(args.image_dim, args.text_dim, bits,
                              args.classes)
    proto_net = LiteralPrototypeNet(args.classes, bits)
    model = BSTH(bits, args.classes, args.image_dim, args.text_dim,
                 cpu_chunk_tokens=args.cpu_chunk_tokens)
    copy_literal_into_mhash(hash_net, proto_net, model)
    return hash_net, proto_net, model


def random_batch(n, args, generator):
    image = torch.randn(n, args.image_dim, generator=generator)
    text = (torch.rand(n, args.text_dim, generator=generator) < 0.01).float()
    labels = (torch.rand(n, args.classes, generator=generator) < 0.15)
    labels[torch.arange(n), torch.randint(args.classes, (n, ),
                                          generator=generator)] = True
    return image, text, labels.float()


def max_difference(literal, mine):
    return max((literal[k] - mine[k]).abs().max().item() for k in literal)


@torch.no_grad()
def check_equivalence(bits, args):
    """Compare in float64, so that only a different function can differ.
    """
    hash_net, proto_net, model = build_pair(bits, args)
    for module in (hash_net, proto_net, model):
        module.double()
    # Give BatchNorm non-trivial running statistics first.
    gen = torch.Generator().manual_seed(args.seed)
    image, text, labels = (t.double() for t in random_batch(
        args.check_size, args, gen))
    hash_net.train()
    hash_net(image, text)
    copy_literal_into_mhash(hash_net, proto_net, model)
    for module in (hash_net, proto_net, model):
        module.eval()
    prototype, code_l, _ = proto_net(labels)
    model.compute_supervising_codes(labels)
    targets = torch.sign(code_l)
    diffs = {
        'prototypes': (prototype -
                       model.label_prototypes.prototypes()).abs().max(),
        'supervising codes': (targets - model.supervising_codes.float()).abs(
        ).max(),
    }
    code, logits = hash_net(image, text)
    code_m, logits_m = model.hash_encoder(image, text)
    diffs['codes'] = (code - code_m).abs().max()
    diffs['logits'] = (logits - logits_m).abs().max()
    diffs['stage-1 losses'] = max_difference(
        literal_stage1_losses(proto_net, labels),
        model.label_prototype_loss(labels))
    diffs['stage-2 losses'] = max_difference(
        literal_stage2_losses(hash_net, image, text, labels, targets),
        model.loss(image, text, labels, torch.arange(len(labels))))
    worst = max(float(v) for v in diffs.values())
    for name, value in diffs.items():
        print(f'  {bits:3d} bits  max |literal - mhash| {name:18s} '
              f'{float(value):.2e}')
    if worst > args.tol:
        raise SystemExit(f'MISMATCH at {bits} bits: {worst:.2e} > {args.tol}')
    return worst


# ------------------------------------------------------------- timing


def time_interleaved(steps, iters, warmup=1):
    """Median seconds per call of each step, alternating the steps.

    Alternating makes both see the same machine load (shared CPUs).
    """
    for step in steps.values():
        for _ in range(warmup):
            step()
    times = {name: [] for name in steps}
    for _ in range(iters):
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def _synchronize(device):
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def throughput(bits, args):
    device = torch.device(args.device)
    hash_net, proto_net, model = build_pair(bits, args)
    hash_net.to(device)
    model.to(device)
    gen = torch.Generator().manual_seed(args.seed + 1)
    image, text, labels = (t.to(device) for t in random_batch(
        args.batch_size, args, gen))
    index = torch.arange(args.batch_size, device=device)
    model.compute_supervising_codes(labels)
    targets = model.supervising_codes.float()
    hash_net.train()
    model.train()
    opt_l = torch.optim.Adam(hash_net.parameters(), lr=1e-3)
    opt_m = torch.optim.Adam(model.hash_encoder.parameters(), lr=1e-3)

    def literal_step():
        opt_l.zero_grad()
        losses = literal_stage2_losses(hash_net, image, text, labels,
                                       targets)
        sum(losses.values()).backward()
        opt_l.step()
        _synchronize(device)

    def mhash_step():
        opt_m.zero_grad()
        losses = model.loss(image, text, labels, index)
        sum(losses.values()).backward()
        opt_m.step()
        _synchronize(device)

    seconds = time_interleaved(
        dict(literal=literal_step, mhash=mhash_step), args.iters)
    return {name: args.batch_size / sec for name, sec in seconds.items()}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--bits', type=int, nargs='+', default=[32, 128])
    parser.add_argument('--iters', type=int, default=5)
    parser.add_argument('--batch-size', type=int, default=1024)
    parser.add_argument('--check-size', type=int, default=64)
    parser.add_argument('--image-dim', type=int, default=4096)
    parser.add_argument('--text-dim', type=int, default=1386)
    parser.add_argument('--classes', type=int, default=24)
    parser.add_argument('--tol', type=float, default=1e-5)
    parser.add_argument('--seed', type=int, default=2021)
    parser.add_argument(
        '--cpu-chunk-tokens',
        type=int,
        default=4096,
        help='mhash BSTH cpu_chunk_tokens (0: whole batch at once)')
    parser.add_argument('--skip-timing', action='store_true')
    parser.add_argument(
        '--device',
        default='cpu',
        help='device to time on: cpu (default) or cuda[:i]')
    parser.add_argument(
        '--allocator',
        choices=['both', 'glibc', 'tuned'],
        default='both',
        help='malloc settings to time under: glibc defaults, '
        'TUNED_CPU_ALLOCATOR (for both builds), or both')
    # Internal: time under one setting in this process (a child run).
    parser.add_argument('--timing-only', action='store_true',
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    args.cpu_chunk_tokens = args.cpu_chunk_tokens or None
    if torch.device(args.device).type == 'cuda' and (
            not torch.cuda.is_available()):
        parser.error(f'--device {args.device}: CUDA is not available')
    return args


def time_one_setting(args):
    """Print the table rows for ``args.allocator`` (a child process)."""
    if args.allocator == 'tuned':
        from mhash.utils import TUNED_CPU_ALLOCATOR, tune_cpu_allocator
        if not tune_cpu_allocator(**TUNED_CPU_ALLOCATOR):
            print(f'| - | {args.allocator} | not glibc: skipped | | |')
            return
    for bits in args.bits:
        rates = throughput(bits, args)
        print(f'| {bits} | {args.allocator} | {rates["literal"]:.1f} | '
              f'{rates["mhash"]:.1f} | '
              f'{rates["mhash"] / rates["literal"]:.2f}x |', flush=True)


def child_command(args, allocator):
    """This script with the parent's arguments, timing one setting."""
    return [
        sys.executable, __file__, *args.argv, '--timing-only', '--allocator',
        allocator
    ]


def main(argv=None):
    args = parse_args(argv)
    if args.timing_only:
        time_one_setting(args)
        return
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, '
          f'timing on {args.device}')
    print('Equivalence (eval mode):')
    for bits in args.bits:
        check_equivalence(bits, args)
    if args.skip_timing:
        return
    print(f'Stage-2 training throughput (forward, backward, Adam step), '
          f'batch {args.batch_size}, median of {args.iters} alternating '
          'steps:')
    print('| bits | malloc | literal samples/s | mhash samples/s | ratio |')
    print('|---|---|---|---|---|', flush=True)
    if torch.device(args.device).type != 'cpu':
        args.allocator = '-'  # host malloc settings do not apply
        time_one_setting(args)
        return
    settings = (['glibc', 'tuned']
                if args.allocator == 'both' else [args.allocator])
    for allocator in settings:
        # A fresh process: malloc settings cannot be undone in-process.
        subprocess.run(child_command(args, allocator), check=True)


if __name__ == '__main__':
    main()
