"""The network landscape against torch (skips without torch): the same nn.Sequential, loaded with
``vector_to_parameters``, gives the same loss, gradient, logits and optimizer steps.

The gradient is compared to autograd's to 1e-10 (measured: within 1e-16); optimizer runs to 1e-9
over 100 steps (measured: within 1e-14), full batch, mini-batch and per-layer param_groups.
"""

import numpy as np
import pytest

import landscapes
import optimizers

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

DATASETS = ["moons", "circles", "spirals", "xor"]
ACTIVATIONS = ["tanh", "relu"]
HIDDEN = [(16,), (8, 6)]


@pytest.fixture(autouse=True)
def float64_torch():
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    yield
    torch.set_default_dtype(previous)


def torch_net(L, P):
    sizes = (2, *L.hidden, 1)
    mods = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        mods.append(torch.nn.Linear(fan_in, fan_out))
        if i < len(sizes) - 2:
            mods.append(torch.nn.Tanh() if L.activation == "tanh" else torch.nn.ReLU())
    net = torch.nn.Sequential(*mods)
    torch.nn.utils.vector_to_parameters(torch.tensor(np.asarray(P, dtype=np.float64)), net.parameters())
    return net


def torch_loss(net, L, rows=None):
    X, y = L.data
    if rows is not None:
        X, y = X[rows], y[rows]
    return torch.nn.BCEWithLogitsLoss()(net(torch.tensor(X))[:, 0], torch.tensor(y))


def as_vector(net):
    return torch.nn.utils.parameters_to_vector(net.parameters()).detach().numpy().copy()


def test_layers_are_torchs_parameter_names_in_order():
    L = landscapes.network(hidden=(16, 8))
    net = torch_net(L, L.start)
    assert list(L.layers) == [name for name, _ in net.named_parameters()]
    for name, p in net.named_parameters():
        assert L.layers[name].stop - L.layers[name].start == p.numel()
    assert L.dim == sum(p.numel() for p in net.parameters())
    np.testing.assert_array_equal(as_vector(net), L.start)
    np.testing.assert_array_equal(net[0].weight.detach().numpy().ravel(), L.start[L.layers["0.weight"]])


@pytest.mark.parametrize("hidden", HIDDEN, ids=lambda h: "-".join(map(str, h)))
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("dataset", DATASETS)
def test_loss_and_gradient_match_autograd(dataset, activation, hidden):
    L = landscapes.network(dataset, hidden, activation, n_samples=200, seed=3)
    rng = np.random.default_rng(1)
    points = np.array(L.start) + 0.5 * rng.standard_normal((3, L.dim))
    loss, grad = L.value_and_grad(points)
    for p, f, g in zip(points, loss, grad):
        net = torch_net(L, p)
        ref = torch_loss(net, L)
        ref.backward()
        assert abs(f - ref.item()) <= 1e-10
        np.testing.assert_allclose(g, torch.cat([q.grad.ravel() for q in net.parameters()]).numpy(),
                                   rtol=0, atol=1e-10)
        logits = net(torch.tensor(L.data[0]))[:, 0].detach().numpy()
        np.testing.assert_allclose(L.logits(p), logits, rtol=0, atol=1e-12)
        assert L.accuracy(p) == np.mean((logits > 0) == (L.data[1] == 1))


def test_decision_boundary_logits_match_torch_on_a_grid():
    L = landscapes.network("spirals", (16,), "relu")
    grid = np.stack(np.meshgrid(np.linspace(-1.5, 1.5, 7), np.linspace(-1, 1, 5)), -1).reshape(-1, 2)
    ref = torch_net(L, L.start)(torch.tensor(grid))[:, 0].detach().numpy()
    np.testing.assert_allclose(landscapes.network_logits(L.start, grid, activation="relu"), ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(L.logits(L.start, grid), ref, rtol=0, atol=1e-12)


def torch_train(L, opt_factory, steps, batches=None, param_groups=None):
    net = torch_net(L, L.start)
    params = list(net.parameters()) if param_groups is None else param_groups(net)
    opt = opt_factory(params)
    path = [as_vector(net)]
    for t in range(steps):
        opt.zero_grad()
        torch_loss(net, L, None if batches is None else batches[t]).backward()
        opt.step()
        path.append(as_vector(net))
    return np.array(path)


def test_100_adam_steps_match_torch_optim():
    L = landscapes.network("moons", (16,), "tanh")
    traj = optimizers.run(L, optimizers.get("adam", lr=0.01), steps=100)
    ref = torch_train(L, lambda p: torch.optim.Adam(p, lr=0.01), 100)
    np.testing.assert_allclose(traj.params[:, 0], ref, rtol=0, atol=1e-9)


def runner_batches(n_samples, batch_size, steps, seed=0):
    """The run loop's documented batches: per epoch a permutation from default_rng([seed, "batch"]),
    cut in order, each batch sorted."""
    rng = np.random.default_rng([seed, 0x6261746368])
    out, order, at = [], None, n_samples
    for _ in range(steps):
        if at >= n_samples:
            order, at = rng.permutation(n_samples), 0
        out.append(np.sort(order[at:at + batch_size]))
        at += batch_size
    return out


def test_a_mini_batch_run_matches_torch_on_the_same_batches():
    L = landscapes.network("circles", (8, 6), "relu", n_samples=100)
    steps, size = 60, 32  # 100 / 32 leaves a last batch of 4: epochs wrap as in a DataLoader
    traj = optimizers.run(L, optimizers.get("momentum", lr=0.05), steps=steps, batch_size=size, seed=7)
    batches = runner_batches(L.n_samples, size, steps, seed=7)
    ref = torch_train(L, lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), steps, batches)
    np.testing.assert_allclose(traj.params[:, 0], ref, rtol=0, atol=1e-9)
    first = torch_loss(torch_net(L, L.start), L, batches[0]).item()
    assert abs(traj.batch_loss[0, 0] - first) <= 1e-12


def test_per_layer_groups_match_torch_param_groups():
    """Fine-tuning's recipe: the feature layer at lr/10, the classifier at lr."""
    L = landscapes.network("xor", (12, 6), "tanh")
    lr = 0.02
    groups = L.groups({"0": dict(lr=lr / 10), "4": dict(lr=lr, betas=(0.8, 0.99))})
    traj = optimizers.run(L, optimizers.get("adam", lr=lr / 3, groups=groups), steps=100)

    def torch_groups(net):
        return [{"params": net[0].parameters(), "lr": lr / 10},
                {"params": net[4].parameters(), "lr": lr, "betas": (0.8, 0.99)},
                {"params": net[2].parameters()}]

    ref = torch_train(L, lambda g: torch.optim.Adam(g, lr=lr / 3), 100, param_groups=torch_groups)
    np.testing.assert_allclose(traj.params[:, 0], ref, rtol=0, atol=1e-9)
    assert not np.allclose(traj.params[-1, 0], optimizers.run(L, optimizers.get("adam", lr=lr / 3), steps=100)
                           .params[-1, 0])
