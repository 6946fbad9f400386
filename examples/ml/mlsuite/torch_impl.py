"""PyTorch: the models as nn.Modules loaded from the canonical weights; training in eager mode
and with torch.compile; inference in eager mode, with torch.compile, as TorchScript, and
exported to ONNX for ONNX Runtime (ort_impl.py runs it)."""

import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from . import common

FRAMEWORK = "pytorch"
TRAIN_MODES = ("eager", "torch.compile")
INFER_MODES = ("eager", "torch.compile", "torchscript")
# Calls before TorchScript's profiling executor runs its optimised graph: the profiled runs,
# then the one that optimises. They belong to its one-off cost, so they are the warm-up.
TORCHSCRIPT_WARMUP = torch._C._jit_get_num_profiled_runs() + 1


def configure(threads):
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(threads)
    # A training loop that converges on one batch drives gradients toward denormal floats,
    # which x86 runs on a slow path: step times would drift. TensorFlow flushes them itself.
    torch.set_flush_denormal(True)
    return {"torch_threads": torch.get_num_threads(),
            "torch_interop_threads": torch.get_num_interop_threads()}


class Mlp(nn.Module):
    def __init__(self, widths):
        super().__init__()
        h1, h2 = widths.mlp_hidden
        self.fc1 = nn.Linear(common.IMAGE_SIDE * common.IMAGE_SIDE, h1)
        self.fc2 = nn.Linear(h1, h2)
        self.fc3 = nn.Linear(h2, common.CLASSES)

    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class Cnn(nn.Module):
    def __init__(self, widths):
        super().__init__()
        c1, c2 = widths.cnn_channels
        self.conv1 = nn.Conv2d(1, c1, 3, padding=1)
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.fc = nn.Linear(7 * 7 * c2, common.CLASSES)

    def forward(self, x):  # x: NCHW
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(torch.flatten(x, 1))


class Transformer(nn.Module):
    """Post-norm encoder block, mean-pooled, linear classifier (common.reference_logits)."""

    def __init__(self, widths):
        super().__init__()
        d, f = widths.model_dim, widths.ff_dim
        self.query, self.key, self.value = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.attention_out = nn.Linear(d, d)
        self.norm1 = nn.LayerNorm(d, eps=common.LAYER_NORM_EPSILON)
        self.ff1, self.ff2 = nn.Linear(d, f), nn.Linear(f, d)
        self.norm2 = nn.LayerNorm(d, eps=common.LAYER_NORM_EPSILON)
        self.classifier = nn.Linear(d, common.CLASSES)

    def forward(self, x):
        b, s, d = x.shape

        def heads(t):
            return t.view(b, s, common.HEADS, d // common.HEADS).transpose(1, 2)

        attention = F.scaled_dot_product_attention(
            heads(self.query(x)), heads(self.key(x)), heads(self.value(x)))
        attention = attention.transpose(1, 2).reshape(b, s, d)
        h = self.norm1(x + self.attention_out(attention))
        h = self.norm2(h + self.ff2(F.gelu(self.ff1(h))))
        return self.classifier(h.mean(dim=1))


_CLASSES = {"mlp": Mlp, "cnn": Cnn, "transformer": Transformer}


def _cnn_fc_rows_to_torch(kernel, channels):
    """Canonical rows are in (height, width, channel) order, torch flattens NCHW as (channel,
    height, width): permute the rows so both compute the same function."""
    out = kernel.shape[1]
    return kernel.reshape(7, 7, channels, out).transpose(2, 0, 1, 3).reshape(-1, out)


def _to_torch_layout(model, name, value, widths):
    layer, kind = name.rsplit(".", 1)
    if model == "cnn" and name == "fc.kernel":
        value = _cnn_fc_rows_to_torch(value, widths.cnn_channels[1])
    if kind == "kernel":
        # dense [in, out] -> [out, in]; convolution HWIO -> OIHW
        value = value.T if value.ndim == 2 else value.transpose(3, 2, 0, 1)
    torch_name = {"kernel": "weight", "bias": "bias", "gamma": "weight", "beta": "bias"}[kind]
    return f"{layer}.{torch_name}", np.ascontiguousarray(value)


def _from_torch_layout(model, name, value, widths):
    """Inverse of _to_torch_layout for one canonical parameter name."""
    kind = name.rsplit(".", 1)[1]
    if kind == "kernel":
        value = value.T if value.ndim == 2 else value.transpose(2, 3, 1, 0)
    if model == "cnn" and name == "fc.kernel":
        c = widths.cnn_channels[1]
        out = value.shape[1]
        value = value.reshape(c, 7, 7, out).transpose(1, 2, 0, 3).reshape(-1, out)
    return value


def build(workload):
    net = _CLASSES[workload.model](workload.widths)
    state = dict(_to_torch_layout(workload.model, n, v, workload.widths)
                 for n, v in workload.params.items())
    net.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=True)
    return net


def canonical_params(net, workload):
    state = net.state_dict()
    out = {}
    for name in workload.params:
        torch_name, _ = _to_torch_layout(workload.model, name, workload.params[name],
                                         workload.widths)
        out[name] = _from_torch_layout(workload.model, name, state[torch_name].numpy(),
                                       workload.widths)
    return out


def inputs(workload, batch_size):
    x, y = workload.batch(batch_size)
    if workload.model == "cnn":
        x = x.transpose(0, 3, 1, 2)  # NHWC -> NCHW, the layout torch convolutions take
    return torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(y.astype(np.int64))


class Train:
    """One training step: forward, cross-entropy, backward, SGD with momentum. torch.compile
    compiles the forward and the loss (and, through AOTAutograd, their backward); the
    optimiser step stays eager, as in the usual `model = torch.compile(model)` recipe."""

    def __init__(self, mode, workload, batch_size):
        self.workload = workload
        self.net = build(workload)
        self.x, self.y = inputs(workload, batch_size)
        self.optimizer = torch.optim.SGD(self.net.parameters(), lr=common.LEARNING_RATE,
                                         momentum=common.MOMENTUM)
        self.mode = mode
        self.loss_fn = self._loss

    def _loss(self, x, y):
        return F.cross_entropy(self.net(x), y)

    def prepare(self):
        if self.mode == "torch.compile":
            self.loss_fn = torch.compile(self._loss)

    def step(self):
        self.optimizer.zero_grad(set_to_none=True)
        loss = self.loss_fn(self.x, self.y)
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def canonical_params(self):
        return canonical_params(self.net, self.workload)


class Infer:
    def __init__(self, mode, workload, batch_size, threads=1, model_path=None):
        self.net = build(workload).eval()
        self.x, _ = inputs(workload, batch_size)
        self.mode = mode
        self.forward = self.net
        self.warmup_calls = TORCHSCRIPT_WARMUP if mode == "torchscript" else 0

    def prepare(self):
        with torch.no_grad():
            if self.mode == "torch.compile":
                self.forward = torch.compile(self.net)
            elif self.mode == "torchscript":
                self.forward = torch.jit.trace(self.net, (self.x,))

    def predict(self):
        with torch.no_grad():
            return self.forward(self.x)

    @staticmethod
    def to_numpy(out):
        return out.numpy()


def export_onnx(workload, batch_size, path):
    """The eager model exported with torch.onnx.export (its default, torch.export-based
    exporter), for this batch size (static shapes, as the TensorFlow Lite model)."""
    net = build(workload).eval()
    x, _ = inputs(workload, batch_size)
    temporary = f"{path}.{os.getpid()}.tmp"
    with torch.no_grad():
        torch.onnx.export(net, (x,), temporary, input_names=["x"], output_names=["logits"],
                          external_data=False)
    os.replace(temporary, path)
