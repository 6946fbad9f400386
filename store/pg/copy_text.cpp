#include "store/pg/copy_text.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace perftrack::store::pg {

std::string float_array_literal(const std::vector<double>& values) {
    fmt::memory_buffer buf;
    buf.push_back('{');
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) buf.push_back(',');
        fmt::format_to(std::back_inserter(buf), "{}", values[i]);
    }
    buf.push_back('}');
    return fmt::to_string(buf);
}

bool parse_float_array(std::string_view text, std::vector<double>& out) {
    out.clear();
    if (text.size() < 2 || text.front() != '{' || text.back() != '}') return false;
    std::string_view body = text.substr(1, text.size() - 2);
    if (body.empty()) return true;
    std::size_t pos = 0;
    while (pos <= body.size()) {
        std::size_t end = body.find(',', pos);
        if (end == std::string_view::npos) end = body.size();
        std::string_view item = body.substr(pos, end - pos);
        double v = 0;
        if (item == "NaN") {
            v = std::numeric_limits<double>::quiet_NaN();
        } else if (item == "Infinity") {
            v = std::numeric_limits<double>::infinity();
        } else if (item == "-Infinity") {
            v = -std::numeric_limits<double>::infinity();
        } else {
            auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
            if (ec != std::errc() || ptr != item.data() + item.size()) return false;
        }
        out.push_back(v);
        pos = end + 1;
    }
    return true;
}

void split_copy_line(std::string_view line, std::vector<std::string>& fields) {
    fields.clear();
    fields.emplace_back();
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '\t') {
            fields.emplace_back();
            continue;
        }
        if (c != '\\' || i + 1 >= line.size()) {
            fields.back() += c;
            continue;
        }
        const char e = line[++i];
        switch (e) {
            case 't': fields.back() += '\t'; break;
            case 'n': fields.back() += '\n'; break;
            case 'r': fields.back() += '\r'; break;
            case 'b': fields.back() += '\b'; break;
            case 'f': fields.back() += '\f'; break;
            case 'v': fields.back() += '\v'; break;
            case 'N': break;  // NULL: empty
            default: fields.back() += e; break;
        }
    }
}

}  // namespace perftrack::store::pg
