"""JAX: framework_cases (its parameters are the canonical arrays as they are)."""

import unittest

from mlsuite import jax_impl
from tests.framework_cases import FrameworkCases


class Jax(FrameworkCases, unittest.TestCase):
    impl = jax_impl


if __name__ == "__main__":
    unittest.main()
