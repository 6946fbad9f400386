#pragma once
// From result texts to the runs to store, shared by `perftrack ingest` (files) and the API's
// upload (a request body), so both parse as strictly, group parts of one run the same way and
// derive the same idempotency keys. No I/O: the caller reads the texts and stores the runs.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/model.hpp"
#include "formats/adapter.hpp"
#include "runner/run_assembly.hpp"
#include "store/store.hpp"

namespace perftrack::runner {

// What parsing one input said besides its results, each prefixed "SOURCE: ".
struct ParseMessages {
    std::vector<std::string> warnings;
    std::vector<std::string> notes;
};

// How a run gets its key when neither --run-id, a run group nor CI variables give one.
enum class KeyWhenNone {
    random,   // the CLI: two ingests of one file on purpose are two runs only with --run-id
    content,  // the API: a retried upload (the client never saw the answer) is the same run
};

class IngestAssembly {
  public:
    IngestAssembly(std::string format, formats::AdapterOptions options, core::RunContext flags,
                   ResolveEnvironment env);

    // Parses and resolves one input; inputs of the same project, testbed, branch, commit and
    // run key become parts of one run. Errors (nothing kept from this input): the format's
    // parse error, a missing project/branch/commit, a bad commit time (prefixed with the
    // source), a series that two inputs of one run both contain.
    core::Result<ParseMessages> add(std::string_view source, std::string_view text);

    // The runs, keys assigned (runner::finish_run), in the order their first input came.
    std::vector<store::RunToStore> finish(KeyWhenNone keys = KeyWhenNone::random) &&;

  private:
    std::string m_format;
    formats::AdapterOptions m_options;
    core::RunContext m_flags;
    ResolveEnvironment m_env;
    std::vector<store::RunToStore> m_runs;
    std::vector<std::string> m_sources;
};

}  // namespace perftrack::runner
