#include "formats/adapter_support.hpp"

#include <gtest/gtest.h>

namespace perftrack::formats {
namespace {

TEST(AdapterSupport, ParseNumberAcceptsDecimalsOnly) {
    EXPECT_EQ(parse_number("12.5"), 12.5);
    EXPECT_EQ(parse_number("-3"), -3.0);
    EXPECT_EQ(parse_number("1e3"), 1000.0);
    EXPECT_EQ(parse_number("+3"), std::nullopt);
    EXPECT_EQ(parse_number("inf"), std::nullopt);
    EXPECT_EQ(parse_number("nan"), std::nullopt);
    EXPECT_EQ(parse_number("1e999"), std::nullopt);
    EXPECT_EQ(parse_number("12ms"), std::nullopt);
    EXPECT_EQ(parse_number(""), std::nullopt);
    EXPECT_EQ(parse_number("0x10"), std::nullopt);
}

TEST(AdapterSupport, ParseNumberWithCommasNeedsGroupedDigits) {
    EXPECT_EQ(parse_number_with_commas("13,967,756.30"), 13967756.30);
    EXPECT_EQ(parse_number_with_commas("3,296"), 3296.0);
    EXPECT_EQ(parse_number_with_commas(",12"), std::nullopt);
    EXPECT_EQ(parse_number_with_commas("1,,2"), std::nullopt);
    EXPECT_EQ(parse_number_with_commas("12,"), std::nullopt);
}

TEST(AdapterSupport, ParamValuesKeepTextThatIsNotExactlyANumber) {
    EXPECT_EQ(param_value(std::string_view("64")), nlohmann::json(64));
    EXPECT_TRUE(param_value(std::string_view("64")).is_number_integer());
    EXPECT_EQ(param_value(std::string_view("-3")), nlohmann::json(-3));
    EXPECT_EQ(param_value(std::string_view("0.5")), nlohmann::json(0.5));
    EXPECT_EQ(param_value(std::string_view("007")), nlohmann::json("007"));
    EXPECT_EQ(param_value(std::string_view("1.")), nlohmann::json("1."));
    EXPECT_EQ(param_value(std::string_view("mlp")), nlohmann::json("mlp"));
    EXPECT_EQ(param_value(std::string_view("99999999999999999999")),
              nlohmann::json("99999999999999999999"));
    EXPECT_EQ(param_value(nlohmann::json(true)), nlohmann::json("true"));
    EXPECT_EQ(param_value(nlohmann::json::array({1, 2})), nlohmann::json("[1,2]"));
    EXPECT_EQ(param_value(nlohmann::json(nullptr)), nlohmann::json("null"));
}

TEST(AdapterSupport, SplitNamedSegments) {
    auto a = split_named_segments("train_step/model:mlp/mode:eager/batch_size:32", ':');
    EXPECT_EQ(a.benchmark, "train_step");
    EXPECT_EQ(a.params.dump(), R"({"batch_size":32,"mode":"eager","model":"mlp"})");
    auto b = split_named_segments("BM_x/size:64/stride:8", ':');
    EXPECT_EQ(b.benchmark, "BM_x");
    EXPECT_EQ(b.params.dump(), R"({"size":64,"stride":8})");
    auto c = split_named_segments("BM_Template<4>/64/real_time/threads:2", ':');
    EXPECT_EQ(c.benchmark, "BM_Template<4>/64/real_time");
    EXPECT_EQ(c.params.dump(), R"({"threads":2})");
    auto d = split_named_segments("BM_Sort/1024", ':');
    EXPECT_EQ(d.benchmark, "BM_Sort/1024");
    EXPECT_TRUE(d.params.empty());
    // The first segment is the name even when it looks like key:value; '::' is not a param;
    // a repeated key stays in the name; '/' inside <...> does not split.
    auto e = split_named_segments("ns::BM<a/b>/x::y/k:1/k:2", ':');
    EXPECT_EQ(e.benchmark, "ns::BM<a/b>/x::y/k:2");
    EXPECT_EQ(e.params.dump(), R"({"k":1})");
    auto f = split_named_segments("BenchmarkEncode/format=json", '=');
    EXPECT_EQ(f.benchmark, "BenchmarkEncode");
    EXPECT_EQ(f.params.dump(), R"({"format":"json"})");
}

TEST(AdapterSupport, SnakeCase) {
    EXPECT_EQ(snake_case("Final Blocks"), "final_blocks");
    EXPECT_EQ(snake_case("gc.alloc.rate.norm"), "gc_alloc_rate_norm");
    EXPECT_EQ(snake_case("  --Max  Bytes--"), "max_bytes");
    EXPECT_EQ(snake_case("latency"), "latency");
    EXPECT_EQ(snake_case("..."), "");
}

TEST(AdapterSupport, LineReaderStripsLineEndsAndCounts) {
    LineReader lines("a\r\nb\n\nc");
    std::vector<std::string> seen;
    while (auto l = lines.next()) seen.emplace_back(*l);
    EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "", "c"}));
    EXPECT_EQ(lines.number(), 4u);
}

TEST(AdapterSupport, CollectorKeepsFirstSeenOrderAndDropsNonPositiveTimes) {
    SeriesCollector c(0);
    const core::Params none = core::Params::object();
    c.add_time_ns("", "b", none, "time", core::Direction::lower, 5);
    c.add("", "a", none, "size", "B", core::Direction::lower, 0);
    c.add_time_ns("", "b", none, "time", core::Direction::lower, 0);
    c.add_time_ns("", "b", none, "time", core::Direction::lower, 7);
    core::RunResults run;
    ASSERT_TRUE(c.finish(run, "in"));
    ASSERT_EQ(run.measurements.size(), 2u);
    EXPECT_EQ(run.measurements[0].series.benchmark, "b");
    EXPECT_EQ(run.measurements[0].samples, (std::vector<double>{5, 7}));
    EXPECT_EQ(run.measurements[1].samples, (std::vector<double>{0}));  // not a time: kept
    ASSERT_EQ(run.warnings.size(), 1u);
    EXPECT_NE(run.warnings[0].find("b time: 1 of 3"), std::string::npos) << run.warnings[0];
}

TEST(AdapterSupport, CollectorLeavesOutSeriesWhoseEveryTimeWasDropped) {
    SeriesCollector c(0);
    c.add_time_ns("", "tiny", core::Params::object(), "time", core::Direction::lower, 0);
    core::RunResults run;
    ASSERT_TRUE(c.finish(run, "in"));
    EXPECT_TRUE(run.measurements.empty());
    ASSERT_EQ(run.warnings.size(), 1u);
    EXPECT_NE(run.warnings[0].find("tiny time: 1 of 1"), std::string::npos) << run.warnings[0];
}

TEST(AdapterSupport, CollectorRefusesOverlongNamesAndParams) {
    const core::Params none = core::Params::object();
    {
        SeriesCollector c(0);
        c.add("", std::string(k_max_benchmark_name_bytes + 1, 'b'), none, "m", "", {}, 1);
        core::RunResults run;
        auto ok = c.finish(run, "in.txt");
        ASSERT_FALSE(ok);
        EXPECT_EQ(ok.error().kind, core::ErrorKind::input);
        EXPECT_NE(ok.error().message.find("in.txt: a benchmark name of 1025 bytes is longer than "
                                          "the limit of 1024"),
                  std::string::npos)
            << ok.error().message;
    }
    {
        SeriesCollector c(0);
        core::Params big = {{"k", std::string(k_max_params_bytes, 'v')}};
        c.add("", "b", big, "m", "", {}, 1);
        core::RunResults run;
        auto ok = c.finish(run, "in.txt");
        ASSERT_FALSE(ok);
        EXPECT_NE(ok.error().message.find("the params of benchmark \"b\""), std::string::npos)
            << ok.error().message;
    }
}

TEST(AdapterSupport, CollectorRefusesOutputFarLargerThanTheInput) {
    // 100 bytes of input cannot make 2000 series of 1000-byte names (a name repeated by a
    // header before every row is how such input looks).
    SeriesCollector c(100);
    const std::string prefix(990, 'p');
    for (int i = 0; i < 2000; ++i)
        c.add("", prefix + std::to_string(i), core::Params::object(), "time", "ns", {}, 1);
    core::RunResults run;
    auto ok = c.finish(run, "in.txt");
    ASSERT_FALSE(ok);
    EXPECT_NE(ok.error().message.find("refusing it as pathological"), std::string::npos)
        << ok.error().message;
}

TEST(AdapterSupport, CollectorRefusesTextThatIsNotUtf8) {
    for (const auto& [benchmark, params] :
         {std::pair{std::string("b\xff"), core::Params::object()},
          std::pair{std::string("b"), core::Params{{"k", "\xc3\x28"}}}}) {
        SeriesCollector c(0);
        c.add("", benchmark, params, "m", "", {}, 1);
        core::RunResults run;
        auto ok = c.finish(run, "in.txt");
        ASSERT_FALSE(ok);
        EXPECT_NE(ok.error().message.find("not UTF-8"), std::string::npos) << ok.error().message;
    }
}

TEST(AdapterSupport, Utf8Validation) {
    EXPECT_TRUE(is_valid_utf8("plain ascii"));
    EXPECT_TRUE(is_valid_utf8("\xc2\xb5s \xce\xbcs \xe2\x82\xac \xf0\x9f\x98\x80"));
    EXPECT_FALSE(is_valid_utf8("\xb5s"));             // Latin-1 micro sign
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // a surrogate
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // cut short
    auto bad = require_utf8("ok\nfine \xd7x\n", "out.txt");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message.rfind("out.txt: line 2, column 6: byte 0xD7 is not UTF-8", 0), 0u)
        << bad.error().message;
}

}  // namespace
}  // namespace perftrack::formats
