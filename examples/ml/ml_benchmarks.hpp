#pragma once
// The benchmarks of the ML-framework example suite, registered with Google Benchmark under names
// whose `key:value` segments perftrack's gbench adapter turns into params:
//
//   train_step/framework:pytorch/mode:{eager,torchscript}/model:{mlp,cnn}/batch_size:{1,8,32,64}
//     one training step (forward, cross-entropy loss, backward, SGD step) per iteration;
//     counters: items_per_second (samples/s), peak_memory (bytes)
//   inference/framework:pytorch/mode:{eager,torchscript}/model:{mlp,cnn}/batch_size:{1,8,32,64}
//     one forward pass of a batch per iteration (no autograd); the TorchScript module is saved
//     and loaded back as a deployment would load it;
//     counters: items_per_second, latency_p50/p95/p99 (ns per call in this run), peak_memory;
//     statistics over repetitions: mean, median, stddev, cv, p50, p95, p99
//   torchscript_compile/framework:pytorch/model:{mlp,cnn}/via:{define,load}
//     the one-off cost of getting a TorchScript module to full speed: Module::define (or
//     torch::jit::load of saved bytes) plus the profiling executor's warm-up calls;
//     counter: compile_time (ns)
//
// items_per_second is samples (not batches) per second of wall-clock time, so it does not
// depend on how many threads torch uses; real_time is the mean wall time of one iteration.

namespace perftrack::examples::ml {

// Whether /proc/self/clear_refs lets each benchmark measure its own peak: when false the
// peak_memory counter is left out rather than reporting the process's lifetime peak.
void register_benchmarks(bool peak_memory_per_benchmark);

}  // namespace perftrack::examples::ml
