"""The framework-independent parts of the suite: weights and data, the NumPy reference model,
the comparisons (and that they catch a wrong model), statistics, timing and memory.

Run from examples/ml: build/ml-venv/bin/python -m unittest tests.test_common (ci/test_ml.sh).
"""

import math
import os
import tempfile
import unittest

import numpy as np

from mlsuite import common


class Weights(unittest.TestCase):
    def test_one_seed_gives_the_same_weights_and_data(self):
        widths = common.Widths(1.0)
        a, b = common.generate(7, widths), common.generate(7, widths)
        self.assertEqual(sorted(a), sorted(b))
        for key in a:
            np.testing.assert_array_equal(a[key], b[key], err_msg=key)
        other = common.generate(8, widths)
        self.assertFalse(np.array_equal(a["mlp/fc1.kernel"], other["mlp/fc1.kernel"]))

    def test_shapes_dtypes_and_initialisation_bounds(self):
        widths = common.Widths(1.0)
        arrays = common.generate(1, widths)
        for model in common.MODELS:
            for name, shape in common.param_shapes(model, widths).items():
                value = arrays[f"{model}/{name}"]
                self.assertEqual(value.shape, shape, name)
                self.assertEqual(value.dtype, np.float32, name)
            self.assertEqual(arrays[f"{model}/x"].shape,
                             common.input_shape(model, widths, common.DATA_ROWS))
            labels = arrays[f"{model}/y"]
            self.assertTrue(labels.min() >= 0 and labels.max() < common.CLASSES)
        kernel = arrays["mlp/fc1.kernel"]
        bound = 1 / math.sqrt(kernel.shape[0])
        self.assertLessEqual(np.abs(kernel).max(), bound)
        self.assertGreater(np.abs(kernel).max(), 0.9 * bound)  # uniform, not all tiny
        np.testing.assert_array_equal(arrays["transformer/norm1.gamma"], 1)

    def test_width_scale_changes_every_model_and_keeps_whole_heads(self):
        wide = common.Widths(1.5)
        self.assertEqual(wide.mlp_hidden, (768, 384))
        self.assertEqual(wide.cnn_channels, (24, 48))
        self.assertEqual(wide.model_dim % common.HEADS, 0)
        self.assertGreater(wide.model_dim, common.Widths(1.0).model_dim)

    def test_the_weights_file_is_written_once_per_setting(self):
        with tempfile.TemporaryDirectory() as d:
            first = common.weights_file(d, 3, common.Widths(1.0))
            stamp = os.stat(first).st_mtime_ns
            self.assertEqual(common.weights_file(d, 3, common.Widths(1.0)), first)
            self.assertEqual(os.stat(first).st_mtime_ns, stamp)
            self.assertNotEqual(common.weights_file(d, 4, common.Widths(1.0)), first)
            self.assertNotEqual(common.weights_file(d, 3, common.Widths(2.0)), first)
            workload = common.Workload(first, "cnn", common.Widths(1.0))
            x, y = workload.batch(5)
            self.assertEqual(x.shape, (5, 28, 28, 1))
            self.assertEqual(y.shape, (5,))


class ReferenceModel(unittest.TestCase):
    def setUp(self):
        self.widths = common.Widths(1.0)
        self.dir = tempfile.TemporaryDirectory()
        self.path = common.weights_file(self.dir.name, 11, self.widths)

    def tearDown(self):
        self.dir.cleanup()

    def test_convolution_and_pooling_by_hand(self):
        x = np.arange(2 * 4 * 4 * 1, dtype=np.float64).reshape(2, 4, 4, 1)
        kernel = np.zeros((3, 3, 1, 1))
        kernel[1, 1, 0, 0] = 1  # identity
        np.testing.assert_array_equal(common._conv3x3_same(x, kernel), x)
        kernel = np.ones((3, 3, 1, 1))  # sum of the 3x3 neighbourhood, zero padded
        out = common._conv3x3_same(x, kernel)
        self.assertEqual(out[0, 0, 0, 0], 0 + 1 + 4 + 5)
        self.assertEqual(out[0, 1, 1, 0], sum([0, 1, 2, 4, 5, 6, 8, 9, 10]))
        pooled = common._max_pool2(x)
        self.assertEqual(pooled.shape, (2, 2, 2, 1))
        self.assertEqual(pooled[0, 0, 0, 0], 5)
        self.assertEqual(pooled[1, 1, 1, 0], 31)

    def test_loss_is_mean_cross_entropy(self):
        logits = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
        y = np.array([0, 2])
        expected = -(math.log(math.exp(2) / (math.exp(2) + 2)) + math.log(1 / 3)) / 2
        self.assertAlmostEqual(common.reference_loss(logits, y), expected, places=12)

    def test_every_model_gives_finite_logits_per_example(self):
        for model in common.MODELS:
            workload = common.Workload(self.path, model, self.widths)
            x, _ = workload.batch(3)
            logits = common.reference_logits(workload, x)
            self.assertEqual(logits.shape, (3, common.CLASSES), model)
            self.assertTrue(np.all(np.isfinite(logits)), model)
            # Examples are independent: one row alone gives the same logits.
            np.testing.assert_allclose(common.reference_logits(workload, x[1:2]), logits[1:2],
                                       rtol=1e-12, err_msg=model)


class Comparisons(unittest.TestCase):
    """The tolerances must let float32 rounding through and stop a wrong model."""

    def test_logits_within_rounding_pass(self):
        rng = np.random.default_rng(0)
        expected = rng.standard_normal((4, 10))
        got = (expected * (1 + 1e-6)).astype(np.float32)
        self.assertIsNone(common.compare_logits(got, expected, "x"))

    def test_logits_of_a_wrong_model_fail(self):
        rng = np.random.default_rng(0)
        expected = rng.standard_normal((4, 10))
        got = expected.copy()
        got[2, 3] += 1e-2
        problem = common.compare_logits(got, expected, "torch vs eager")
        self.assertIn("torch vs eager: logits differ by up to 0.01", problem)
        self.assertIn("(at (2, 3)", problem)
        self.assertIn("output shape", common.compare_logits(got[:2], expected, "x"))
        got[0, 0] = np.nan
        self.assertIn("NaN", common.compare_logits(got, expected, "x"))

    def test_loss(self):
        self.assertIsNone(common.compare_loss(2.302585, 2.3025851, "x"))
        self.assertIn("first-step loss", common.compare_loss(2.31, 2.30, "x"))
        self.assertIn("first-step loss", common.compare_loss(float("nan"), 2.30, "x"))

    def test_a_transposed_or_scaled_update_fails(self):
        rng = np.random.default_rng(1)
        expected = {"w": rng.standard_normal((6, 6)) * 1e-4, "b": rng.standard_normal(6) * 1e-4}
        close = {k: v * (1 + 1e-5) for k, v in expected.items()}
        self.assertIsNone(common.compare_update(close, expected, "x"))
        self.assertLess(common.update_error(close, expected), 2e-5)
        transposed = dict(expected, w=expected["w"].T)
        self.assertIn("first SGD update differs", common.compare_update(transposed, expected, "x"))
        halved = {k: v / 2 for k, v in expected.items()}
        self.assertAlmostEqual(common.update_error(halved, expected), 0.5, places=12)
        self.assertIn("parameters", common.compare_update({"w": expected["w"]}, expected, "x"))


class Statistics(unittest.TestCase):
    def test_percentiles_match_numpy_linear_interpolation(self):
        rng = np.random.default_rng(2)
        for n in (1, 2, 7, 100, 1001):
            values = list(rng.exponential(size=n))
            for p in (0, 50, 95, 99, 100):
                self.assertAlmostEqual(common.percentile(values, p),
                                       float(np.percentile(values, p)), places=12)

    def test_measure_runs_the_warmup_then_between_min_and_max_timed_calls(self):
        calls = []
        warmup, times = common.measure(lambda: calls.append(1),
                                       common.Timing(2, 5, 8, min_time=0.0))
        self.assertEqual((len(warmup), len(times), len(calls)), (2, 5, 7))
        # A time budget longer than max_iterations calls stops at max_iterations.
        _, times = common.measure(lambda: None, common.Timing(0, 1, 4, min_time=60.0))
        self.assertEqual(len(times), 4)


class Memory(unittest.TestCase):
    def test_peak_counts_what_was_touched_after_the_baseline(self):
        memory = common.ProcessMemory()
        self.assertGreater(memory.baseline(), 0)
        block = np.ones(64 * 1024 * 1024 // 8)  # 64 MiB, written
        peak = memory.peak_mib()
        del block
        self.assertGreater(peak, 60)
        self.assertLess(peak, 200)
        memory.baseline()
        self.assertLess(memory.peak_mib(), 30)


if __name__ == "__main__":
    unittest.main()
