#include "store/pg/copy_text.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace perftrack::store::pg {

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
    // Called once per history row: the field strings are reused (their capacity survives from
    // row to row) and runs without a tab or backslash are copied in one piece, so a row costs
    // a scan and a few memcpys rather than an allocation and a push_back per character.
    std::size_t count = 0;
    const auto next_field = [&]() -> std::string& {
        if (count == fields.size()) fields.emplace_back();
        std::string& f = fields[count++];
        f.clear();
        return f;
    };
    std::string* field = &next_field();
    const char* p = line.data();
    const char* const end = p + line.size();
    while (p < end) {
        const char* stop = p;
        while (stop < end && *stop != '\t' && *stop != '\\') ++stop;
        field->append(p, static_cast<std::size_t>(stop - p));
        if (stop == end) break;
        if (*stop == '\t') {
            field = &next_field();
            p = stop + 1;
            continue;
        }
        if (stop + 1 == end) {  // a backslash at the very end has nothing to escape: kept
            field->push_back('\\');
            break;
        }
        switch (const char e = stop[1]) {
            case 't':
                field->push_back('\t');
                break;
            case 'n':
                field->push_back('\n');
                break;
            case 'r':
                field->push_back('\r');
                break;
            case 'b':
                field->push_back('\b');
                break;
            case 'f':
                field->push_back('\f');
                break;
            case 'v':
                field->push_back('\v');
                break;
            case 'N':
                break;  // NULL: empty
            default:
                field->push_back(e);
                break;
        }
        p = stop + 2;
    }
    fields.resize(count);
}

}  // namespace perftrack::store::pg
