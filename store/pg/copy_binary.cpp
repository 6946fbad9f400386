#include "store/pg/copy_binary.hpp"

#include <bit>
#include <cmath>
#include <limits>
#include <memory>

#include <libpq-fe.h>

namespace perftrack::store::pg {

namespace {

// libpqxx 6 gives its PGconn to large objects only: a protected static of pqxx::largeobject.
struct RawConnection : pqxx::largeobject {
    static pqxx::internal::pq::PGconn* of(const pqxx::dbtransaction& tx) {
        return raw_connection(tx);
    }
};

// Data goes to libpq in pieces of this size, so the server parses rows while the client
// encodes the next ones.
constexpr std::size_t k_send_bytes = 64 * 1024;
constexpr std::uint32_t k_float8_oid = 701;  // pg_type.oid of float8

// The exception libpqxx would throw for this failure (the store translates those).
[[noreturn]] void throw_error(PGconn* conn, PGresult* result, const std::string& statement) {
    std::string message = PQerrorMessage(conn);
    std::string state;
    if (result != nullptr) {
        if (const char* m = PQresultErrorMessage(result); m != nullptr && *m != '\0') message = m;
        if (const char* s = PQresultErrorField(result, PG_DIAG_SQLSTATE); s != nullptr) state = s;
    }
    if (PQstatus(conn) == CONNECTION_BAD) throw pqxx::broken_connection(message);
    if (state == "40P01") throw pqxx::deadlock_detected(message);
    if (state == "40001") throw pqxx::serialization_failure(message);
    throw pqxx::sql_error(message, statement, state.empty() ? nullptr : state.c_str());
}

// Big-endian (network order), as the binary COPY format wants; returns the end.
char* store_be32(char* p, std::uint32_t v) {
    p[0] = static_cast<char>(v >> 24);
    p[1] = static_cast<char>(v >> 16);
    p[2] = static_cast<char>(v >> 8);
    p[3] = static_cast<char>(v);
    return p + 4;
}

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

// Reads the results of the finished COPY until libpq has none left; throws on an error.
void finish_results(PGconn* conn, const std::string& statement) {
    bool failed = false;
    Result failure(nullptr, &PQclear);
    while (PGresult* r = PQgetResult(conn)) {
        Result result(r, &PQclear);
        if (PQresultStatus(r) != PGRES_COMMAND_OK && !failed) {
            failed = true;
            failure = std::move(result);
        }
    }
    if (failed) throw_error(conn, failure.get(), statement);
}

}  // namespace

BinaryCopy::BinaryCopy(pqxx::work& tx, const std::string& table,
                       const std::vector<std::string>& columns)
    : conn_(RawConnection::of(tx)) {
    // The store's own table and column names (statements.hpp), never input: unquoted, so the
    // statement reads as it did in text form ("COPY sample (...)") in pg_stat_activity.
    statement_ = "COPY " + table + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) statement_ += (i > 0 ? ", " : "") + columns[i];
    statement_ += ") FROM STDIN (FORMAT binary)";
    Result r(PQexec(conn_, statement_.c_str()), &PQclear);
    if (r == nullptr || PQresultStatus(r.get()) != PGRES_COPY_IN) {
        open_ = false;
        r.reset();
        while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
        throw_error(conn_, nullptr, statement_);
    }
    buf_.reserve(k_send_bytes * 2);
    // Signature, flags (no OIDs), header extension length.
    buf_.append("PGCOPY\n\377\r\n\0", 11);
    put_u32(0);
    put_u32(0);
}

BinaryCopy::~BinaryCopy() {
    if (!open_) return;
    // An exception left the COPY unfinished: fail it, so the connection is usable for the
    // ROLLBACK that follows.
    if (PQputCopyEnd(conn_, "perftrack: ingest interrupted") == 1)
        while (PGresult* r = PQgetResult(conn_)) PQclear(r);
}

void BinaryCopy::begin_row(int fields) {
    put_u16(static_cast<std::uint16_t>(fields));
    if (buf_.size() >= k_send_bytes) send();
}

void BinaryCopy::add_int8(std::int64_t value) {
    put_u32(8);
    put_u64(static_cast<std::uint64_t>(value));
}

void BinaryCopy::add_float8_array(const std::vector<double>& values) {
    // array_recv's layout: ndim, has-nulls flag, element type, then per dimension its length
    // and lower bound, then each element as a length-prefixed float8. Written in place: this
    // loop runs once per sample.
    const bool empty = values.empty();
    const std::size_t size = empty ? 12 : 20 + values.size() * 12;
    const std::size_t at = buf_.size();
    buf_.resize(at + 4 + size);
    char* p = buf_.data() + at;
    p = store_be32(p, static_cast<std::uint32_t>(size));
    p = store_be32(p, empty ? 0 : 1);
    p = store_be32(p, 0);
    p = store_be32(p, k_float8_oid);
    if (empty) return;
    p = store_be32(p, static_cast<std::uint32_t>(values.size()));
    p = store_be32(p, 1);
    for (double v : values) {
        // float8in gives every NaN the same bits; so does this.
        if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();
        const auto bits = std::bit_cast<std::uint64_t>(v);
        p = store_be32(p, 8);
        p = store_be32(p, static_cast<std::uint32_t>(bits >> 32));
        p = store_be32(p, static_cast<std::uint32_t>(bits));
    }
}

void BinaryCopy::complete() {
    put_u16(0xFFFF);  // the trailer: a field count of -1
    send();
    open_ = false;
    if (PQputCopyEnd(conn_, nullptr) != 1) throw_error(conn_, nullptr, statement_);
    finish_results(conn_, statement_);
}

void BinaryCopy::put_u16(std::uint16_t v) {
    const char b[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
    buf_.append(b, 2);
}

void BinaryCopy::put_u32(std::uint32_t v) {
    char b[4];
    store_be32(b, v);
    buf_.append(b, 4);
}

void BinaryCopy::put_u64(std::uint64_t v) {
    char b[8];
    store_be32(store_be32(b, static_cast<std::uint32_t>(v >> 32)), static_cast<std::uint32_t>(v));
    buf_.append(b, 8);
}

void BinaryCopy::send() {
    if (buf_.empty()) return;
    if (PQputCopyData(conn_, buf_.data(), static_cast<int>(buf_.size())) != 1) {
        open_ = false;
        throw_error(conn_, nullptr, statement_);
    }
    buf_.clear();
}

}  // namespace perftrack::store::pg
