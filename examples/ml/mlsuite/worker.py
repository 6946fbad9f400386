"""One configuration in its own process: imports one framework, builds the model from the
shared weights, runs the mode's one-off preparation and first call, checks the result against
the framework's eager reference, then times the steps. Or, as the "reference" task, computes
those eager references (and exports the ONNX models) for the driver.

The driver passes a JSON spec file and reads the JSON result file this writes; everything else
a framework prints goes to stderr, which the driver keeps in a log. Exit status: 0 measured,
3 the equivalence check failed, 1 anything else went wrong (the result says what).
"""

import importlib
import json
import os
import sys
import time
import traceback

EXIT_CHECK_FAILED = 3


class CheckFailed(Exception):
    pass


def implementation(framework, mode):
    """The module that runs this framework and mode (imported here: this is the import time)."""
    if framework == "pytorch" and mode == "onnxruntime":
        name = "ort_impl"
    else:
        name = {"pytorch": "torch_impl", "tensorflow": "tf_impl", "jax": "jax_impl"}[framework]
    return importlib.import_module(f"{__package__}.{name}")


def _write(path, result):
    temporary = f"{path}.tmp"
    with open(temporary, "w") as f:
        json.dump(result, f)
    os.replace(temporary, path)


def run_reference(spec, impl, common, np):
    widths = common.Widths(spec["width_scale"])
    for model, batches in spec["models"].items():
        workload = common.Workload(spec["weights"], model, widths)
        arrays = common.eager_reference(impl, workload, batches["train"], batches["infer"])
        np.savez(os.path.join(spec["out_dir"], f"{impl.FRAMEWORK}-{model}.npz"), **arrays)
        for b in batches["onnx"]:
            impl.export_onnx(workload, b, os.path.join(spec["out_dir"], f"{model}-{b}.onnx"))
    return {}


def _check_train(spec, runner, loss, workload, reference, common):
    """The first step's loss and parameter update against the eager reference; returns how
    close they were (for the driver's log)."""
    b = spec["batch_size"]
    what = f"{spec['framework']} {spec['mode']} vs {spec['framework']} eager"
    expected_loss = float(reference[f"train/{b}/loss"])
    problem = common.compare_loss(loss, expected_loss, what)
    if problem is not None:
        raise CheckFailed(problem)
    after = runner.canonical_params()
    update = {k: after[k] - workload.params[k] for k in workload.params}
    expected = {k: reference[f"train/{b}/update/{k}"] for k in workload.params}
    problem = common.compare_update(update, expected, what)
    if problem is not None:
        raise CheckFailed(problem)
    return {"loss_relative_diff": abs(loss - expected_loss) / abs(expected_loss),
            "update_relative_diff": common.update_error(update, expected)}


def _check_infer(spec, runner, out, reference, common, np):
    got = runner.to_numpy(out)
    expected = reference[f"infer/{spec['batch_size']}/logits"]
    problem = common.compare_logits(got, expected, f"{spec['framework']} {spec['mode']} vs "
                                                   f"{spec['framework']} eager")
    if problem is not None:
        raise CheckFailed(problem)
    return {"logits_max_abs_diff": float(np.max(np.abs(got.astype(np.float64) - expected)))}


def run_measurement(spec, impl, common, np):
    memory = common.ProcessMemory()
    baseline_mib = memory.baseline()
    allocator = hasattr(impl, "allocator_peak_bytes") and spec["mode"] != "tflite"
    if allocator:
        impl.reset_allocator_peak()
    widths = common.Widths(spec["width_scale"])
    workload = common.Workload(spec["weights"], spec["model"], widths)
    reference = np.load(spec["reference"])
    timing = common.Timing(**spec["timing"])
    b = spec["batch_size"]
    if spec["task"] == "train":
        runner = impl.Train(spec["mode"], workload, b)
        call = runner.step
    else:
        runner = impl.Infer(spec["mode"], workload, b, threads=spec["threads"],
                            model_path=spec.get("onnx_model"))
        call = runner.predict
    prepare_s, _ = common.time_call(runner.prepare)
    first_s, first = common.time_call(call)
    if spec["task"] == "train":
        check = _check_train(spec, runner, first, workload, reference, common)
    else:
        check = _check_infer(spec, runner, first, reference, common, np)
    # The first call is part of the warm-up; modes that optimise after profiling calls
    # (TorchScript) get those calls too.
    extra = common.Timing(max(0, timing.warmup - 1) + getattr(runner, "warmup_calls", 0),
                          timing.min_iterations, timing.max_iterations, timing.min_time)
    warmup, times = common.measure(call, extra)
    result = {"check": check, "prepare_s": prepare_s, "first_call_s": first_s,
              "warmup_s": [first_s] + warmup,
              "times_s": times, "baseline_rss_mib": baseline_mib,
              "peak_memory_mib": memory.peak_mib()}
    if allocator:
        # TensorFlow's oneDNN CPU allocator counts only its pool of large buffers (small ones go
        # to malloc without statistics): 0 means no tensor was that large, not "no memory".
        peak = impl.allocator_peak_bytes()
        if peak > 0:
            result["allocator_peak_mib"] = common.mib(peak)
    return result


def main(spec_path):
    started = time.perf_counter()
    with open(spec_path) as f:
        spec = json.load(f)
    result = {"ok": False}
    status = 1
    try:
        import numpy as np

        from . import common
        impl = implementation(spec["framework"], spec.get("mode"))
        result["import_s"] = time.perf_counter() - started
        result["context"] = impl.configure(spec["threads"])
        if spec["task"] == "reference":
            result.update(run_reference(spec, impl, common, np))
        else:
            result.update(run_measurement(spec, impl, common, np))
        result["ok"] = True
        status = 0
    except CheckFailed as e:
        result["error"] = f"equivalence check failed: {e}"
        status = EXIT_CHECK_FAILED
    except Exception as e:  # reported to the driver, which records it as a failure
        traceback.print_exc()
        last = str(e).strip().splitlines()
        result["error"] = f"{type(e).__name__}: {last[-1] if last else ''}".rstrip(": ")
    _write(spec["result"], result)
    if "error" in result:
        print(f"ml_suite worker: {result['error']}", file=sys.stderr)
    return status
