"""Checks every framework module must pass, run once per framework in its own process
(test_torch.py, test_tensorflow.py, test_jax.py: frameworks are never imported together):
the eager model is the NumPy reference model, the weights load and read back without loss, and
the equivalence check notices a model that is slightly wrong."""

import tempfile

import numpy as np

from mlsuite import common


class FrameworkCases:
    impl = None  # the framework module, set by the test module
    batch = 3

    @classmethod
    def setUpClass(cls):
        cls.widths = common.Widths(1.0)
        cls.dir = tempfile.TemporaryDirectory()
        cls.path = common.weights_file(cls.dir.name, 5, cls.widths)
        cls.impl.configure(1)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def workload(self, model):
        return common.Workload(self.path, model, self.widths)

    def eager_logits(self, workload):
        run = self.impl.Infer("eager", workload, self.batch)
        return run.to_numpy(run.predict())

    def test_eager_logits_are_the_numpy_reference(self):
        for model in common.MODELS:
            workload = self.workload(model)
            expected = common.reference_logits(workload, workload.batch(self.batch)[0])
            self.assertIsNone(common.compare_logits(self.eager_logits(workload), expected,
                                                    model))

    def test_the_check_notices_two_swapped_weights(self):
        # A layout mistake in small: two output columns of the last kernel exchanged (two
        # classes in the wrong order), everything else the same.
        last = {"mlp": "fc3.kernel", "cnn": "fc.kernel", "transformer": "classifier.kernel"}
        order = [1, 0] + list(range(2, common.CLASSES))
        for model, name in last.items():
            workload = self.workload(model)
            expected = common.reference_logits(workload, workload.batch(self.batch)[0])
            workload.params[name] = np.ascontiguousarray(workload.params[name][:, order])
            self.assertIsNotNone(common.compare_logits(self.eager_logits(workload), expected,
                                                       model), model)

    def test_first_training_step_loss_is_the_numpy_loss(self):
        for model in common.MODELS:
            workload = self.workload(model)
            x, y = workload.batch(self.batch)
            expected = common.reference_loss(common.reference_logits(workload, x), y)
            run = self.impl.Train(self.impl.TRAIN_MODES[0], workload, self.batch)
            run.prepare()
            self.assertIsNone(common.compare_loss(run.step(), expected, model))
            after = run.canonical_params()
            self.assertEqual(sorted(after), sorted(workload.params))
            moved = sum(float(np.abs(after[k] - workload.params[k]).sum()) for k in after)
            self.assertGreater(moved, 0, f"{model}: the step changed no weight")

    def test_reference_holds_what_the_driver_compares(self):
        workload = self.workload("mlp")
        arrays = common.eager_reference(self.impl, workload, [2], [1])
        self.assertEqual(arrays["infer/1/logits"].shape, (1, common.CLASSES))
        self.assertTrue(np.isfinite(float(arrays["train/2/loss"])))
        for name, value in workload.params.items():
            self.assertEqual(arrays[f"train/2/update/{name}"].shape, value.shape)
