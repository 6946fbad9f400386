"""The suite's driver: plans the configurations, writes the shared weights, runs every
configuration in a fresh worker process one after the other, checks that the frameworks compute
the same model, and writes the JSON records perftrack's `records` adapter reads.

It imports no framework itself (only NumPy), so its own start is cheap and no framework state
(thread pools, compile caches, allocator high-water marks) passes from one configuration to the
next: each worker process starts from nothing.
"""

import argparse
import fnmatch
import importlib.metadata
import importlib.util
import json
import os
import platform
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

from . import common

ENTRY = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "ml_suite.py")

# framework -> (module that must be importable, distribution whose version is recorded,
# training modes, inference modes). ONNX Runtime runs the exported PyTorch model, so it is a
# PyTorch inference mode that needs three more packages.
FRAMEWORKS = {
    "pytorch": ("torch", "torch", ("eager", "torch.compile"),
                ("eager", "torch.compile", "torchscript", "onnxruntime")),
    "tensorflow": ("tensorflow", "tensorflow-cpu", ("eager", "tf.function", "xla"),
                   ("eager", "tf.function", "xla", "tflite")),
    "jax": ("jax", "jax", ("jit",), ("jit",)),
}
ONNXRUNTIME_MODULES = ("onnxruntime", "onnx", "onnxscript")
RECORDED_DISTRIBUTIONS = ("torch", "tensorflow-cpu", "keras", "jax", "jaxlib", "onnxruntime",
                          "onnx", "numpy")
INSTALL_HINT = "bash ci/setup.sh --ml"
# How much of a failed worker's stderr goes into its failure record and the driver's message.
STDERR_TAIL_LINES = 5


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="ml_suite.py",
        description="Measure training and inference of the same models in PyTorch, TensorFlow "
                    "and JAX, every execution mode in its own process, and write JSON records "
                    "for `perftrack ingest --format records` (see examples/ml/README.md).")
    p.add_argument("--out", required=True, help="the records file to write (replaced whole)")
    p.add_argument("--work-dir",
                   help="weights cache and worker logs (default: ml-suite/ beside --out)")
    p.add_argument("--frameworks", default=",".join(FRAMEWORKS),
                   help="comma-separated subset of: %(default)s")
    p.add_argument("--models", default=",".join(common.MODELS),
                   help="comma-separated subset of: %(default)s")
    p.add_argument("--train-batch-sizes", default=",".join(map(str, common.TRAIN_BATCH_SIZES)),
                   help="default: %(default)s")
    p.add_argument("--infer-batch-sizes", default=",".join(map(str, common.INFER_BATCH_SIZES)),
                   help="default: %(default)s")
    p.add_argument("--select", action="append", default=[], metavar="GLOB",
                   help="only configurations whose id matches (repeatable); ids are "
                        "BENCHMARK/FRAMEWORK/MODE/MODEL/BATCH, e.g. "
                        "'train_step/pytorch/torch.compile/*/32' or 'inference/*/eager/mlp/*'")
    p.add_argument("--threads", type=int, default=1,
                   help="threads of every framework's pools (default: %(default)s)")
    p.add_argument("--width-scale", type=float, default=1.0,
                   help="multiplies every hidden width (default: %(default)s)")
    p.add_argument("--seed", type=int, default=20240501, help="weights and data seed")
    p.add_argument("--warmup", type=int, default=3,
                   help="untimed calls, the first (compiling) one included (default: %(default)s)")
    p.add_argument("--min-time", type=float, default=0.3,
                   help="seconds of timed calls per configuration, at least (default: %(default)s)")
    p.add_argument("--train-iterations", default="10,200", metavar="MIN,MAX",
                   help="timed training steps per configuration (default: %(default)s)")
    p.add_argument("--infer-iterations", default="100,1000", metavar="MIN,MAX",
                   help="timed inference calls per configuration (default: %(default)s)")
    p.add_argument("--worker-timeout", type=float, default=900,
                   help="seconds one configuration may take (default: %(default)s)")
    p.add_argument("--list", action="store_true", help="print the configurations and exit")
    args = p.parse_args(argv)

    def names(option, value, known):
        out = [v.strip() for v in value.split(",") if v.strip()]
        unknown = [v for v in out if v not in known]
        if unknown or not out:
            p.error(f"{option}: expected some of {', '.join(known)}, got {value!r}")
        return out

    def whole_numbers(option, value, count=None):
        try:
            out = [int(v) for v in value.split(",") if v.strip()]
        except ValueError:
            p.error(f"{option}: expected whole numbers, got {value!r}")
        if not out or min(out) < 1 or (count is not None and len(out) != count):
            p.error(f"{option}: expected {count or 'some'} numbers >= 1, got {value!r}")
        return out

    args.frameworks = names("--frameworks", args.frameworks, tuple(FRAMEWORKS))
    args.models = names("--models", args.models, common.MODELS)
    args.train_batch_sizes = whole_numbers("--train-batch-sizes", args.train_batch_sizes)
    args.infer_batch_sizes = whole_numbers("--infer-batch-sizes", args.infer_batch_sizes)
    if max(args.train_batch_sizes + args.infer_batch_sizes) > common.DATA_ROWS:
        p.error(f"batch sizes are at most {common.DATA_ROWS} (the rows of generated data)")
    args.train_iterations = whole_numbers("--train-iterations", args.train_iterations, 2)
    args.infer_iterations = whole_numbers("--infer-iterations", args.infer_iterations, 2)
    for option, (low, high) in (("--train-iterations", args.train_iterations),
                                ("--infer-iterations", args.infer_iterations)):
        if low > high:
            p.error(f"{option}: MIN is larger than MAX")
    if args.threads < 1 or args.warmup < 1 or args.min_time < 0 or args.width_scale <= 0:
        p.error("--threads and --warmup must be >= 1, --min-time >= 0, --width-scale > 0")
    if args.work_dir is None:
        args.work_dir = os.path.join(os.path.dirname(os.path.abspath(args.out)), "ml-suite")
    return args


def say(message):
    print(f"ml_suite: {message}", file=sys.stderr, flush=True)


def installed(module):
    return importlib.util.find_spec(module) is not None


def available_frameworks(requested):
    """The requested frameworks that are installed, and the PyTorch inference modes that can
    run (ONNX Runtime needs its own packages). One line on stderr for each that is missing."""
    usable = []
    for name in requested:
        module = FRAMEWORKS[name][0]
        if installed(module):
            usable.append(name)
        else:
            say(f"{name} is not installed ({module} is not importable by {sys.executable}; "
                f"{INSTALL_HINT}): its configurations are not measured")
    skip_modes = set()
    if "pytorch" in usable:
        missing = [m for m in ONNXRUNTIME_MODULES if not installed(m)]
        if missing:
            say(f"ONNX Runtime mode not measured: {', '.join(missing)} not importable "
                f"({INSTALL_HINT})")
            skip_modes.add(("pytorch", "onnxruntime"))
    return usable, skip_modes


def plan(args, frameworks, skip_modes):
    configs = []
    for framework in frameworks:
        _, _, train_modes, infer_modes = FRAMEWORKS[framework]
        for model in args.models:
            for mode in train_modes:
                for b in args.train_batch_sizes:
                    configs.append(("train_step", framework, mode, model, b))
            for mode in infer_modes:
                for b in args.infer_batch_sizes:
                    configs.append(("inference", framework, mode, model, b))
    configs = [c for c in configs if (c[1], c[2]) not in skip_modes]
    if args.select:
        configs = [c for c in configs
                   if any(fnmatch.fnmatchcase(config_id(c), g) for g in args.select)]
    return configs


def config_id(config):
    return "/".join(map(str, config))


def worker_environment(threads, inductor_cache):
    """Pins every thread pool to `threads` (the libraries read these when they load) and gives
    torch.compile a fresh, empty cache: its compile time is a cold compile in every
    configuration, never a cache hit from an earlier one."""
    env = dict(os.environ)
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                 "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
        env[name] = str(threads)
    eigen_pool = "true" if threads > 1 else "false"
    env["XLA_FLAGS"] = (f"--xla_cpu_multi_thread_eigen={eigen_pool} "
                        f"intra_op_parallelism_threads={threads}")
    env["TORCHINDUCTOR_CACHE_DIR"] = inductor_cache
    # JAX keeps no compiled programs between processes unless asked; say so explicitly.
    env["JAX_ENABLE_COMPILATION_CACHE"] = "false"
    env.pop("JAX_COMPILATION_CACHE_DIR", None)
    # TensorFlow's auto-clustering (--tf_xla_auto_jit) would make tf.function an XLA mode too.
    env.pop("TF_XLA_FLAGS", None)
    return env


class Worker:
    """Runs one worker process; keeps its stderr in a log file."""

    def __init__(self, args, run_dir, log_dir):
        self.args = args
        self.run_dir = run_dir
        self.log_dir = log_dir
        self.count = 0

    def run(self, spec, label):
        self.count += 1
        stem = f"{self.count:03d}-{label.replace('/', '_')}"
        spec = dict(spec, threads=self.args.threads, width_scale=self.args.width_scale,
                    result=os.path.join(self.run_dir, stem + ".result.json"))
        spec_path = os.path.join(self.run_dir, stem + ".spec.json")
        with open(spec_path, "w") as f:
            json.dump(spec, f)
        log_path = os.path.join(self.log_dir, stem + ".log")
        inductor_cache = tempfile.mkdtemp(prefix="inductor-", dir=self.run_dir)
        started = time.perf_counter()
        status = None
        try:
            with open(log_path, "w") as log:
                child = subprocess.run(
                    [sys.executable, ENTRY, "--worker", spec_path], stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT, timeout=self.args.worker_timeout,
                    env=worker_environment(self.args.threads, inductor_cache))
            status = child.returncode
        except subprocess.TimeoutExpired:
            pass
        finally:
            shutil.rmtree(inductor_cache, ignore_errors=True)
        wall = time.perf_counter() - started
        result = None
        if os.path.exists(spec["result"]):
            with open(spec["result"]) as f:
                result = json.load(f)
        if status is None:
            error = f"timed out after {self.args.worker_timeout:g} s"
        elif result is None:
            error = f"the worker {describe_status(status)} without a result"
        elif not result.get("ok"):
            error = result.get("error") or f"the worker {describe_status(status)}"
        else:
            return result, wall, None
        detail = f"{error} (log: {log_path})"
        tail = log_tail(log_path)
        if tail and result is None:  # a crash or a timeout: the end of stderr may say why
            detail += "; stderr: " + " | ".join(tail)
        return result, wall, detail


def describe_status(status):
    if status < 0:
        return f"was killed by signal {-status}"
    return f"exited with status {status}"


def log_tail(path):
    try:
        with open(path, errors="replace") as f:
            lines = [line.rstrip() for line in f if line.strip()]
    except OSError:
        return []
    return lines[-STDERR_TAIL_LINES:]


def failure_record(config, message):
    benchmark, framework, mode, model, batch = config
    return {"benchmark": benchmark, "framework": framework, "mode": mode, "model": model,
            "batch_size": batch, "error": message}


def measurement_record(config, result):
    """The record of one measured configuration, in the field names ML benchmark scripts use
    (README.md, "Records"); times in ms, memory in MiB."""
    benchmark, framework, mode, model, batch = config
    times = result["times_s"]
    mean = sum(times) / len(times)
    record = {"benchmark": benchmark, "framework": framework, "mode": mode, "model": model,
              "batch_size": batch, "num_iterations": len(times)}
    if benchmark == "train_step":
        record["avg_time_ms"] = mean * 1e3
    else:
        record.update(avg_latency_ms=mean * 1e3,
                      p50_latency_ms=common.percentile(times, 50) * 1e3,
                      p95_latency_ms=common.percentile(times, 95) * 1e3,
                      p99_latency_ms=common.percentile(times, 99) * 1e3)
    record["throughput"] = batch / mean
    record["peak_memory_mb"] = result["peak_memory_mib"]
    if "allocator_peak_mib" in result:
        record["allocator_peak_memory_mb"] = result["allocator_peak_mib"]
    # The one-off cost: the mode's preparation (tracing, conversion, session set-up) and its
    # first call, beyond one steady-state call. Left out when the noise of a fast eager call
    # makes it zero or negative: a time must be positive.
    compile_s = result["prepare_s"] + result["first_call_s"] - common.median(times)
    if compile_s > 0:
        record["compile_time_ms"] = compile_s * 1e3
    samples = "step_time_ms" if benchmark == "train_step" else "latency_ms"
    record[samples] = [t * 1e3 for t in times]
    record["warmup_time_ms"] = [t * 1e3 for t in result["warmup_s"]]
    return record


def summary_line(config, record, result, wall):
    benchmark, framework, mode, model, batch = config
    check = result["check"]
    if benchmark == "train_step":
        agreement = (f"loss {check['loss_relative_diff']:.0e}, update "
                     f"{check['update_relative_diff']:.0e} from eager")
    else:
        agreement = f"logits {check['logits_max_abs_diff']:.0e} from eager"
    if benchmark == "train_step":
        speed = f"{record['avg_time_ms']:.3f} ms/step"
    else:
        speed = f"p95 {record['p95_latency_ms']:.3f} ms"
    compile_ms = record.get("compile_time_ms")
    one_off = f", compile {compile_ms / 1e3:.2f} s" if compile_ms else ""
    return (f"{benchmark} {framework} {mode} {model} batch {batch}: {speed}, "
            f"{record['throughput']:.0f}/s{one_off}, +{record['peak_memory_mb']:.0f} MiB; "
            f"{agreement} ({wall:.1f} s)")


def cross_check(references, args, weights):
    """Each framework's eager results against the NumPy reference (logits, first-step loss)
    and against the first framework's parameter update: the same weights and inputs must give
    the same model. Returns (framework, model) -> problem for the pairs that disagree."""
    problems = {}
    widths = common.Widths(args.width_scale)
    for model in args.models:
        workload = common.Workload(weights, model, widths)
        anchor = None
        for framework, arrays_by_model in references.items():
            arrays = arrays_by_model.get(model)
            if arrays is None:
                continue
            what = f"{framework} eager vs NumPy ({model})"
            problem = None
            worst = 0.0
            infer = sorted(int(k.split("/")[1]) for k in arrays if k.endswith("/logits"))
            train = sorted(int(k.split("/")[1]) for k in arrays if k.endswith("/loss"))
            for b in infer:
                expected = common.reference_logits(workload, workload.batch(b)[0])
                got = arrays[f"infer/{b}/logits"]
                worst = max(worst, float(np.max(np.abs(got - expected))))
                problem = problem or common.compare_logits(got, expected, f"{what}, batch {b}")
            for b in train:
                x, y = workload.batch(b)
                expected = common.reference_loss(common.reference_logits(workload, x), y)
                problem = problem or common.compare_loss(float(arrays[f"train/{b}/loss"]),
                                                         expected, f"{what}, batch {b}")
            update_note = ""
            if anchor is None:
                anchor = (framework, arrays)
            else:
                errors = [0.0]
                for b in (b for b in train if f"train/{b}/loss" in anchor[1]):
                    update = {k: arrays[f"train/{b}/update/{k}"] for k in workload.params}
                    expected = {k: anchor[1][f"train/{b}/update/{k}"] for k in workload.params}
                    errors.append(common.update_error(update, expected))
                    problem = problem or common.compare_update(
                        update, expected, f"{framework} vs {anchor[0]} eager ({model}), batch {b}")
                update_note = f", first SGD update within {max(errors):.1e} of {anchor[0]}'s"
            say(f"same model: {framework} {model}: logits within {worst:.1e} of NumPy"
                f"{update_note}{'' if problem is None else ': DIFFERENT'}")
            if problem is not None:
                problems[(framework, model)] = problem
    return problems


def write_atomically(path, records):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".ml_suite.", dir=directory)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w") as f:
            f.write("[\n")
            f.write(",\n".join(json.dumps(r) for r in records))
            f.write("\n]\n")
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def versions():
    out = {"python": platform.python_version()}
    for name in RECORDED_DISTRIBUTIONS:
        try:
            out[f"{name}_version"] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    return out


def main(argv):
    # Extra arguments from the environment, so a configuration that runs this script (such as
    # examples/ml/perftrack.toml) can be narrowed without editing it: a quick run, a selection.
    args = parse_args(argv + shlex.split(os.environ.get("ML_SUITE_ARGS", "")))
    frameworks, skip_modes = available_frameworks(args.frameworks)
    configs = plan(args, frameworks, skip_modes)
    if args.list:
        for c in configs:
            print(config_id(c))
        return 0
    if not configs:
        say("nothing to measure (no installed framework, or --select matched nothing)")
        return 1
    suite_started = time.perf_counter()
    os.makedirs(args.work_dir, exist_ok=True)
    widths = common.Widths(args.width_scale)
    weights = common.weights_file(args.work_dir, args.seed, widths)
    log_dir = os.path.join(args.work_dir, "logs")
    shutil.rmtree(log_dir, ignore_errors=True)
    os.makedirs(log_dir)
    run_dir = tempfile.mkdtemp(prefix="run-", dir=args.work_dir)
    try:
        records, failures = run_suite(args, configs, weights, run_dir, log_dir)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    write_atomically(args.out, records)
    say(f"{len(configs)} configurations in {time.perf_counter() - suite_started:.0f} s, "
        f"{failures} failed; records in {args.out}, worker logs in {log_dir}")
    return 0


def batches(configs, benchmark, model, mode=None):
    return sorted({c[4] for c in configs
                   if c[0] == benchmark and c[3] == model and mode in (None, c[2])})


def run_suite(args, configs, weights, run_dir, log_dir):
    worker = Worker(args, run_dir, log_dir)
    timing = {
        "train_step": common.Timing(args.warmup, args.train_iterations[0],
                                    args.train_iterations[1], args.min_time).to_json(),
        "inference": common.Timing(args.warmup, args.infer_iterations[0],
                                   args.infer_iterations[1], args.min_time).to_json(),
    }
    context = {"ml_suite_threads": args.threads, "ml_suite_width_scale": args.width_scale,
               "ml_suite_seed": args.seed}
    context.update(versions())
    records, failure_records = [], []
    import_times = {}

    # The eager references (and the ONNX export) first, one process per framework.
    references, reference_errors = {}, {}
    for framework in dict.fromkeys(c[1] for c in configs):
        mine = [c for c in configs if c[1] == framework]
        models = sorted({c[3] for c in mine}, key=args.models.index)
        # Only the inputs some configuration needs: the eager reference of a framework that
        # compiles every op on first use (JAX) is slow.
        spec = {"task": "reference", "framework": framework, "mode": None, "weights": weights,
                "out_dir": run_dir, "models": {
                    m: {"train": batches(mine, "train_step", m),
                        "infer": batches(mine, "inference", m),
                        "onnx": batches(mine, "inference", m, mode="onnxruntime")}
                    for m in models}}
        onnx = any(v["onnx"] for v in spec["models"].values())
        result, wall, error = worker.run(spec, f"reference/{framework}")
        if error is not None:
            say(f"{framework}: the eager reference failed, so its modes cannot be checked "
                f"and are not measured: {error}")
            reference_errors[framework] = f"eager reference failed: {error}"
            continue
        say(f"{framework}: eager reference{' and ONNX export' if onnx else ''} in {wall:.1f} s")
        import_times.setdefault(framework, []).append(result["import_s"])
        context.update(result["context"])
        references[framework] = {
            m: dict(np.load(os.path.join(run_dir, f"{framework}-{m}.npz"))) for m in models}

    for (framework, model), problem in cross_check(references, args, weights).items():
        say(f"equivalence: {problem}")
        failure_records.append({"benchmark": "equivalence", "framework": framework,
                                "model": model, "error": problem})

    # A shuffled order (fixed by the seed): a slow minute of a shared machine then lands on
    # configurations of every framework instead of all of one. Records keep the plan's order.
    order = list(configs)
    random.Random(args.seed).shuffle(order)
    by_config = {}
    for index, config in enumerate(order, start=1):
        benchmark, framework, mode, model, batch = config
        progress = f"[{index}/{len(configs)}]"
        if framework in reference_errors:
            by_config[config] = failure_record(config, reference_errors[framework])
            continue
        spec = {"task": "train" if benchmark == "train_step" else "infer",
                "framework": framework, "mode": mode, "model": model, "batch_size": batch,
                "weights": weights, "timing": timing[benchmark],
                "reference": os.path.join(run_dir, f"{framework}-{model}.npz")}
        if mode == "onnxruntime":
            spec["onnx_model"] = os.path.join(run_dir, f"{model}-{batch}.onnx")
        result, wall, error = worker.run(spec, config_id(config))
        if result is not None and "import_s" in result:
            # The ONNX Runtime worker imports ONNX Runtime, not PyTorch.
            imported = "onnxruntime" if mode == "onnxruntime" else framework
            import_times.setdefault(imported, []).append(result["import_s"])
        if error is not None:
            say(f"{progress} {config_id(config)} FAILED: {error}")
            by_config[config] = failure_record(config, error)
            continue
        context.update(result["context"])
        by_config[config] = measurement_record(config, result)
        say(f"{progress} {summary_line(config, by_config[config], result, wall)}")
    for config in configs:
        (failure_records if "error" in by_config[config] else records).append(by_config[config])

    # Process start-up: importing the framework (and NumPy), once per worker process.
    startup = [{"benchmark": "framework_import", "framework": f,
                "import_time_ms": [t * 1e3 for t in times]}
               for f, times in import_times.items()]
    return [{"context": context}] + startup + records + failure_records, len(failure_records)
