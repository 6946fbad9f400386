"""Tracked per commit: examples/ml/track_commits.sh runs the suite at synthetic commits into a
fresh database; the last two make the models wider. `perftrack check` must flag the slowdown of
torch.compile at batch 32 with an interval, throughput as higher-is-better and memory as
lower-is-better. Takes a few minutes (one cold torch.compile per commit)."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPILED = {"batch_size": 32, "framework": "pytorch", "mode": "torch.compile", "model": "mlp"}


class TrackCommits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.mkdtemp(prefix="ml-track-")
        cls.result = subprocess.run(["bash", os.path.join(HERE, "track_commits.sh"), cls.out],
                                    capture_output=True, text=True)
        cls.check = None
        path = os.path.join(cls.out, "check.json")
        if os.path.exists(path):
            with open(path) as f:
                cls.check = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out, ignore_errors=True)

    def verdict(self, benchmark, params, metric):
        for r in self.check["results"]:
            if (r["benchmark"], r["params"], r["metric"]) == (benchmark, params, metric):
                return r
        self.fail(f"no verdict for {benchmark} {params} {metric}")

    def test_the_script_says_check_flagged_it(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr[-3000:])
        self.assertIn("regression", self.result.stdout)

    def test_torch_compile_at_batch_32_is_a_regression_with_its_interval(self):
        self.assertIsNotNone(self.check, self.result.stderr[-3000:])
        step = self.verdict("train_step", COMPILED, "step_time")
        self.assertEqual(step["status"], "regression", step)
        self.assertEqual((step["unit"], step["direction"]), ("ns", "lower"))
        low, high = step["ci"]
        self.assertGreater(low, 0, step)  # slower, and the whole interval says so
        self.assertLessEqual(low, step["change"])
        self.assertLessEqual(step["change"], high)
        self.assertLessEqual(step["q_value"], 0.01)

    def test_throughput_is_higher_is_better_and_fell(self):
        throughput = self.verdict("train_step", COMPILED, "throughput")
        self.assertEqual(throughput["direction"], "higher")
        self.assertLess(throughput["change"], 0)
        self.assertEqual(throughput["status"], "regression", throughput)

    def test_memory_is_lower_is_better(self):
        memory = self.verdict("train_step", COMPILED, "peak_memory")
        self.assertEqual((memory["direction"], memory["unit"]), ("lower", "B"))
        # Twice the width is about four times the weights: more memory, never an improvement.
        self.assertGreater(memory["change"], 0, memory)
        self.assertNotEqual(memory["status"], "improvement")

    def test_the_report_draws_the_history(self):
        self.assertGreater(os.path.getsize(os.path.join(self.out, "report.html")), 10000)


if __name__ == "__main__":
    unittest.main()
