#pragma once
// Makes LibTorch's timings repeatable: a fixed number of threads for torch's intra-op pool,
// its inter-op pool and OpenBLAS (which keeps its own pool, sized to every core by default),
// and denormal floats flushed to zero (a training loop that converges drives gradients toward
// denormals, which x86 handles on a slow path, so step times would drift run by run).

#include <string>

namespace perftrack::examples::ml {

struct TorchRuntime {
    std::string torch_version;
    int threads = 0;
    bool openblas_threads_set = false;  // false: torch does not use OpenBLAS here
    bool denormals_flushed = false;     // false: the CPU cannot flush denormals
};

// Call once, before any tensor work (the inter-op pool can be sized only before it starts).
TorchRuntime configure_torch(int threads);

}  // namespace perftrack::examples::ml
