#pragma once
// Storing runs through a perftrack server, with the same promise as store_or_spool.hpp: each run
// is one request (idempotent by its run key, so a retry after a lost response stores it once);
// when the server cannot be reached or cannot serve after the retries, every run not yet stored
// goes to the spool and the command exits 3; `perftrack push --server` uploads the spool later.

#include <optional>
#include <vector>

#include "cli/common_options.hpp"
#include "client/api_calls.hpp"
#include "client/server_target.hpp"
#include "store/store.hpp"

namespace perftrack::cli {

// Returns the exit code: 0 when every run was stored (or already was), 3 when some were
// spooled, else the refusal's code (2 bad input, 5 token) after printing the server's message.
// Prints one line per run unless quiet, worded as store_runs_or_spool words it.
int upload_runs_or_spool(const CommonOptions& options, const client::ApiClient& api,
                         const std::vector<store::RunToStore>& runs);

// The server when there is one, else the database.
int store_or_upload(const CommonOptions& options, const std::optional<client::ServerTarget>& server,
                    const std::vector<store::RunToStore>& runs);

// `perftrack push --server`: uploads the spool oldest first; a file is removed only after the
// server stored it (or had it already). Stops at the first unreachable moment (exit 3, the rest
// stay spooled); a run the server refuses stays in the spool and makes the exit code 2.
int push_to_server(const CommonOptions& options, const client::ApiClient& api);

}  // namespace perftrack::cli
