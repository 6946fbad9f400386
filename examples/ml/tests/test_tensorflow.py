"""TensorFlow: framework_cases and the weight layout round trip."""

import unittest

import numpy as np

from mlsuite import common, tf_impl
from tests.framework_cases import FrameworkCases


class TensorFlow(FrameworkCases, unittest.TestCase):
    impl = tf_impl

    def test_weights_read_back_in_the_canonical_layout_unchanged(self):
        for model in common.MODELS:
            workload = self.workload(model)
            back = tf_impl.canonical_params(tf_impl.build(workload, 2), workload)
            for name, value in workload.params.items():
                np.testing.assert_array_equal(back[name], value, err_msg=f"{model} {name}")


if __name__ == "__main__":
    unittest.main()
