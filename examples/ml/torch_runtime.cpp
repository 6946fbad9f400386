#include "examples/ml/torch_runtime.hpp"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <torch/version.h>

namespace perftrack::examples::ml {

namespace {

// OpenBLAS is a dependency of libtorch_cpu, not of this program, so its setter is looked up at
// run time; a torch built against another BLAS simply lacks the symbol.
bool set_openblas_threads(int threads) {
    using SetThreads = void (*)(int);
    void* symbol = ::dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    if (symbol == nullptr) return false;
    reinterpret_cast<SetThreads>(symbol)(threads);
    return true;
}

}  // namespace

TorchRuntime configure_torch(int threads) {
    TorchRuntime runtime;
    runtime.torch_version = TORCH_VERSION;
    runtime.threads = threads;
    at::set_num_interop_threads(threads);
    at::set_num_threads(threads);
    runtime.openblas_threads_set = set_openblas_threads(threads);
    runtime.denormals_flushed = at::globalContext().setFlushDenormal(true);
    return runtime;
}

}  // namespace perftrack::examples::ml
