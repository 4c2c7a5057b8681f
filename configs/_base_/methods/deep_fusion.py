# DeepFusionHash: two MLP encoders fused by a sum, tanh codes. The data set
# dimensions come from the final config.
model = dict(
    type='DeepFusionHash',
    num_bits=32,
    hidden_dim=1024,
    dropout=0.1,
    loss_weights=dict(clf=1.0, sim=1.0, quant=0.1))
