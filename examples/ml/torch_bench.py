#!/usr/bin/python3
"""The Python half of perftrack's ML-framework example suite.

Measures the models of ml_bench (models.hpp: an MLP and a small CNN on 28x28 inputs) from
Python with Debian's python3-torch, in eager mode and as TorchScript made by torch.jit.trace,
and TensorFlow's tf.function and XLA (jit_compile=True) when TensorFlow is importable. Writes a
JSON array of flat records, one per repetition of each series, for perftrack's `records`
adapter:

  {"benchmark": "train_step", "framework": "pytorch", "mode": "eager", "model": "mlp",
   "batch_size": 32, "avg_time_ms": 0.61, "throughput": 52459.0, "peak_memory_mb": 301.2}
  {"benchmark": "inference", "framework": "pytorch", "mode": "torchscript", "model": "cnn",
   "batch_size": 1, "avg_latency_ms": 0.09, "p50_latency_ms": 0.09, "p95_latency_ms": 0.1,
   "p99_latency_ms": 0.12, "throughput": 11093.0, "peak_memory_mb": 302.0,
   "compile_time_ms": 14.2}

Strings and integers without a unit suffix are params; the other numbers are metrics whose unit
comes from the suffix (_ms: milliseconds, _mb: MiB; throughput: samples per second, higher is
better). compile_time_ms is the one-off cost of getting the TorchScript (or tf.function) version
to full speed: tracing plus the warm-up calls in which the graph executor profiles and
optimises it. Usage: torch_bench.py --out FILE [--help for the options]
"""

import argparse
import ctypes
import gc
import json
import os
import sys
import tempfile
import time

MODELS = ("mlp", "cnn")
BATCH_SIZES = (1, 8, 32, 64)
CLASSES = 10
IMAGE_SIDE = 28
# Plain SGD with momentum, as in ml_benchmarks.cpp.
LEARNING_RATE = 0.01
MOMENTUM = 0.9
# Untimed eager steps before measuring (allocator and oneDNN/OpenBLAS buffer set-up), as in C++.
EAGER_WARMUP_STEPS = 3
# proc(5): writing "5" to /proc/self/clear_refs resets the peak resident set size (VmHWM).
RESET_PEAK_RSS = "5"
BYTES_PER_MIB = 1024 * 1024


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Measure the ML example models from Python and write JSON records.")
    parser.add_argument("--out", required=True, help="the JSON file to write (replaced whole)")
    parser.add_argument("--models", default=",".join(MODELS),
                        help="comma-separated subset of: %(default)s")
    parser.add_argument("--batch-sizes", default=",".join(map(str, BATCH_SIZES)),
                        help="comma-separated batch sizes (default: %(default)s)")
    parser.add_argument("--repetitions", type=int, default=3,
                        help="records per series; each is a fresh model, measured anew "
                             "(default: %(default)s)")
    parser.add_argument("--min-time", type=float, default=0.2,
                        help="seconds of timed iterations per repetition (default: %(default)s)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for torch, OpenBLAS and TensorFlow (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=20240501,
                        help="seed for weights and data (default: %(default)s)")
    args = parser.parse_args(argv)
    args.models = [m.strip() for m in args.models.split(",") if m.strip()]
    for m in args.models:
        if m not in MODELS:
            parser.error(f"--models: unknown model {m!r} (known: {', '.join(MODELS)})")
    try:
        args.batch_sizes = [int(b) for b in args.batch_sizes.split(",") if b.strip()]
    except ValueError:
        parser.error(f"--batch-sizes: expected whole numbers, got {args.batch_sizes!r}")
    if not args.models or not args.batch_sizes or min(args.batch_sizes) < 1:
        parser.error("--models and --batch-sizes need at least one value, batch sizes >= 1")
    if args.repetitions < 1 or args.min_time <= 0 or args.threads < 1:
        parser.error("--repetitions and --threads must be >= 1, --min-time > 0")
    return args


class PeakMemory:
    """Peak resident memory of this process since reset(), in MiB (VmHWM, see proc(5))."""

    def __init__(self):
        try:
            self._libc = ctypes.CDLL("libc.so.6")
        except OSError:
            self._libc = None
        self.available = self.reset()

    def reset(self):
        # Drop garbage and give glibc's free heap back to the kernel first, so the new mark
        # does not start from what earlier series freed (process_memory.cpp does the same).
        gc.collect()
        if self._libc is not None:
            self._libc.malloc_trim(0)
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write(RESET_PEAK_RSS)
            return True
        except OSError:
            return False

    def peak_mib(self):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    kib = int(line.split()[1])
                    return kib * 1024 / BYTES_PER_MIB
        return None


def percentile(values, p):
    """Linear interpolation between closest ranks (numpy's default), as latency_stats.cpp."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    below = int(rank)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (rank - below)


def torchscript_warmup_calls(torch):
    """Calls before TorchScript's profiling executor runs the optimised graph: the profiling
    runs, then the run that optimises (models.cpp: torchscript_warmup_calls)."""
    return torch._C._jit_get_num_profiled_runs() + 1


def time_one(fn):
    start = time.perf_counter_ns()
    fn()
    return time.perf_counter_ns() - start


def one_off_ms(trace_ns, first_calls_ns, steady_ns):
    """The one-off cost of a graph mode: tracing, plus what its first calls took beyond the
    steady-state call (profiling, optimising, compiling; not the model's own compute)."""
    steady_mean = sum(steady_ns) / len(steady_ns)
    excess = sum(max(0.0, t - steady_mean) for t in first_calls_ns)
    return (trace_ns + excess) / 1e6


def time_calls(fn, min_time_s):
    """Calls fn until min_time_s of calls have run (at least twice); per-call times in ns."""
    times = []
    budget = min_time_s * 1e9
    spent = 0
    while spent < budget or len(times) < 2:
        start = time.perf_counter_ns()
        fn()
        t = time.perf_counter_ns() - start
        times.append(t)
        spent += t
    return times


def train_record(common, times_ns, batch_size, peak_mib, compile_ms):
    mean_ns = sum(times_ns) / len(times_ns)
    record = dict({"benchmark": "train_step"}, **common, avg_time_ms=mean_ns / 1e6,
                  throughput=batch_size / (mean_ns / 1e9))
    if peak_mib is not None:
        record["peak_memory_mb"] = peak_mib
    if compile_ms is not None:
        record["compile_time_ms"] = compile_ms
    return record


def inference_record(common, times_ns, batch_size, peak_mib, compile_ms):
    mean_ns = sum(times_ns) / len(times_ns)
    record = dict({"benchmark": "inference"}, **common, avg_latency_ms=mean_ns / 1e6,
                  p50_latency_ms=percentile(times_ns, 50) / 1e6,
                  p95_latency_ms=percentile(times_ns, 95) / 1e6,
                  p99_latency_ms=percentile(times_ns, 99) / 1e6,
                  throughput=batch_size / (mean_ns / 1e9))
    if peak_mib is not None:
        record["peak_memory_mb"] = peak_mib
    if compile_ms is not None:
        record["compile_time_ms"] = compile_ms
    return record


# ---------------------------------------------------------------------------------------------
# PyTorch


def torch_models(torch):
    nn = torch.nn
    F = torch.nn.functional

    class Mlp(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(IMAGE_SIDE * IMAGE_SIDE, 512)
            self.fc2 = nn.Linear(512, 256)
            self.fc3 = nn.Linear(256, CLASSES)

        def forward(self, x):
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return self.fc3(x)

    class Cnn(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
            self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
            # Two 2x2 poolings take 28x28 to 7x7.
            self.fc = nn.Linear(32 * 7 * 7, CLASSES)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), 2)
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            return self.fc(torch.flatten(x, 1))

    return {"mlp": Mlp, "cnn": Cnn}


def torch_batch(torch, model, batch_size):
    shape = ((batch_size, 1, IMAGE_SIDE, IMAGE_SIDE) if model == "cnn"
             else (batch_size, IMAGE_SIDE * IMAGE_SIDE))
    return torch.randn(shape), torch.randint(CLASSES, (batch_size,))


def measure_torch(torch, args, memory, records):
    classes = torch_models(torch)
    for model in args.models:
        for batch_size in args.batch_sizes:
            for mode in ("eager", "torchscript"):
                common = {"framework": "pytorch", "mode": mode, "model": model,
                          "batch_size": batch_size}
                for _ in range(args.repetitions):
                    records.append(torch_train(torch, classes[model], model, mode, batch_size,
                                               common, args, memory))
                for _ in range(args.repetitions):
                    records.append(torch_inference(torch, classes[model], model, mode,
                                                   batch_size, common, args, memory))
                report(records[-1])


def torch_train(torch, cls, model, mode, batch_size, common, args, memory):
    memory.reset()
    torch.manual_seed(args.seed)
    net = cls()
    inputs, labels = torch_batch(torch, model, batch_size)
    forward = net
    trace_ns = 0
    if mode == "torchscript":
        start = time.perf_counter_ns()
        forward = torch.jit.trace(net, (inputs,))
        trace_ns = time.perf_counter_ns() - start
    optimizer = torch.optim.SGD(net.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)

    def step():
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(forward(inputs), labels)
        loss.backward()
        optimizer.step()
        return loss

    warmup = EAGER_WARMUP_STEPS
    if mode == "torchscript":
        warmup = max(warmup, torchscript_warmup_calls(torch))
    first_calls = [time_one(step) for _ in range(warmup)]
    loss = step()
    if not torch.isfinite(loss):
        raise RuntimeError(f"{model} {mode} batch {batch_size}: the loss is {loss.item()}")
    times = time_calls(step, args.min_time)
    compile_ms = None
    if mode == "torchscript":
        compile_ms = one_off_ms(trace_ns, first_calls[:torchscript_warmup_calls(torch)], times)
    peak = memory.peak_mib() if memory.available else None
    return train_record(common, times, batch_size, peak, compile_ms)


def torch_inference(torch, cls, model, mode, batch_size, common, args, memory):
    memory.reset()
    torch.manual_seed(args.seed)
    net = cls().eval()
    inputs, _ = torch_batch(torch, model, batch_size)
    forward = net
    trace_ns = 0
    warmup = EAGER_WARMUP_STEPS
    with torch.no_grad():
        if mode == "torchscript":
            start = time.perf_counter_ns()
            forward = torch.jit.trace(net, (inputs,))
            trace_ns = time.perf_counter_ns() - start
            warmup = max(warmup, torchscript_warmup_calls(torch))
        first_calls = [time_one(lambda: forward(inputs)) for _ in range(warmup)]
        if mode == "torchscript" and not torch.allclose(forward(inputs), net(inputs),
                                                        rtol=1e-4, atol=1e-5):
            raise RuntimeError(f"{model} batch {batch_size}: traced and eager outputs differ")
        times = time_calls(lambda: forward(inputs), args.min_time)
    compile_ms = None
    if mode == "torchscript":
        compile_ms = one_off_ms(trace_ns, first_calls[:torchscript_warmup_calls(torch)], times)
    peak = memory.peak_mib() if memory.available else None
    return inference_record(common, times, batch_size, peak, compile_ms)


# ---------------------------------------------------------------------------------------------
# TensorFlow (only where it is importable: Debian 12 has no package for it)


def tf_model(tf, model):
    layers = tf.keras.layers
    if model == "mlp":
        return tf.keras.Sequential([
            layers.Dense(512, activation="relu"),
            layers.Dense(256, activation="relu"),
            layers.Dense(CLASSES),
        ])
    return tf.keras.Sequential([
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPool2D(2),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPool2D(2),
        layers.Flatten(),
        layers.Dense(CLASSES),
    ])


def tf_batch(tf, model, batch_size, seed):
    # Keras convolutions are channels-last: NHWC.
    shape = ((batch_size, IMAGE_SIDE, IMAGE_SIDE, 1) if model == "cnn"
             else (batch_size, IMAGE_SIDE * IMAGE_SIDE))
    inputs = tf.random.stateless_normal(shape, seed=(seed, 0))
    labels = tf.random.stateless_uniform((batch_size,), seed=(seed, 1), maxval=CLASSES,
                                         dtype=tf.int32)
    return inputs, labels


def measure_tensorflow(tf, args, memory, records):
    for model in args.models:
        for batch_size in args.batch_sizes:
            for mode, xla in (("tf.function", False), ("xla", True)):
                common = {"framework": "tensorflow", "mode": mode, "model": model,
                          "batch_size": batch_size}
                for _ in range(args.repetitions):
                    records.append(tf_train(tf, model, xla, batch_size, common, args, memory))
                for _ in range(args.repetitions):
                    records.append(tf_inference(tf, model, xla, batch_size, common, args,
                                                memory))
                report(records[-1])


def tf_train(tf, model, xla, batch_size, common, args, memory):
    memory.reset()
    tf.keras.utils.set_random_seed(args.seed)
    net = tf_model(tf, model)
    optimizer = tf.keras.optimizers.SGD(learning_rate=LEARNING_RATE, momentum=MOMENTUM)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    inputs, labels = tf_batch(tf, model, batch_size, args.seed)
    # Create the weights (and, with Keras 2.11+, the optimiser's slots) eagerly: a tf.function
    # may create variables only while it is traced, and XLA-compiled code not at all.
    net(inputs)
    if hasattr(optimizer, "build"):
        optimizer.build(net.trainable_variables)

    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, net(x, training=True))
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply_gradients(zip(grads, net.trainable_variables))
        return loss

    step = tf.function(train_step, jit_compile=xla)
    # .numpy() waits for the result. The first call traces (and with XLA compiles).
    first = time_one(lambda: step(inputs, labels).numpy())
    for _ in range(EAGER_WARMUP_STEPS):
        step(inputs, labels).numpy()
    times = time_calls(lambda: step(inputs, labels).numpy(), args.min_time)
    peak = memory.peak_mib() if memory.available else None
    return train_record(common, times, batch_size, peak, one_off_ms(0, [first], times))


def tf_inference(tf, model, xla, batch_size, common, args, memory):
    memory.reset()
    tf.keras.utils.set_random_seed(args.seed)
    net = tf_model(tf, model)
    inputs, _ = tf_batch(tf, model, batch_size, args.seed)
    net(inputs)
    predict = tf.function(lambda x: net(x, training=False), jit_compile=xla)
    first = time_one(lambda: predict(inputs).numpy())
    for _ in range(EAGER_WARMUP_STEPS):
        predict(inputs).numpy()
    times = time_calls(lambda: predict(inputs).numpy(), args.min_time)
    peak = memory.peak_mib() if memory.available else None
    return inference_record(common, times, batch_size, peak, one_off_ms(0, [first], times))


# ---------------------------------------------------------------------------------------------


def report(record):
    latency = record.get("avg_latency_ms", record.get("avg_time_ms"))
    print(f"torch_bench: {record['framework']} {record['mode']} {record['model']} "
          f"batch {record['batch_size']}: {latency:.3f} ms, "
          f"{record['throughput']:.0f} samples/s", file=sys.stderr)


def write_atomically(path, records):
    """Replaces `path` whole, so a reader never sees half a file."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=".torch_bench.", dir=directory)
    try:
        # mkstemp creates the file 0600; give it the mode any other new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w") as f:
            json.dump(records, f, indent=1)
            f.write("\n")
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def main(argv):
    args = parse_args(argv)
    # Thread pools read these when the libraries load, so they are set before the imports.
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = str(args.threads)
    import torch

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.threads)
    # As in C++: a converging loop drives gradients toward denormals, which x86 runs slowly.
    torch.set_flush_denormal(True)
    memory = PeakMemory()
    if not memory.available:
        print("torch_bench: /proc/self/clear_refs is not writable: peak_memory_mb left out",
              file=sys.stderr)

    records = []
    measure_torch(torch, args, memory, records)
    try:
        import tensorflow as tf
    except ImportError:
        print("torch_bench: TensorFlow is not importable (Debian 12 has no package for it): "
              "tf.function and XLA not measured", file=sys.stderr)
    else:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
        measure_tensorflow(tf, args, memory, records)
    write_atomically(args.out, records)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
