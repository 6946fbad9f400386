"""What every framework shares: the models' shapes and weights, the data, a NumPy reference of
the forward pass, the tolerances, and how time and memory are measured.

Only NumPy and the standard library are imported here: the driver uses this module without
importing any framework, and each worker imports exactly one framework besides it.
"""

import ctypes
import gc
import hashlib
import json
import math
import os
import time

import numpy as np

MODELS = ("mlp", "cnn", "transformer")
TRAIN_BATCH_SIZES = (1, 8, 32, 64)
INFER_BATCH_SIZES = (1, 32)
# Rows of data generated per model: the largest batch; a batch of b takes the first b rows.
DATA_ROWS = max(TRAIN_BATCH_SIZES + INFER_BATCH_SIZES)

CLASSES = 10
IMAGE_SIDE = 28  # MNIST-sized single-channel images for the MLP (flattened) and the CNN
SEQUENCE = 32    # the transformer's tokens per example
HEADS = 4
# Plain SGD with momentum everywhere (torch.optim.SGD, keras.optimizers.SGD and the same update
# written out for JAX agree: on the first step all three subtract lr * gradient).
LEARNING_RATE = 0.01
MOMENTUM = 0.9
LAYER_NORM_EPSILON = 1e-5  # torch's default; Keras' is 1e-3, so it is always passed explicitly

# Bump when the generated weights or data change meaning, so cached .npz files are remade.
WEIGHTS_FORMAT = 3

# ---------------------------------------------------------------------------------------------
# Equivalence tolerances. Float32 results of the same maths differ by summation order (oneDNN,
# Eigen, XLA, XNNPACK and MLAS block their matrix products differently) and by how exp/erf are
# approximated; a wrong model (a transposed weight, another flatten order, a missing bias)
# differs by O(1). Measured on the full suite: each mode is within 1e-6 of its framework's eager
# logits and 8e-6 (relative) of its first update; eager frameworks are within 5.2e-7 of the
# NumPy logits and 7.5e-6 of PyTorch's update (README.md, "Equivalence"). The bounds below
# leave a wide margin and are still far below what a wrong model gives.
#
# Logits: every |a - b| <= LOGIT_ATOL + LOGIT_RTOL * |b|.
LOGIT_RTOL = 1e-4
LOGIT_ATOL = 1e-4
# The loss of the first training step: |a - b| <= LOSS_RTOL * |b|.
LOSS_RTOL = 1e-4
# The first SGD update of all parameters (its direction is the gradient): the relative error
# |delta_a - delta_b| / |delta_b| over all parameters together (Euclidean norms). The update is
# recovered as (weights after) - (weights before) from float32 weights, so it carries rounding
# of ~1e-8 absolute per element on updates of ~1e-4: a relative 1e-3 is far above that noise
# and far below a wrong gradient.
UPDATE_RTOL = 1e-3


class Widths:
    """Layer widths, scaled by --width-scale (1: the sizes in README.md). The scale is the
    suite's "model width" knob: examples/ml/track_commits.sh changes it to make a real
    slowdown at one commit."""

    def __init__(self, scale=1.0):
        def scaled(n):
            return max(1, int(round(n * scale)))

        self.scale = scale
        self.mlp_hidden = (scaled(512), scaled(256))
        self.cnn_channels = (scaled(16), scaled(32))
        # The transformer's width must split into HEADS heads.
        self.model_dim = HEADS * scaled(64 // HEADS)
        self.ff_dim = 4 * self.model_dim


def param_shapes(model, widths):
    """The parameters of `model` in the canonical layout, in order: name -> shape.

    Canonical layout (the one stored in the weights file): dense kernels are [in, out] (y = x W
    + b), convolution kernels [height, width, in, out] (TensorFlow's HWIO), images NHWC, and the
    CNN flattens its last feature map in (height, width, channel) order. Each framework converts
    from this layout when it loads the weights (PyTorch transposes and permutes)."""
    if model == "mlp":
        h1, h2 = widths.mlp_hidden
        dims = [(IMAGE_SIDE * IMAGE_SIDE, h1), (h1, h2), (h2, CLASSES)]
        shapes = {}
        for i, (n_in, n_out) in enumerate(dims, start=1):
            shapes[f"fc{i}.kernel"] = (n_in, n_out)
            shapes[f"fc{i}.bias"] = (n_out,)
        return shapes
    if model == "cnn":
        c1, c2 = widths.cnn_channels
        # Two 2x2 max-poolings take 28x28 to 7x7.
        return {"conv1.kernel": (3, 3, 1, c1), "conv1.bias": (c1,),
                "conv2.kernel": (3, 3, c1, c2), "conv2.bias": (c2,),
                "fc.kernel": (7 * 7 * c2, CLASSES), "fc.bias": (CLASSES,)}
    if model == "transformer":
        d, f = widths.model_dim, widths.ff_dim
        shapes = {}
        for name in ("query", "key", "value", "attention_out"):
            shapes[f"{name}.kernel"] = (d, d)
            shapes[f"{name}.bias"] = (d,)
        shapes.update({"norm1.gamma": (d,), "norm1.beta": (d,),
                       "ff1.kernel": (d, f), "ff1.bias": (f,),
                       "ff2.kernel": (f, d), "ff2.bias": (d,),
                       "norm2.gamma": (d,), "norm2.beta": (d,),
                       "classifier.kernel": (d, CLASSES), "classifier.bias": (CLASSES,)})
        return shapes
    raise ValueError(f"unknown model {model!r}")


def input_shape(model, widths, batch):
    if model == "mlp":
        return (batch, IMAGE_SIDE * IMAGE_SIDE)
    if model == "cnn":
        return (batch, IMAGE_SIDE, IMAGE_SIDE, 1)
    return (batch, SEQUENCE, widths.model_dim)


def _fan_in(shape):
    return int(np.prod(shape[:-1])) if len(shape) > 1 else None


def generate(seed, widths):
    """Initial weights and data for every model, from one seed: {"<model>/<param>": array,
    "<model>/x": inputs (DATA_ROWS rows), "<model>/y": int32 labels}. Weights and biases are
    uniform in +-1/sqrt(fan_in) (PyTorch's default initialisation; a bias takes its layer's
    kernel fan-in), layer-norm scales 1 and shifts 0."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for model in MODELS:
        shapes = param_shapes(model, widths)
        kernel_fan_in = {}
        for name, shape in shapes.items():
            layer, kind = name.rsplit(".", 1)
            if kind == "gamma":
                value = np.ones(shape)
            elif kind == "beta":
                value = np.zeros(shape)
            else:
                fan_in = _fan_in(shape) if kind == "kernel" else kernel_fan_in[layer]
                kernel_fan_in[layer] = fan_in
                bound = 1.0 / math.sqrt(fan_in)
                value = rng.uniform(-bound, bound, size=shape)
            arrays[f"{model}/{name}"] = value.astype(np.float32)
        arrays[f"{model}/x"] = rng.standard_normal(
            input_shape(model, widths, DATA_ROWS)).astype(np.float32)
        arrays[f"{model}/y"] = rng.integers(0, CLASSES, size=DATA_ROWS).astype(np.int32)
    return arrays


def weights_file(cache_dir, seed, widths):
    """Writes the weights and data once per (seed, widths, format) and returns the path. The
    name carries a digest of those, so a changed setting never reads a stale file."""
    key = json.dumps({"seed": seed, "scale": widths.scale, "format": WEIGHTS_FORMAT})
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    path = os.path.join(cache_dir, f"weights-{digest}.npz")
    if not os.path.exists(path):
        os.makedirs(cache_dir, exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp.npz"
        np.savez(temporary, **generate(seed, widths))
        os.replace(temporary, path)
    return path


class Workload:
    """One model's weights and data as loaded from the weights file."""

    def __init__(self, path, model, widths):
        with np.load(path) as data:
            self.params = {name: data[f"{model}/{name}"] for name in param_shapes(model, widths)}
            self.x = data[f"{model}/x"]
            self.y = data[f"{model}/y"]
        self.model = model
        self.widths = widths

    def batch(self, size):
        return self.x[:size], self.y[:size]


# ---------------------------------------------------------------------------------------------
# The NumPy reference: the forward pass and loss written out once, in float64, from the
# canonical weights. Every framework's eager output is compared with it, which is what shows
# that the frameworks run the same model.


def _erf(x):
    return np.vectorize(math.erf)(x)


def reference_logits(workload, x):
    p = {k: v.astype(np.float64) for k, v in workload.params.items()}
    x = x.astype(np.float64)
    if workload.model == "mlp":
        h = np.maximum(x @ p["fc1.kernel"] + p["fc1.bias"], 0)
        h = np.maximum(h @ p["fc2.kernel"] + p["fc2.bias"], 0)
        return h @ p["fc3.kernel"] + p["fc3.bias"]
    if workload.model == "cnn":
        h = _max_pool2(np.maximum(_conv3x3_same(x, p["conv1.kernel"]) + p["conv1.bias"], 0))
        h = _max_pool2(np.maximum(_conv3x3_same(h, p["conv2.kernel"]) + p["conv2.bias"], 0))
        return h.reshape(h.shape[0], -1) @ p["fc.kernel"] + p["fc.bias"]
    # Transformer encoder block (post-norm, as in "Attention is all you need"), mean-pooled
    # over the tokens, then a linear classifier.
    batch, seq, dim = x.shape
    head = dim // HEADS

    def heads(t):  # [b, s, d] -> [b, h, s, d/h]
        return t.reshape(batch, seq, HEADS, head).transpose(0, 2, 1, 3)

    q = heads(x @ p["query.kernel"] + p["query.bias"])
    k = heads(x @ p["key.kernel"] + p["key.bias"])
    v = heads(x @ p["value.kernel"] + p["value.bias"])
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head)
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    attention = (scores / scores.sum(axis=-1, keepdims=True)) @ v
    attention = attention.transpose(0, 2, 1, 3).reshape(batch, seq, dim)
    h = _layer_norm(x + attention @ p["attention_out.kernel"] + p["attention_out.bias"],
                    p["norm1.gamma"], p["norm1.beta"])
    f = h @ p["ff1.kernel"] + p["ff1.bias"]
    f = 0.5 * f * (1 + _erf(f / math.sqrt(2)))  # exact GELU
    h = _layer_norm(h + f @ p["ff2.kernel"] + p["ff2.bias"], p["norm2.gamma"], p["norm2.beta"])
    return h.mean(axis=1) @ p["classifier.kernel"] + p["classifier.bias"]


def reference_loss(logits, y):
    """Mean softmax cross-entropy, as every framework's loss computes it."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(y)), y].mean())


def eager_reference(impl, workload, train_batches, infer_batches):
    """A framework's eager results on the suite's inputs (impl is its module, with Train and
    Infer): the logits of each inference batch, and the loss and parameter update of the first
    training step of each training batch. The driver compares every other mode with these."""
    out = {}
    for b in infer_batches:
        out[f"infer/{b}/logits"] = impl.Infer.to_numpy(impl.Infer("eager", workload, b).predict())
    for b in train_batches:
        run = impl.Train("eager", workload, b)
        out[f"train/{b}/loss"] = np.float64(run.step())
        after = run.canonical_params()
        for name, before in workload.params.items():
            out[f"train/{b}/update/{name}"] = after[name] - before
    return out


def _conv3x3_same(x, kernel):
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    n, h, w, _ = x.shape
    out = np.zeros((n, h, w, kernel.shape[3]))
    for dy in range(3):
        for dx in range(3):
            out += padded[:, dy:dy + h, dx:dx + w, :] @ kernel[dy, dx]
    return out


def _max_pool2(x):
    n, h, w, c = x.shape
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def _layer_norm(x, gamma, beta):
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LAYER_NORM_EPSILON) * gamma + beta


# ---------------------------------------------------------------------------------------------
# Comparisons. Each returns None when the results agree, else one line saying how they differ.


def compare_logits(got, expected, what):
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        return f"{what}: output shape {got.shape}, expected {expected.shape}"
    if not np.all(np.isfinite(got)):
        return f"{what}: output has NaN or infinity"
    excess = np.abs(got - expected) - (LOGIT_ATOL + LOGIT_RTOL * np.abs(expected))
    if np.any(excess > 0):
        worst = np.unravel_index(np.argmax(excess), excess.shape)
        return (f"{what}: logits differ by up to {np.max(np.abs(got - expected)):.3g} "
                f"(at {tuple(int(i) for i in worst)}: {got[worst]:.6g} vs {expected[worst]:.6g};"
                f" tolerance {LOGIT_ATOL:g} + {LOGIT_RTOL:g} x |expected|)")
    return None


def compare_loss(got, expected, what):
    if not math.isfinite(got) or abs(got - expected) > LOSS_RTOL * abs(expected):
        return (f"{what}: first-step loss {got:.7g}, expected {expected:.7g} "
                f"(tolerance {LOSS_RTOL:g} relative)")
    return None


def update_error(got, expected):
    """Relative Euclidean distance between two parameter updates (dicts of arrays)."""
    diff = sum(float(np.sum((got[k].astype(np.float64) - expected[k]) ** 2)) for k in expected)
    norm = sum(float(np.sum(expected[k].astype(np.float64) ** 2)) for k in expected)
    return math.sqrt(diff / norm) if norm > 0 else math.sqrt(diff)


def compare_update(got, expected, what):
    if set(got) != set(expected):
        return f"{what}: parameters {sorted(got)} differ from {sorted(expected)}"
    error = update_error(got, expected)
    if not math.isfinite(error) or error > UPDATE_RTOL:
        return (f"{what}: first SGD update differs by {error:.3g} relative "
                f"(tolerance {UPDATE_RTOL:g})")
    return None


# ---------------------------------------------------------------------------------------------
# Time and memory


def percentile(values, p):
    """Linear interpolation between closest ranks (NumPy's default method)."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    below = int(math.floor(rank))
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (rank - below)


def median(values):
    return percentile(values, 50)


class Timing:
    """How long a configuration is measured: at least min_iterations timed calls and at least
    min_time seconds of them, at most max_iterations."""

    def __init__(self, warmup, min_iterations, max_iterations, min_time):
        self.warmup = warmup
        self.min_iterations = min_iterations
        self.max_iterations = max_iterations
        self.min_time = min_time

    def to_json(self):
        return dict(vars(self))


def time_call(fn):
    """Seconds one call of fn takes, and its result. fn must wait for its result (a framework
    that runs asynchronously is synchronised inside fn)."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def measure(fn, timing):
    """Calls fn timing.warmup times untimed, then the timed iterations; seconds per call."""
    warmup = [time_call(fn)[0] for _ in range(timing.warmup)]
    times = []
    spent = 0.0
    while len(times) < timing.max_iterations and (
            len(times) < timing.min_iterations or spent < timing.min_time):
        t = time_call(fn)[0]
        times.append(t)
        spent += t
    return warmup, times


# proc(5): writing "5" to /proc/self/clear_refs resets the peak resident set size (VmHWM).
_RESET_PEAK_RSS = "5"
_BYTES_PER_MIB = 1024 * 1024


def _status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


class ProcessMemory:
    """The process's resident high-water mark over its idle baseline: baseline() after the
    framework is imported and before the model exists (garbage collected, glibc's free heap
    given back, the kernel's high-water mark reset to the current size), peak_mib() at the end.
    Everything in between counts: weights, optimiser state, activations, compiled code and the
    compiler's own memory."""

    def __init__(self):
        self._baseline_kib = None
        try:
            self._libc = ctypes.CDLL("libc.so.6")
        except OSError:
            self._libc = None

    def baseline(self):
        gc.collect()
        if self._libc is not None:
            self._libc.malloc_trim(0)
        with open("/proc/self/clear_refs", "w") as f:
            f.write(_RESET_PEAK_RSS)
        self._baseline_kib = _status_kib("VmRSS")
        return self._baseline_kib / 1024

    def peak_mib(self):
        return (_status_kib("VmHWM") - self._baseline_kib) / 1024


def mib(n_bytes):
    return n_bytes / _BYTES_PER_MIB
