// A child for the process-control tests: does exactly what its arguments say, so resource
// accounting can be checked against known amounts.
//   rusage_probe alloc MiB       touch MiB of fresh memory (peak RSS grows by about that much)
//   rusage_probe spin MS         burn MS milliseconds of CPU time in user mode (CPU time, not
//                                wall time, so a loaded machine does not change the amount)
//   rusage_probe sleep MS        sleep (wall time without CPU time)
//   rusage_probe exit N          exit with status N
//   rusage_probe out TEXT        print TEXT to stdout and "err:" TEXT to stderr
//   rusage_probe spawn-sleeper   start a grandchild that sleeps 60 s, then sleep 60 s
//   rusage_probe fds             print the descriptors open in this process, one per line
// Several commands run in order: rusage_probe out a exit 3
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <dirent.h>
#include <time.h>
#include <unistd.h>

namespace {
double cpu_seconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}
}  // namespace

int main(int argc, char** argv) {
    int i = 1;
    while (i < argc) {
        const std::string what = argv[i];
        if (what == "fds") {
            DIR* dir = ::opendir("/proc/self/fd");
            if (dir == nullptr) return 2;
            while (const dirent* entry = ::readdir(dir)) {
                if (entry->d_name[0] == '.') continue;
                if (std::atoi(entry->d_name) == ::dirfd(dir)) continue;  // the listing itself
                std::printf("%s\n", entry->d_name);
            }
            ::closedir(dir);
            ++i;
            continue;
        }
        if (what == "spawn-sleeper") {
            if (::fork() == 0) {
                ::sleep(60);
                return 0;
            }
            ::sleep(60);
            return 0;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "rusage_probe: %s needs an argument\n", what.c_str());
            return 2;
        }
        const std::string arg = argv[i + 1];
        i += 2;
        if (what == "alloc") {
            const std::size_t bytes = std::stoul(arg) * 1024 * 1024;
            std::vector<char> block(bytes);
            for (std::size_t b = 0; b < bytes; b += 4096) block[b] = 1;
            volatile char sink = block[bytes / 2];
            (void)sink;
        } else if (what == "spin") {
            const double until = cpu_seconds() + std::stoi(arg) / 1000.0;
            volatile unsigned long x = 0;
            while (cpu_seconds() < until)
                for (int k = 0; k < 10000; ++k) x = x + 1;
        } else if (what == "sleep") {
            std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(arg)));
        } else if (what == "exit") {
            return std::stoi(arg);
        } else if (what == "out") {
            std::printf("%s\n", arg.c_str());
            std::fflush(stdout);
            std::fprintf(stderr, "err:%s\n", arg.c_str());
        } else {
            std::fprintf(stderr, "rusage_probe: unknown command %s\n", what.c_str());
            return 2;
        }
    }
    return 0;
}
