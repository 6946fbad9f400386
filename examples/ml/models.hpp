#pragma once
// The two models the suite measures, written once with the PyTorch C++ API (eager mode) and
// turned into TorchScript from the same weights, so eager and TorchScript compute the same
// function and their times compare like for like. torch_bench.py builds the same models in
// Python; keep the layer sizes in step with it.
//
//   mlp: 784 -> 512 -> 256 -> 10, ReLU            (an MNIST-sized fully connected network)
//   cnn: conv 1->16 3x3 pad 1, ReLU, max-pool 2
//        conv 16->32 3x3 pad 1, ReLU, max-pool 2, linear 32*7*7 -> 10   (a small LeNet-like CNN)
// Inputs are 28x28 single-channel images (flattened for the MLP), 10 classes.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <torch/script.h>
#include <torch/torch.h>

namespace perftrack::examples::ml {

enum class ModelKind { mlp, cnn };

inline constexpr std::int64_t k_classes = 10;
inline constexpr std::int64_t k_image_side = 28;

std::string_view model_name(ModelKind kind);

// An eager model: a torch::nn::Module with a forward the benchmarks can call without knowing
// which model it is.
class Model : public torch::nn::Module {
  public:
    virtual ModelKind kind() const = 0;
    virtual torch::Tensor forward(const torch::Tensor& input) = 0;
    // The same forward in TorchScript, over parameters named as named_parameters() with '.'
    // replaced by '_' (TorchScript attribute names cannot contain dots).
    virtual std::string torchscript_source() const = 0;
};

// A freshly initialised model (torch's default initialisation, so seed torch first for
// repeatable weights).
std::shared_ptr<Model> make_model(ModelKind kind);

// A batch of synthetic data: inputs drawn from N(0, 1) in the model's input shape, labels
// uniform over the classes. Drawn from torch's global generator (seed it first).
struct Batch {
    torch::Tensor inputs;
    torch::Tensor labels;
};
Batch synthetic_batch(ModelKind kind, std::int64_t batch_size);

// TorchScript compiled in-process (Module::define) over the model's parameters. The tensors are
// shared with the eager model, not copied.
torch::jit::Module compile_torchscript(Model& model);

// How a deployed model arrives: saved to bytes, then loaded with torch::jit::load.
std::string save_torchscript(const torch::jit::Module& module);
torch::jit::Module load_torchscript(const std::string& bytes);

// The number of calls after which TorchScript's profiling executor runs the optimised graph:
// the profiled runs, then the run that optimises. Until then calls are one-off costs.
std::size_t torchscript_warmup_calls();

}  // namespace perftrack::examples::ml
