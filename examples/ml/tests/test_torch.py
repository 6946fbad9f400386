"""PyTorch: framework_cases, the weight layout round trip, and the ONNX export."""

import os
import tempfile
import unittest

import numpy as np

from mlsuite import common, torch_impl
from tests.framework_cases import FrameworkCases


class Torch(FrameworkCases, unittest.TestCase):
    impl = torch_impl

    def test_weights_read_back_in_the_canonical_layout_unchanged(self):
        for model in common.MODELS:
            workload = self.workload(model)
            back = torch_impl.canonical_params(torch_impl.build(workload), workload)
            for name, value in workload.params.items():
                np.testing.assert_array_equal(back[name], value, err_msg=f"{model} {name}")

    def test_onnx_export_writes_a_model_file(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "mlp-1.onnx")
            torch_impl.export_onnx(self.workload("mlp"), 1, path)
            self.assertGreater(os.path.getsize(path), 1000)
            self.assertEqual(os.listdir(d), ["mlp-1.onnx"])  # no temporary left behind


if __name__ == "__main__":
    unittest.main()
