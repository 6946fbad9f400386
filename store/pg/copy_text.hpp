#pragma once
// PostgreSQL COPY text format and float8[] literals, written and read by hand because they are
// the hot path of ingest and of history reads.

#include <string>
#include <string_view>
#include <vector>

namespace perftrack::store::pg {

// Parses PostgreSQL's float8[] output ("{1.5,2,NaN}"); false when malformed.
bool parse_float_array(std::string_view text, std::vector<double>& out);

// Splits one COPY text line into fields, undoing COPY's backslash escapes. A NULL (\N) becomes
// an empty string and sets the matching entry of `nulls` when given.
void split_copy_line(std::string_view line, std::vector<std::string>& fields);

}  // namespace perftrack::store::pg
