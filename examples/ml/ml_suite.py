#!/usr/bin/env python3
"""perftrack's ML framework suite: the same MLP, CNN and transformer block, with the same
initial weights, trained and run for inference in PyTorch (eager, torch.compile, TorchScript,
ONNX Runtime), TensorFlow (eager, tf.function, XLA, TensorFlow Lite) and JAX (jit), every
configuration in a fresh process. Writes JSON records for perftrack's `records` adapter.

  build/ml-venv/bin/python examples/ml/ml_suite.py --out results.json   (--help for options)

The package beside this file (mlsuite/) holds the driver, the worker and one module per
framework; examples/ml/README.md explains what is measured.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        from mlsuite import worker

        sys.exit(worker.main(sys.argv[2]))
    from mlsuite import driver

    sys.exit(driver.main(sys.argv[1:]))
