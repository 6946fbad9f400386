"""The driver and the worker without a full run: arguments, the plan, a framework that is not
installed, a worker whose equivalence check fails, and a configuration that cannot run becoming
a failure record while the rest goes on."""

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

import numpy as np

from mlsuite import common, driver

ENTRY = driver.ENTRY


def run_suite(*args, env=None):
    return subprocess.run([sys.executable, ENTRY, *args], capture_output=True, text=True,
                          env=env)


class Arguments(unittest.TestCase):
    def test_bad_values_exit_2_naming_the_option(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "r.json")
            for args, message in (
                    (["--train-batch-sizes", "eight"],
                     "--train-batch-sizes: expected whole numbers"),
                    (["--models", "resnet"], "--models: expected some of mlp, cnn, transformer"),
                    (["--infer-iterations", "10"], "--infer-iterations: expected 2 numbers"),
                    (["--train-iterations", "9,3"], "--train-iterations: MIN is larger than MAX"),
                    (["--infer-batch-sizes", "65"], "batch sizes are at most 64")):
                result = run_suite("--out", out, *args)
                self.assertEqual(result.returncode, 2, args)
                self.assertIn(message, result.stderr)
                self.assertFalse(os.path.exists(out))

    def test_the_full_plan_and_a_selection(self):
        result = run_suite("--out", "unused.json", "--list")
        self.assertEqual(result.returncode, 0, result.stderr)
        ids = result.stdout.split()
        # 3 models x (4 batches x 6 training modes + 2 batches x 9 inference modes)
        self.assertEqual(len(ids), 3 * (4 * 6 + 2 * 9))
        self.assertEqual(len(set(ids)), len(ids))
        self.assertIn("train_step/pytorch/torch.compile/transformer/64", ids)
        self.assertIn("inference/pytorch/onnxruntime/cnn/32", ids)
        self.assertIn("inference/tensorflow/tflite/mlp/1", ids)
        self.assertIn("train_step/jax/jit/cnn/8", ids)
        env = dict(os.environ, ML_SUITE_ARGS="--select 'train_step/*/torch.compile/*/32'")
        selected = run_suite("--out", "unused.json", "--list", env=env).stdout.split()
        self.assertEqual(selected, [f"train_step/pytorch/torch.compile/{m}/32"
                                    for m in common.MODELS])


class NotInstalled(unittest.TestCase):
    def test_one_line_per_missing_framework_and_its_configurations_left_out(self):
        real = driver.installed
        with mock.patch.object(driver, "installed",
                               side_effect=lambda m: m != "tensorflow" and real(m)):
            stderr = io.StringIO()
            with contextlib.redirect_stderr(stderr):
                usable, skip = driver.available_frameworks(["pytorch", "tensorflow", "jax"])
        self.assertEqual(usable, ["pytorch", "jax"])
        self.assertEqual(skip, set())
        lines = stderr.getvalue().splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("tensorflow is not installed", lines[0])
        self.assertIn("bash ci/setup.sh --ml", lines[0])

    def test_onnx_runtime_missing_drops_only_that_mode(self):
        with mock.patch.object(driver, "installed", side_effect=lambda m: m != "onnxruntime"):
            with contextlib.redirect_stderr(io.StringIO()):
                usable, skip = driver.available_frameworks(["pytorch"])
                args = driver.parse_args(["--out", "x.json"])
        self.assertEqual(usable, ["pytorch"])
        plan = driver.plan(args, usable, skip)
        self.assertTrue(plan)
        self.assertFalse([c for c in plan if c[2] == "onnxruntime"])

    def test_nothing_installed_is_an_error_not_a_crash(self):
        with mock.patch.object(driver, "installed", return_value=False):
            stderr = io.StringIO()
            with contextlib.redirect_stderr(stderr):
                status = driver.main(["--out", "never-written.json"])
        self.assertEqual(status, 1)
        self.assertIn("nothing to measure", stderr.getvalue())
        self.assertFalse(os.path.exists("never-written.json"))


class Failures(unittest.TestCase):
    def test_a_worker_whose_output_differs_from_the_reference_fails_its_check(self):
        with tempfile.TemporaryDirectory() as d:
            widths = common.Widths(1.0)
            weights = common.weights_file(d, 1, widths)
            reference = os.path.join(d, "pytorch-mlp.npz")
            # The reference of another model: the worker's own output will not match.
            np.savez(reference, **{"infer/1/logits": np.zeros((1, common.CLASSES))})
            spec = {"task": "infer", "framework": "pytorch", "mode": "eager", "model": "mlp",
                    "batch_size": 1, "weights": weights, "reference": reference,
                    "timing": common.Timing(1, 1, 1, 0.0).to_json(), "threads": 1,
                    "width_scale": 1.0, "result": os.path.join(d, "result.json")}
            with open(os.path.join(d, "spec.json"), "w") as f:
                json.dump(spec, f)
            result = subprocess.run([sys.executable, ENTRY, "--worker", f.name],
                                    capture_output=True, text=True)
            self.assertEqual(result.returncode, 3, result.stderr)
            with open(spec["result"]) as f:
                written = json.load(f)
            self.assertFalse(written["ok"])
            self.assertIn("equivalence check failed: pytorch eager vs pytorch eager: logits "
                          "differ", written["error"])
            self.assertNotIn("times_s", written)  # nothing was timed

    def test_a_configuration_that_cannot_run_becomes_a_failure_record(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "records.json")
            # Half a second is not enough to import JAX: the reference fails, and with it
            # the mode that would have been checked against it.
            result = run_suite("--out", out, "--work-dir", os.path.join(d, "work"),
                               "--frameworks", "jax", "--select", "inference/jax/jit/mlp/1",
                               "--worker-timeout", "0.5")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("jax: the eager reference failed", result.stderr)
            with open(out) as f:
                records = json.load(f)
        self.assertIn("context", records[0])
        self.assertEqual(records[0]["context"]["ml_suite_threads"], 1)
        failures = [r for r in records if "error" in r]
        self.assertEqual(len(failures), 1, records)
        self.assertEqual({k: failures[0][k] for k in ("benchmark", "framework", "mode", "model",
                                                      "batch_size")},
                         {"benchmark": "inference", "framework": "jax", "mode": "jit",
                          "model": "mlp", "batch_size": 1})
        self.assertIn("eager reference failed: timed out after 0.5 s", failures[0]["error"])


if __name__ == "__main__":
    unittest.main()
