"""TensorFlow 2 with Keras 3 (what `tf.keras` is since TensorFlow 2.16): the models as Keras
models loaded from the canonical weights; training with a GradientTape step in eager mode, as
a tf.function and as a tf.function(jit_compile=True) (XLA); inference in the same three modes
and as a TensorFlow Lite model converted from the tf.function."""

import numpy as np
import tensorflow as tf
import keras

from . import common

FRAMEWORK = "tensorflow"
TRAIN_MODES = ("eager", "tf.function", "xla")
INFER_MODES = ("eager", "tf.function", "xla", "tflite")
_CPU = "CPU:0"


def configure(threads):
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    return {"tf_intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads(),
            "tf_inter_op_threads": tf.config.threading.get_inter_op_parallelism_threads()}


class SelfAttention(keras.layers.Layer):
    """Multi-head self-attention written out (as common.reference_logits does), so its weights
    map one to one onto the other frameworks' query/key/value/output projections."""

    def __init__(self, widths, **kwargs):
        super().__init__(**kwargs)
        d = widths.model_dim
        self.query = keras.layers.Dense(d, name="query")
        self.key = keras.layers.Dense(d, name="key")
        self.value = keras.layers.Dense(d, name="value")
        self.attention_out = keras.layers.Dense(d, name="attention_out")
        self.head_dim = d // common.HEADS

    def call(self, x):
        shape = tf.shape(x)
        b, s = shape[0], shape[1]

        def heads(t):
            return tf.transpose(tf.reshape(t, [b, s, common.HEADS, self.head_dim]), [0, 2, 1, 3])

        q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
        scores = tf.matmul(q, k, transpose_b=True) / tf.sqrt(float(self.head_dim))
        attention = tf.matmul(tf.nn.softmax(scores, axis=-1), v)
        return self.attention_out(tf.reshape(tf.transpose(attention, [0, 2, 1, 3]), shape))


def _transformer(widths):
    """Post-norm encoder block, mean-pooled, linear classifier (common.reference_logits), as a
    functional model: it knows its input shape, which the TensorFlow Lite converter needs."""
    layers = keras.layers
    d = widths.model_dim
    x = keras.Input(shape=(common.SEQUENCE, d))
    h = layers.LayerNormalization(epsilon=common.LAYER_NORM_EPSILON, name="norm1")(
        layers.Add()([x, SelfAttention(widths, name="attention")(x)]))
    f = layers.Dense(widths.ff_dim, name="ff1")(h)
    f = layers.Dense(d, name="ff2")(layers.Activation(_exact_gelu)(f))
    h = layers.LayerNormalization(epsilon=common.LAYER_NORM_EPSILON, name="norm2")(
        layers.Add()([h, f]))
    logits = layers.Dense(common.CLASSES, name="classifier")(layers.GlobalAveragePooling1D()(h))
    return keras.Model(x, logits, name="transformer")


def _exact_gelu(t):
    return tf.nn.gelu(t, approximate=False)


def _model(workload):
    layers = keras.layers
    if workload.model == "mlp":
        h1, h2 = workload.widths.mlp_hidden
        return keras.Sequential([layers.Dense(h1, activation="relu", name="fc1"),
                                 layers.Dense(h2, activation="relu", name="fc2"),
                                 layers.Dense(common.CLASSES, name="fc3")])
    if workload.model == "cnn":
        c1, c2 = workload.widths.cnn_channels
        # NHWC, and Flatten takes (height, width, channel) order: the canonical layout as is.
        return keras.Sequential([
            layers.Conv2D(c1, 3, padding="same", activation="relu", name="conv1"),
            layers.MaxPooling2D(2),
            layers.Conv2D(c2, 3, padding="same", activation="relu", name="conv2"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(common.CLASSES, name="fc")])
    return _transformer(workload.widths)


def _variables(net, workload):
    """Canonical name -> the Keras variable holding it."""
    out = {}
    for name in workload.params:
        layer_name, kind = name.rsplit(".", 1)
        if layer_name in ("query", "key", "value", "attention_out"):
            layer = getattr(net.get_layer("attention"), layer_name)
        else:
            layer = net.get_layer(layer_name)
        out[name] = getattr(layer, kind)
    return out


def build(workload, batch_size):
    net = _model(workload)
    x, _ = workload.batch(batch_size)
    net(tf.constant(x))  # creates the variables
    for name, variable in _variables(net, workload).items():
        variable.assign(workload.params[name])
    return net


def canonical_params(net, workload):
    return {n: np.array(v.numpy()) for n, v in _variables(net, workload).items()}


class Train:
    def __init__(self, mode, workload, batch_size):
        self.workload = workload
        self.net = build(workload, batch_size)
        x, y = workload.batch(batch_size)
        self.x, self.y = tf.constant(x), tf.constant(y)
        self.optimizer = keras.optimizers.SGD(learning_rate=common.LEARNING_RATE,
                                              momentum=common.MOMENTUM)
        # Slots are created eagerly: a tf.function may create variables only while tracing,
        # and XLA-compiled code not at all.
        self.optimizer.build(self.net.trainable_variables)
        self.loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        self.mode = mode
        self.step_fn = self._step

    def _step(self, x, y):
        with tf.GradientTape() as tape:
            loss = self.loss_fn(y, self.net(x, training=True))
        variables = self.net.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    def prepare(self):
        if self.mode != "eager":
            self.step_fn = tf.function(self._step, jit_compile=self.mode == "xla")

    def step(self):
        return float(self.step_fn(self.x, self.y).numpy())

    def canonical_params(self):
        return canonical_params(self.net, self.workload)


class Infer:
    def __init__(self, mode, workload, batch_size, threads=1, model_path=None):
        self.net = build(workload, batch_size)
        x, _ = workload.batch(batch_size)
        self.x = tf.constant(x)
        self.mode = mode
        self.threads = threads
        self.forward = lambda: self.net(self.x, training=False)
        self.warmup_calls = 0

    def prepare(self):
        if self.mode in ("tf.function", "xla"):
            fn = tf.function(lambda x: self.net(x, training=False),
                             jit_compile=self.mode == "xla")
            self.forward = lambda: fn(self.x)
        elif self.mode == "tflite":
            # from_keras_model, not from_concrete_functions of a tf.function: with Keras 3
            # variables the latter keeps them as resource variables (READ_VARIABLE ops) that
            # the interpreter reads as garbage (-inf logits with XNNPACK, an error without).
            converter = tf.lite.TFLiteConverter.from_keras_model(self.net)
            interpreter = tf.lite.Interpreter(model_content=converter.convert(),
                                              num_threads=self.threads)
            x_index = interpreter.get_input_details()[0]["index"]
            if list(interpreter.get_input_details()[0]["shape"]) != list(self.x.shape):
                interpreter.resize_tensor_input(x_index, self.x.shape)
            interpreter.allocate_tensors()
            y_index = interpreter.get_output_details()[0]["index"]
            x = self.x.numpy()

            def forward():
                interpreter.set_tensor(x_index, x)
                interpreter.invoke()
                return interpreter.get_tensor(y_index)

            self.forward = forward

    def predict(self):
        return self.forward()

    @staticmethod
    def to_numpy(out):
        return np.asarray(out)


def reset_allocator_peak():
    tf.config.experimental.reset_memory_stats(_CPU)


def allocator_peak_bytes():
    """TensorFlow's own CPU allocator peak since reset_allocator_peak(). With oneDNN (the
    default on x86) that allocator keeps statistics only for its BFC pool of large buffers;
    smaller allocations are not counted."""
    return tf.config.experimental.get_memory_info(_CPU)["peak"]
