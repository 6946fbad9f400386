// perftrack serve [--listen ADDR:PORT] [--db URL]: the HTTP API over the same store
// (docs/api.yaml, docs/deploy.md). It keeps nothing that matters in the process, so several
// instances behind a reverse proxy can share one database. SIGTERM or SIGINT: stop accepting,
// finish the requests in flight, exit 0.
#include <csignal>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>
#include <pthread.h>

#include "cli/commands/commands.hpp"
#include "cli/common_options.hpp"
#include "cli/output.hpp"
#include "cli/value_parsers.hpp"
#include "core/exit_code.hpp"
#include "server/api.hpp"
#include "server/http_server.hpp"
#include "store/pg/pg_store.hpp"

namespace perftrack::cli {

namespace {

struct ServeOptions {
    CommonOptions common;  // --db, -q
    std::string listen = "127.0.0.1:8080";
    std::size_t threads = 8;
    std::size_t max_queued = 256;
    std::uint64_t max_body_bytes = 64ull << 20;
    std::size_t max_series = 100'000;
    int read_timeout_s = 10;
    double rate_limit = 50;  // requests per second per token (or per address without one)
    double rate_burst = 200;
};

core::Result<std::pair<std::string, int>> parse_listen(const std::string& text) {
    const auto colon = text.rfind(':');
    const auto bad = [&] {
        return core::fail(core::ErrorKind::usage,
                          fmt::format("--listen {}: expected ADDRESS:PORT", text),
                          "for example --listen 127.0.0.1:8080 (behind a reverse proxy: "
                          "docs/deploy.md)");
    };
    if (colon == std::string::npos || colon == 0) return bad();
    int port = -1;
    try {
        std::size_t used = 0;
        port = std::stoi(text.substr(colon + 1), &used);
        if (used != text.size() - colon - 1) return bad();
    } catch (const std::exception&) {
        return bad();
    }
    if (port < 0 || port > 65535) return bad();
    std::string host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    return std::pair{host, port};
}

CommandResult run_serve(const ServeOptions& o) {
    const auto listen = parse_listen(o.listen);
    if (!listen) return tl::unexpected(listen.error());
    if (o.threads == 0 || o.max_series == 0 || o.read_timeout_s <= 0)
        return core::fail(core::ErrorKind::usage,
                          "--threads, --max-series and --read-timeout must be positive");
    // A stopped database must give 503 at once, not a worker stuck connecting.
    ::setenv("PGCONNECT_TIMEOUT", "3", 0);
    // Connect once now: a wrong --db or an old schema is exit 2/3 before listening.
    const auto target = store::resolve_connection_target(o.common.db);
    const auto conninfo = conninfo_for(target);
    if (!conninfo) return tl::unexpected(conninfo.error());
    store::pg::ConnectOptions connect_options;
    connect_options.migrate = target.embedded;
    auto first = store::pg::connect(*conninfo, connect_options);
    connect_options.migrate = false;
    const std::string info = *conninfo;
    server::StorePool pool(
        [info, connect_options] { return store::pg::connect(info, connect_options); });
    { server::StorePool::Lease lease(pool, std::move(first)); }

    server::RateLimiter limiter(o.rate_limit, o.rate_burst);
    server::ApiOptions api_options;
    api_options.max_series = o.max_series;
    const server::Api api(pool, limiter, api_options);
    server::HttpOptions http;
    http.host = listen->first;
    http.port = listen->second;
    http.threads = o.threads;
    http.max_queued = o.max_queued;
    http.max_body_bytes = o.max_body_bytes;
    http.read_timeout_s = o.read_timeout_s;
    http.access_log = !o.common.quiet;

    // Signals are taken by one thread (sigwait), which stops the server; the workers never see
    // them. Blocked before any thread starts, so every thread inherits the mask.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    server::HttpServer server(api, http);
    int port = 0;
    try {
        port = server.bind();
    } catch (const std::exception& e) {
        return core::fail(core::ErrorKind::usage, e.what(), "choose another --listen port");
    }
    std::thread signal_thread([&] {
        int signal = 0;
        sigwait(&stop_signals, &signal);
        if (signal != 0) server.stop();
    });
    if (!o.common.quiet)
        print_note(fmt::format("serving the API on http://{}:{}/api/v1 ({}; {} workers)",
                               listen->first, port, describe_target(target), o.threads));
    // The tests read the port from stdout when they pass --listen 127.0.0.1:0.
    fmt::print("listening on {}:{}\n", listen->first, port);
    std::fflush(stdout);
    server.serve();
    // Stopped by a signal: the signal thread has returned. Stopped otherwise (never in practice):
    // wake it.
    pthread_kill(signal_thread.native_handle(), SIGTERM);
    signal_thread.join();
    if (!o.common.quiet) print_note("stopped; requests in flight were finished");
    return static_cast<int>(core::ExitCode::ok);
}

}  // namespace

void register_serve(CLI::App& app, Action& action) {
    auto options = std::make_shared<ServeOptions>();
    auto* cmd = app.add_subcommand(
        "serve",
        "Serve the HTTP API (docs/api.yaml) over the store: CI uploads with a project token,\n"
        "reads of checks, reports, series and alerts. Several instances can share one database\n"
        "behind a reverse proxy that terminates TLS (docs/deploy.md).");
    add_db_option(*cmd, options->common);
    cmd->add_option("--listen", options->listen, "ADDRESS:PORT to listen on")
        ->capture_default_str();
    cmd->add_option("--threads", options->threads, "Worker threads (one database connection each)")
        ->capture_default_str();
    cmd->add_option("--max-queued", options->max_queued,
                    "Connections waiting for a worker; beyond this: 503 with Retry-After")
        ->capture_default_str();
    add_byte_size_option(*cmd, "--max-body-size", options->max_body_bytes,
                         "Largest request body (413 beyond)", "64MiB");
    cmd->add_option("--max-series", options->max_series,
                    "Most series (benchmark x metric) in one upload (413 beyond)")
        ->capture_default_str();
    cmd->add_option("--read-timeout", options->read_timeout_s,
                    "Seconds a client may stay silent while sending a request")
        ->capture_default_str();
    cmd->add_option("--rate-limit", options->rate_limit,
                    "Requests per second per token (or per address without one); 0: no limit")
        ->capture_default_str();
    cmd->add_option("--rate-burst", options->rate_burst, "Requests allowed in a burst")
        ->capture_default_str();
    cmd->add_flag("-q,--quiet", options->common.quiet, "No access log and notes");
    cmd->callback([options, &action] { action = [options] { return run_serve(*options); }; });
}

}  // namespace perftrack::cli
