"""ONNX Runtime running the PyTorch model exported to ONNX (torch_impl.export_onnx, done by the
driver's PyTorch reference process, so this process imports ONNX Runtime only). Reported as
framework "pytorch", mode "onnxruntime": a way to deploy the PyTorch model, checked against
PyTorch's eager output."""

import numpy as np
import onnxruntime

FRAMEWORK = "pytorch"
TRAIN_MODES = ()
INFER_MODES = ("onnxruntime",)


def configure(threads):
    return {"onnxruntime_intra_op_threads": threads, "onnxruntime_inter_op_threads": 1}


class Infer:
    def __init__(self, mode, workload, batch_size, threads=1, model_path=None):
        x, _ = workload.batch(batch_size)
        self.x = np.ascontiguousarray(x.transpose(0, 3, 1, 2) if workload.model == "cnn" else x)
        self.threads = threads
        self.model_path = model_path
        self.session = None
        self.warmup_calls = 0

    def prepare(self):
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        # The default level (all graph optimisations), as a deployment gets it.
        self.session = onnxruntime.InferenceSession(self.model_path, options,
                                                    providers=["CPUExecutionProvider"])

    def predict(self):
        return self.session.run(None, {"x": self.x})[0]

    @staticmethod
    def to_numpy(out):
        return np.asarray(out)
