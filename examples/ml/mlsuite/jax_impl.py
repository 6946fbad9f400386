"""JAX: the models as pure functions of the canonical parameters (JAX takes the canonical NHWC /
HWIO layout as it is); training and inference under jax.jit. The eager reference is the same
functions run op by op, without jit."""

import os

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from . import common

FRAMEWORK = "jax"
TRAIN_MODES = ("jit",)
INFER_MODES = ("jit",)


def configure(threads):
    # XLA's CPU thread pool is sized when the backend starts, from XLA_FLAGS, which the driver
    # sets for the worker (driver.worker_environment); here it is only reported.
    return {"jax_xla_flags": os.environ.get("XLA_FLAGS", "")}


def _dense(p, name, x):
    return x @ p[f"{name}.kernel"] + p[f"{name}.bias"]


def _layer_norm(p, name, x):
    mean = jnp.mean(x, axis=-1, keepdims=True)
    var = jnp.var(x, axis=-1, keepdims=True)
    return (x - mean) * lax.rsqrt(var + common.LAYER_NORM_EPSILON) * p[f"{name}.gamma"] + \
        p[f"{name}.beta"]


def _conv_relu_pool(p, name, x):
    x = lax.conv_general_dilated(x, p[f"{name}.kernel"], (1, 1), "SAME",
                                 dimension_numbers=("NHWC", "HWIO", "NHWC"))
    x = jax.nn.relu(x + p[f"{name}.bias"])
    return lax.reduce_window(x, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")


def forward(model, p, x):
    if model == "mlp":
        h = jax.nn.relu(_dense(p, "fc1", x))
        h = jax.nn.relu(_dense(p, "fc2", h))
        return _dense(p, "fc3", h)
    if model == "cnn":
        h = _conv_relu_pool(p, "conv2", _conv_relu_pool(p, "conv1", x))
        return _dense(p, "fc", h.reshape(h.shape[0], -1))
    b, s, d = x.shape

    def heads(t):  # jax.nn.dot_product_attention takes [batch, tokens, heads, head_dim]
        return t.reshape(b, s, common.HEADS, d // common.HEADS)

    attention = jax.nn.dot_product_attention(heads(_dense(p, "query", x)),
                                             heads(_dense(p, "key", x)),
                                             heads(_dense(p, "value", x)))
    h = _layer_norm(p, "norm1", x + _dense(p, "attention_out", attention.reshape(b, s, d)))
    f = _dense(p, "ff2", jax.nn.gelu(_dense(p, "ff1", h), approximate=False))
    h = _layer_norm(p, "norm2", h + f)
    return _dense(p, "classifier", h.mean(axis=1))


def _loss(model, p, x, y):
    log_probs = jax.nn.log_softmax(forward(model, p, x))
    return -jnp.mean(jnp.take_along_axis(log_probs, y[:, None], axis=1))


def _sgd_step(model, params, momentum, x, y):
    """torch.optim.SGD's update: buffer = momentum * buffer + gradient; p -= lr * buffer."""
    loss, grads = jax.value_and_grad(lambda p: _loss(model, p, x, y))(params)
    momentum = jax.tree_util.tree_map(lambda m, g: common.MOMENTUM * m + g, momentum, grads)
    params = jax.tree_util.tree_map(lambda p, m: p - common.LEARNING_RATE * m, params, momentum)
    return params, momentum, loss


class Train:
    def __init__(self, mode, workload, batch_size):
        self.model = workload.model
        self.params = {k: jnp.asarray(v) for k, v in workload.params.items()}
        self.momentum = {k: jnp.zeros_like(v) for k, v in self.params.items()}
        x, y = workload.batch(batch_size)
        self.x, self.y = jnp.asarray(x), jnp.asarray(y)
        self.mode = mode
        self.step_fn = lambda p, m, x, y: _sgd_step(self.model, p, m, x, y)

    def prepare(self):
        if self.mode == "jit":
            # Donating the old parameters lets XLA update them in place, as the other
            # frameworks' optimisers do.
            self.step_fn = jax.jit(self.step_fn, donate_argnums=(0, 1))

    def step(self):
        self.params, self.momentum, loss = self.step_fn(self.params, self.momentum, self.x,
                                                        self.y)
        return float(loss)  # waits for the result (JAX dispatches asynchronously)

    def canonical_params(self):
        return {k: np.asarray(v) for k, v in self.params.items()}


class Infer:
    def __init__(self, mode, workload, batch_size, threads=1, model_path=None):
        self.model = workload.model
        self.params = {k: jnp.asarray(v) for k, v in workload.params.items()}
        x, _ = workload.batch(batch_size)
        self.x = jnp.asarray(x)
        self.mode = mode
        self.fn = lambda p, x: forward(self.model, p, x)
        self.warmup_calls = 0

    def prepare(self):
        if self.mode == "jit":
            self.fn = jax.jit(self.fn)

    def predict(self):
        return self.fn(self.params, self.x).block_until_ready()

    @staticmethod
    def to_numpy(out):
        return np.asarray(out)
