#include "examples/ml/models.hpp"

#include <algorithm>
#include <sstream>

#include <torch/csrc/jit/runtime/graph_executor.h>

namespace perftrack::examples::ml {

namespace {

constexpr std::int64_t k_pixels = k_image_side * k_image_side;

class Mlp : public Model {
  public:
    Mlp()
        : m_fc1(register_module("fc1", torch::nn::Linear(k_pixels, 512))),
          m_fc2(register_module("fc2", torch::nn::Linear(512, 256))),
          m_fc3(register_module("fc3", torch::nn::Linear(256, k_classes))) {}

    ModelKind kind() const override { return ModelKind::mlp; }

    torch::Tensor forward(const torch::Tensor& input) override {
        auto x = torch::relu(m_fc1->forward(input));
        x = torch::relu(m_fc2->forward(x));
        return m_fc3->forward(x);
    }

    std::string torchscript_source() const override {
        return R"(
def forward(self, x):
    x = torch.relu(torch.linear(x, self.fc1_weight, self.fc1_bias))
    x = torch.relu(torch.linear(x, self.fc2_weight, self.fc2_bias))
    return torch.linear(x, self.fc3_weight, self.fc3_bias)
)";
    }

  private:
    torch::nn::Linear m_fc1, m_fc2, m_fc3;
};

class Cnn : public Model {
  public:
    // Two 2x2 poolings take 28x28 to 7x7.
    static constexpr std::int64_t k_flat = 32 * 7 * 7;

    Cnn()
        : m_conv1(register_module(
              "conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 16, 3).padding(1)))),
          m_conv2(register_module(
              "conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(16, 32, 3).padding(1)))),
          m_fc(register_module("fc", torch::nn::Linear(k_flat, k_classes))) {}

    ModelKind kind() const override { return ModelKind::cnn; }

    torch::Tensor forward(const torch::Tensor& input) override {
        auto x = torch::max_pool2d(torch::relu(m_conv1->forward(input)), 2);
        x = torch::max_pool2d(torch::relu(m_conv2->forward(x)), 2);
        return m_fc->forward(torch::flatten(x, 1));
    }

    std::string torchscript_source() const override {
        return R"(
def forward(self, x):
    x = torch.max_pool2d(torch.relu(torch.conv2d(x, self.conv1_weight, self.conv1_bias, [1, 1], [1, 1])), [2, 2])
    x = torch.max_pool2d(torch.relu(torch.conv2d(x, self.conv2_weight, self.conv2_bias, [1, 1], [1, 1])), [2, 2])
    return torch.linear(torch.flatten(x, 1), self.fc_weight, self.fc_bias)
)";
    }

  private:
    torch::nn::Conv2d m_conv1, m_conv2;
    torch::nn::Linear m_fc;
};

}  // namespace

std::string_view model_name(ModelKind kind) {
    switch (kind) {
        case ModelKind::mlp:
            return "mlp";
        case ModelKind::cnn:
            return "cnn";
    }
    return "unknown";
}

std::shared_ptr<Model> make_model(ModelKind kind) {
    if (kind == ModelKind::cnn) return std::make_shared<Cnn>();
    return std::make_shared<Mlp>();
}

Batch synthetic_batch(ModelKind kind, std::int64_t batch_size) {
    Batch batch;
    batch.inputs = kind == ModelKind::cnn
                       ? torch::randn({batch_size, 1, k_image_side, k_image_side})
                       : torch::randn({batch_size, k_pixels});
    batch.labels = torch::randint(k_classes, {batch_size}, torch::kLong);
    return batch;
}

torch::jit::Module compile_torchscript(Model& model) {
    torch::jit::Module module(std::string(model_name(model.kind())));
    for (const auto& item : model.named_parameters()) {
        std::string name = item.key();
        std::replace(name.begin(), name.end(), '.', '_');
        module.register_parameter(name, item.value(), /*is_buffer=*/false);
    }
    module.define(model.torchscript_source());
    return module;
}

std::string save_torchscript(const torch::jit::Module& module) {
    std::ostringstream out;
    module.save(out);
    return std::move(out).str();
}

torch::jit::Module load_torchscript(const std::string& bytes) {
    std::istringstream in(bytes);
    return torch::jit::load(in);
}

std::size_t torchscript_warmup_calls() {
    return torch::jit::getNumProfiledRuns().load() + 1;
}

}  // namespace perftrack::examples::ml
