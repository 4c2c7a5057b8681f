# BSTH with the reference implementation's hyper-parameters (BSTH.md):
# MLPs [d, 2048, 128] / [d, 1024, 128], 2 encoder layers per modality, one
# head, GELU, dropout 0.5; label encoder of 1 layer; stage-1 weights
# clf/sign/proto/bal = 0.001/100/1/0.01 with the reference's balance term
# sum(h^L)/n; stage-2 weights clf/sign/sim = 1/0.01/1. The data set
# dimensions and num_bits come from the final config.
model = dict(
    type='BSTH',
    num_bits=32,
    image_hidden_dims=(2048, 128),
    text_hidden_dims=(1024, 128),
    num_layers=2,
    num_heads=1,
    dropout=0.5,
    activation='gelu',
    prototype_num_layers=1,
    loss_weights=dict(clf=1.0, sign=0.01, sim=1.0),
    prototype_loss_weights=dict(clf=0.001, sign=100.0, proto=1.0, bal=0.01),
    # 'squared_norm' = the paper's ||h^L 1||^2 instead of the reference.
    balance_form='sum',
    # Same Bernoulli dropout masks as nn.Dropout from a cheaper random
    # stream; False = torch.nn.functional.dropout.
    fast_dropout=True,
    # On the CPU, module A's per-item part runs on slices of ~4096 tokens
    # (cache-sized activations; the same function). None = whole batch.
    # CUDA runs the whole batch regardless.
    cpu_chunk_tokens=4096)
# Multi-process runs (ignored by single-process ones): one DDP per
# sub-module, since each stage has its own optimizer (module B in stage 1,
# module A in stage 2).
model_wrapper_cfg = dict(type='MMSeparateDistributedDataParallel')
