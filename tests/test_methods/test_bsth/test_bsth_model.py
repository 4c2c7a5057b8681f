# Copyright (c) mhash contributors. All rights reserved.
"""The BSTH model: stage-1/stage-2 losses, supervising codes, checkpoint
state and the two optimizers."""
import pytest
import torch
from mmengine.optim import OptimWrapperDict

from mhash.methods import BSTH, codes_to_binary
from mhash.methods.bsth import SubmoduleOptimWrapperConstructor
from mhash.methods.bsth import losses as L

approx = pytest.approx


def _model(bits=8, **kwargs):
    torch.manual_seed(0)
    return BSTH(bits, 4, image_dim=10, text_dim=6, image_hidden_dims=(16, ),
                text_hidden_dims=(16, ), **kwargs)


def _labels():
    return torch.tensor([[1., 0, 0, 1], [0, 1, 0, 0], [1, 1, 1, 0],
                         [0, 0, 1, 1], [1, 0, 0, 0]])


def test_stage1_loss_terms_match_their_formulas():
    model = _model(prototype_loss_weights=dict(clf=2.0, bal=0.5))
    model.eval()
    labels = _labels()
    losses = model.label_prototype_loss(labels)
    prototypes, codes, logits = model.label_prototypes(labels)
    cooc = L.cooccurrence_matrix(labels)
    assert losses['loss_clf'].item() == pytest.approx(
        2.0 * ((torch.sigmoid(logits) - labels)**2).mean().item())
    assert losses['loss_sign'].item() == pytest.approx(
        100 * ((codes - codes.sign())**2).mean().item())
    unit = prototypes / prototypes.norm(dim=1, keepdim=True)
    assert losses['loss_proto'].item() == pytest.approx(
        ((unit @ unit.t() - cooc)**2).mean().item(), rel=1e-5)
    assert losses['loss_bal'].item() == pytest.approx(
        0.5 * codes.sum().item() / 5, rel=1e-5)
    paper = _model(balance_form='squared_norm').eval()
    codes_p = paper.label_prototypes(labels)[1]
    assert paper.label_prototype_loss(labels)['loss_bal'].item() == approx(
        0.01 * (codes_p.sum(1)**2).mean().item(), rel=1e-5)


def test_stage2_needs_and_regresses_the_supervising_codes():
    model = _model()
    labels = _labels()
    image, text = torch.randn(5, 10), torch.randn(5, 6)
    with pytest.raises(RuntimeError, match='Stage 1 must run'):
        model.loss(image, text, labels, torch.arange(5))
    stored = model.compute_supervising_codes(labels)
    model.label_prototypes.eval()
    expected = codes_to_binary(labels @ model.label_prototypes.prototypes())
    assert torch.equal(stored, expected)
    model.eval()
    index = torch.tensor([4, 0, 2])
    losses = model.loss(image[index], text[index], labels[index], index)
    codes, logits = model.hash_encoder(image[index], text[index])
    assert losses['loss_sign'].item() == pytest.approx(
        0.01 * ((codes - expected[index].float())**2).mean().item())
    assert losses['loss_sim'].item() == pytest.approx(
        L.similarity_loss(codes, L.label_similarity(labels[index])).item())
    with pytest.raises(IndexError, match='outside the 5 supervising'):
        model.loss(image[:1], text[:1], labels[:1], torch.tensor([7]))


def test_checkpoint_round_trip_restores_supervising_codes():
    model = _model()
    model.compute_supervising_codes(_labels())
    model.prototype_epochs_done += 100
    state = model.state_dict()
    assert state['supervising_codes'].shape == (5, 8)
    fresh = _model()
    assert not fresh.has_supervising_codes
    fresh.load_state_dict(state)
    assert torch.equal(fresh.supervising_codes, model.supervising_codes)
    assert int(fresh.prototype_epochs_done) == 100
    model.eval(), fresh.eval()
    x, t = torch.randn(3, 10), torch.randn(3, 6)
    assert torch.equal(model.encode(x, t), fresh.encode(x, t))


def test_train_step_updates_only_the_hash_encoder():
    model = _model()
    labels = _labels()
    model.compute_supervising_codes(labels)
    wrappers = SubmoduleOptimWrapperConstructor(
        dict(hash_encoder=dict(optimizer=dict(type='Adam', lr=1e-2)),
             label_prototypes=dict(optimizer=dict(type='Adam',
                                                  lr=1e-2))))(model)
    assert isinstance(wrappers, OptimWrapperDict)
    before_b = [p.clone() for p in model.label_prototypes.parameters()]
    before_a = [p.clone() for p in model.hash_encoder.parameters()]
    data = dict(image=torch.randn(5, 10), text=torch.randn(5, 6),
                label=labels, index=torch.arange(5))
    log = model.train_step(data, wrappers)
    assert {'loss', 'loss_clf', 'loss_sign', 'loss_sim'} <= set(log)
    assert all(torch.equal(a, b) for a, b in
               zip(before_b, model.label_prototypes.parameters()))
    assert any(not torch.equal(a, b) for a, b in
               zip(before_a, model.hash_encoder.parameters()))
    shared = SubmoduleOptimWrapperConstructor(
        dict(clip_grad=dict(max_norm=1.0),
             hash_encoder=dict(optimizer=dict(type='SGD', lr=1))))(model)
    assert shared['hash_encoder'].clip_grad_kwargs == dict(max_norm=1.0)
    with pytest.raises(KeyError, match='no sub-module "decoder"'):
        SubmoduleOptimWrapperConstructor(
            dict(decoder=dict(optimizer=dict(type='SGD', lr=1))))(model)


def test_encode_predict_out_of_sample():
    model = _model(bits=16).eval()
    out = model(torch.randn(2, 10), torch.randn(2, 6), mode='predict')
    assert out[0]['code'].dtype == torch.int8 and out[0]['code'].shape == (
        16, )


def test_bad_options_are_named():
    with pytest.raises(ValueError, match='balance_form'):
        _model(balance_form='paper')
    with pytest.raises(ValueError, match='unknown loss_weights'):
        _model(loss_weights=dict(quant=1.0))
