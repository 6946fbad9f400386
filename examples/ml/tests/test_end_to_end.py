"""The whole suite in a tiny configuration: every mode of every model at batch size 2 (a few
timed iterations each), through the real worker processes, the equivalence checks and the
cross-framework check; then the records through the real perftrack (`ingest --format records`
and `run --config examples/ml/perftrack.toml`) into a fresh embedded database.

Needs the pinned environment and a built perftrack ($PERFTRACK_BIN, default build/perftrack).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from mlsuite import driver

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(os.path.dirname(HERE))
PERFTRACK = os.environ.get("PERFTRACK_BIN", os.path.join(ROOT, "build", "perftrack"))
PARAMS = "framework,mode,model,batch_size"
IGNORED = "num_iterations,warmup_time_ms"
TINY = ["--train-batch-sizes", "2", "--infer-batch-sizes", "2", "--min-time", "0",
        "--train-iterations", "3,3", "--infer-iterations", "10,10"]
# Modes whose one-off cost is real work (tracing, compiling, converting, session set-up).
GRAPH_MODES = {"torch.compile", "torchscript", "onnxruntime", "tf.function", "xla", "tflite",
               "jit"}


class Database:
    """A fresh embedded perftrack database, stopped and removed at the end."""

    def __init__(self):
        self.home = tempfile.mkdtemp(prefix="perftrack-home-")
        self.env = dict(os.environ, PERFTRACK_HOME=self.home)

    def perftrack(self, *args, env=None, cwd=None):
        return subprocess.run([PERFTRACK, *args], capture_output=True, text=True,
                              env=dict(self.env, **(env or {})), cwd=cwd)

    def close(self):
        self.perftrack("db", "stop")
        shutil.rmtree(self.home, ignore_errors=True)


class EndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ml-suite-e2e-")
        cls.out = os.path.join(cls.dir, "records.json")
        cls.planned = subprocess.run(
            [sys.executable, driver.ENTRY, "--out", cls.out, "--list", *TINY],
            capture_output=True, text=True, check=True).stdout.split()
        cls.result = subprocess.run(
            [sys.executable, driver.ENTRY, "--out", cls.out, "--work-dir",
             os.path.join(cls.dir, "work"), *TINY], capture_output=True, text=True)
        cls.records = None
        if cls.result.returncode == 0:
            with open(cls.out) as f:
                cls.records = json.load(f)
        cls.db = Database()

    @classmethod
    def tearDownClass(cls):
        cls.db.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def setUp(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr[-3000:])

    def measured(self):
        return [r for r in self.records if "benchmark" in r and r["benchmark"] in
                ("train_step", "inference") and "error" not in r]

    def test_every_mode_of_every_model_ran_and_passed_its_checks(self):
        self.assertEqual(len(self.planned), 45)
        failures = [r for r in self.records if "error" in r]
        self.assertEqual(failures, [], self.result.stderr[-3000:])
        ran = ["/".join(str(r[k]) for k in ("benchmark", "framework", "mode", "model",
                                             "batch_size")) for r in self.measured()]
        self.assertEqual(sorted(ran), sorted(self.planned))
        # The frameworks agree on the same weights and inputs (NumPy as the referee).
        same_model = [line for line in self.result.stderr.splitlines() if "same model:" in line]
        self.assertEqual(len(same_model), 9, same_model)  # 3 frameworks x 3 models
        self.assertFalse([line for line in same_model if "DIFFERENT" in line])

    def test_records_have_the_fields_and_numbers_of_their_kind(self):
        train = {"num_iterations", "avg_time_ms", "throughput", "peak_memory_mb",
                 "step_time_ms", "warmup_time_ms"}
        infer = {"num_iterations", "avg_latency_ms", "p50_latency_ms", "p95_latency_ms",
                 "p99_latency_ms", "throughput", "peak_memory_mb", "latency_ms",
                 "warmup_time_ms"}
        for r in self.measured():
            is_train = r["benchmark"] == "train_step"
            self.assertLessEqual(train if is_train else infer, set(r), r)
            samples = r["step_time_ms" if is_train else "latency_ms"]
            self.assertEqual(len(samples), r["num_iterations"])
            self.assertEqual(r["num_iterations"], 3 if is_train else 10)
            self.assertEqual(len(r["warmup_time_ms"]),
                             3 + (2 if r["mode"] == "torchscript" else 0), r["mode"])
            mean = sum(samples) / len(samples)
            self.assertAlmostEqual(r["avg_time_ms" if is_train else "avg_latency_ms"], mean)
            self.assertAlmostEqual(r["throughput"], r["batch_size"] / (mean / 1e3), delta=1e-6 *
                                   r["throughput"])
            if not is_train:
                self.assertLessEqual(r["p50_latency_ms"], r["p95_latency_ms"])
                self.assertLessEqual(r["p95_latency_ms"], r["p99_latency_ms"])
                self.assertLessEqual(r["p99_latency_ms"], max(samples))
            self.assertGreater(r["peak_memory_mb"], 0, r)
            if r["mode"] in GRAPH_MODES:
                self.assertGreater(r["compile_time_ms"], 0, r)
            if r["mode"] == "torch.compile":  # g++ from a cold cache: seconds, not steps
                self.assertGreater(r["compile_time_ms"], 1000, r)
            if r["framework"] == "tensorflow" and r["mode"] != "tflite":
                # Only buffers large enough for TensorFlow's counted pool: absent when none was.
                self.assertGreater(r.get("allocator_peak_memory_mb", 1), 0, r)
            else:
                self.assertNotIn("allocator_peak_memory_mb", r)
        # The MLP's first kernel (784 x 512 floats) is large enough everywhere.
        self.assertTrue(all("allocator_peak_memory_mb" in r for r in self.measured()
                            if r["framework"] == "tensorflow" and r["model"] == "mlp" and
                            r["mode"] != "tflite"))

    def test_the_context_records_pinned_threads_and_versions(self):
        context = self.records[0]["context"]
        self.assertEqual(context["ml_suite_threads"], 1)
        self.assertEqual(context["torch_threads"], 1)
        self.assertEqual(context["torch_interop_threads"], 1)
        self.assertEqual(context["tf_intra_op_threads"], 1)
        self.assertEqual(context["onnxruntime_intra_op_threads"], 1)
        self.assertIn("intra_op_parallelism_threads=1", context["jax_xla_flags"])
        self.assertEqual(context["torch_version"], "2.13.0+cpu")
        self.assertEqual(context["tensorflow-cpu_version"], "2.21.0")
        self.assertEqual(context["jax_version"], "0.10.2")
        self.assertEqual(context["onnxruntime_version"], "1.30.0")
        imports = {r["framework"]: r["import_time_ms"] for r in self.records
                   if r.get("benchmark") == "framework_import"}
        self.assertEqual(set(imports), {"pytorch", "tensorflow", "jax", "onnxruntime"})
        self.assertTrue(all(t > 0 for times in imports.values() for t in times))

    def test_perftrack_ingest_stores_one_series_per_configuration_and_metric(self):
        identity = ["--project", "e2e", "--testbed", "t", "--branch", "main"]
        ingest = self.db.perftrack("ingest", "--format", "records", *identity, "--commit",
                                   "e2e0001", "--commit-time", "2026-01-01T00:00:00Z",
                                   "--params", PARAMS, "--ignore-fields", IGNORED, self.out)
        self.assertEqual(ingest.returncode, 0, ingest.stderr)
        report = self.db.perftrack("report", "--format", "json", *identity)
        self.assertEqual(report.returncode, 0, report.stderr)
        series = {(s["benchmark"], json.dumps(s["params"], sort_keys=True), s["metric"]): s
                  for s in json.loads(report.stdout)["series"]}
        for r in self.measured():
            params = json.dumps({k: r[k] for k in PARAMS.split(",")}, sort_keys=True)
            samples = "step_time" if r["benchmark"] == "train_step" else "latency"
            stored = series[(r["benchmark"], params, samples)]
            self.assertEqual(stored["unit"], "ns")
            self.assertEqual(stored["points"][0]["repetitions"], r["num_iterations"])
            self.assertEqual(series[(r["benchmark"], params, "throughput")]["direction"],
                             "higher")
            memory = series[(r["benchmark"], params, "peak_memory")]
            self.assertEqual((memory["direction"], memory["unit"]), ("lower", "B"))
        metrics = {key[2] for key in series}
        self.assertFalse(metrics & {"num_iterations", "warmup_time"}, metrics)

    def test_perftrack_run_with_the_example_configuration(self):
        # The real perftrack.toml, narrowed through ML_SUITE_ARGS to one quick configuration.
        narrow = "--select inference/pytorch/eager/mlp/1 --min-time 0 --infer-iterations 10,10"
        run = self.db.perftrack("run", "--config", os.path.join(HERE, "perftrack.toml"),
                                "--project", "e2e-config", "--testbed", "t", "--branch", "main",
                                "--commit", "e2e0002", "--commit-time", "2026-01-02T00:00:00Z",
                                env={"ML_SUITE_ARGS": narrow})
        self.assertEqual(run.returncode, 0, run.stderr[-3000:])
        report = self.db.perftrack("report", "--format", "json", "--project", "e2e-config",
                                   "--testbed", "t")
        series = {(s["benchmark"], s["metric"]) for s in json.loads(report.stdout)["series"]}
        self.assertIn(("inference", "latency"), series)
        self.assertIn(("inference", "p95_latency"), series)
        self.assertIn(("ml_frameworks", "wall_time"), series)  # the suite command itself
        self.assertIn(("ml_frameworks", "peak_memory"), series)


if __name__ == "__main__":
    unittest.main()
