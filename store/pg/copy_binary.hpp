#pragma once
// COPY ... FROM STDIN (FORMAT binary) for the sample rows of an ingest. The text format made
// both sides print and parse every sample as decimal: 53 % of the client's instructions
// (shortest round-trip formatting and libpqxx's escaping) and most of the server's COPY time
// (float8in). Binary sends the IEEE bits, so the stored values are the same doubles.
//
// libpqxx 6 writes COPY data only as text lines (it appends a newline), so this talks to libpq
// directly on the transaction's connection; the transaction stays libpqxx's.

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace perftrack::store::pg {

class BinaryCopy {
  public:
    // Starts `COPY table (columns) FROM STDIN (FORMAT binary)` in tx (names from statements.hpp).
    // Throws like libpqxx (pqxx::sql_error with the SQLSTATE, deadlock_detected,
    // broken_connection).
    BinaryCopy(pqxx::work& tx, const std::string& table, const std::vector<std::string>& columns);
    // Ends an unfinished COPY with an error (the transaction then aborts).
    ~BinaryCopy();
    BinaryCopy(const BinaryCopy&) = delete;
    BinaryCopy& operator=(const BinaryCopy&) = delete;

    void begin_row(int fields);
    void add_int8(std::int64_t value);
    // A one-dimensional float8[] (an empty vector is the empty array).
    void add_float8_array(const std::vector<double>& values);
    // Sends the end of the data and waits for the server's verdict.
    void complete();

  private:
    void put_u16(std::uint16_t v);
    void put_u32(std::uint32_t v);
    void put_u64(std::uint64_t v);
    void send();

    pqxx::internal::pq::PGconn* conn_;
    std::string statement_;
    std::string buf_;
    bool open_ = true;
};

}  // namespace perftrack::store::pg
