# CenterFusionHash, the out-of-tree example method. Importing its package
# registers it; the data set dimensions come from the final config.
custom_imports = dict(
    imports=['projects.example_method.center_fusion_hash'],
    allow_failed_imports=False)

model = dict(
    type='CenterFusionHash',
    num_bits=32,
    hidden_dim=256,
    dropout=0.1,
    center_seed=0,
    loss_weights=dict(center=1.0, quant=0.1))
