// Alerts in the real PostgreSQL: create-or-update under concurrency, the lifecycle through
// PgStore, delivery records, and `perftrack alerts list|ack|resolve`.
#include <atomic>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "alerts/lifecycle.hpp"
#include "store/pg/pg_store.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/test_database.hpp"

namespace perftrack {
namespace {

using store::AlertObservation;

store::RunToStore run_at(const std::string& commit, std::int64_t commit_time_us,
                         const std::string& branch = "main") {
    store::RunToStore r;
    r.project = "demo";
    r.testbed = "ci-x86";
    r.branch = branch;
    r.commit = commit;
    r.commit_time_us = commit_time_us;
    r.run_key = "run-" + branch + "-" + commit;
    r.part_key = "all";
    r.started_at_us = r.ended_at_us = commit_time_us;
    for (const char* name : {"BM_Sort", "BM_Hash"}) {
        core::Measurement m;
        m.series.benchmark = name;
        m.series.params = {{"n", 1024}};
        m.series.metric = "real_time";
        m.series.unit = "ns";
        m.samples = {100, 101, 99};
        r.results.measurements.push_back(m);
    }
    return r;
}

AlertObservation observation(const std::string& commit, double change_pct,
                             const std::string& benchmark = "BM_Sort") {
    AlertObservation o;
    o.project = "demo";
    o.testbed = "ci-x86";
    o.branch = "main";
    o.series.benchmark = benchmark;
    o.series.params = {{"n", 1024}};
    o.series.metric = "real_time";
    o.series.unit = "ns";
    o.since_commit = commit;
    o.seen_commit = commit;
    o.change_pct = change_pct;
    o.ci_low_pct = change_pct - 2;
    o.ci_high_pct = change_pct + 2;
    o.p_value = 1e-5;
    o.q_value = 1e-4;
    o.baseline_value = 100;
    o.regressed_value = 100 + change_pct;
    return o;
}

class AlertsStore : public ::testing::Test {
  protected:
    void SetUp() override {
        db = store::pg::connect(schema.dsn());
        for (int i = 1; i <= 4; ++i)
            db->ingest(run_at(fmt::format("c{}", i), 1'700'000'000'000'000 + i * 1'000'000));
        db->ingest(run_at("f1", 1'700'000'000'000'000 + 5'000'000, "feature"));
    }
    testing::TestSchema schema;
    std::unique_ptr<store::Store> db;
};

TEST_F(AlertsStore, CreatesOnceThenUpdatesTheActiveAlert) {
    const auto first = db->record_alert(observation("c1", 12.5));
    EXPECT_TRUE(first.created);
    EXPECT_EQ(first.alert.status, store::AlertStatus::open);
    EXPECT_EQ(first.alert.series.benchmark, "BM_Sort");
    EXPECT_EQ(first.alert.series.params, (core::Params{{"n", 1024}}));
    EXPECT_EQ(first.alert.commit, "c1");
    EXPECT_EQ(first.alert.times_seen, 1);
    EXPECT_DOUBLE_EQ(first.alert.change_pct, 12.5);
    EXPECT_EQ(first.alert.ci_low_pct, 10.5);
    EXPECT_EQ(first.alert.series.direction, core::Direction::lower);

    const auto same_commit = db->record_alert(observation("c1", 12.0));
    EXPECT_FALSE(same_commit.created);
    EXPECT_EQ(same_commit.alert.times_seen, 1);
    auto later = observation("c3", 13.0);
    later.since_commit = "c3";
    later.baseline_value = 113;  // the rolling baseline has moved; the old level must not
    const auto update = db->record_alert(later);
    EXPECT_FALSE(update.created);
    EXPECT_EQ(update.alert.id, first.alert.id);
    EXPECT_EQ(update.alert.times_seen, 2);
    EXPECT_EQ(update.alert.commit, "c1");
    EXPECT_EQ(update.alert.last_commit, "c3");
    EXPECT_DOUBLE_EQ(update.alert.change_pct, 13.0);
    EXPECT_EQ(update.alert.baseline_value, 100.0);
    EXPECT_EQ(update.alert.regressed_value, 113.0);
    EXPECT_EQ(schema.scalar("SELECT count(*) FROM alert"), "1");

    // A change point locates the step: the alert's commit moves there.
    auto located = observation("c2", 12.8);
    located.source = store::AlertSource::change_point;
    located.seen_commit = "c4";
    const auto moved = db->record_alert(located);
    EXPECT_FALSE(moved.created);
    EXPECT_EQ(moved.alert.commit, "c2");
    EXPECT_EQ(moved.alert.source, store::AlertSource::check);  // first finder is kept
}

TEST_F(AlertsStore, ConcurrentChecksOpenExactlyOneAlert) {
    constexpr int k_threads = 6;
    std::atomic<int> created{0};
    std::vector<std::thread> threads;
    std::atomic<int> ready{0};
    for (int t = 0; t < k_threads; ++t)
        threads.emplace_back([&] {
            auto mine = store::pg::connect(schema.dsn());
            ++ready;
            while (ready < k_threads) std::this_thread::yield();
            if (mine->record_alert(observation("c2", 10)).created) ++created;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(created.load(), 1);
    EXPECT_EQ(schema.scalar("SELECT count(*) FROM alert"), "1");
}

TEST_F(AlertsStore, SeriesBranchesAndResolvedAlertsAreKeptApart) {
    db->record_alert(observation("c1", 10));
    db->record_alert(observation("c1", 10, "BM_Hash"));
    auto feature = observation("f1", 10);
    feature.branch = "feature";
    db->record_alert(feature);
    EXPECT_EQ(db->list_alerts({}).size(), 3u);
    store::AlertQuery on_feature;
    on_feature.branch = "feature";
    EXPECT_EQ(db->list_alerts(on_feature).size(), 1u);

    // Once resolved, the next regression of the series is a new alert.
    const auto id = db->record_alert(observation("c2", 10)).alert.id;
    ASSERT_TRUE(db->resolve_alert(id, store::AlertResolution::recovered, {}).changed);
    const auto again = db->record_alert(observation("c4", 20));
    EXPECT_TRUE(again.created);
    EXPECT_NE(again.alert.id, id);
    store::AlertQuery active;
    active.active_only = true;
    EXPECT_EQ(db->list_alerts(active).size(), 3u);
    EXPECT_EQ(db->list_alerts({}).size(), 4u);
    store::AlertQuery newest;
    newest.limit = 1;
    EXPECT_EQ(db->list_alerts(newest).at(0).id, again.alert.id);
}

TEST_F(AlertsStore, UnknownSeriesIsAClearError) {
    auto o = observation("c1", 10, "BM_Nope");
    try {
        db->record_alert(o);
        FAIL() << "expected StoreError";
    } catch (const store::StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("BM_Nope"), std::string::npos) << e.what();
        EXPECT_FALSE(e.unavailable());
    }
}

TEST_F(AlertsStore, AcknowledgeAndResolve) {
    const auto id = db->record_alert(observation("c1", 10)).alert.id;
    const auto ack = db->acknowledge_alert(id, "on it: allocator change");
    ASSERT_TRUE(ack.alert);
    EXPECT_TRUE(ack.changed);
    EXPECT_EQ(ack.alert->status, store::AlertStatus::acknowledged);
    EXPECT_EQ(ack.alert->note, "on it: allocator change");
    EXPECT_TRUE(ack.alert->acknowledged_at_us);
    // Still active: a later check updates it instead of opening a new one.
    EXPECT_FALSE(db->record_alert(observation("c2", 11)).created);

    const auto resolved = db->resolve_alert(id, store::AlertResolution::manual, {});
    EXPECT_TRUE(resolved.changed);
    EXPECT_EQ(resolved.alert->status, store::AlertStatus::resolved);
    EXPECT_EQ(resolved.alert->resolution, store::AlertResolution::manual);
    EXPECT_FALSE(db->resolve_alert(id, store::AlertResolution::manual, {}).changed);
    EXPECT_FALSE(db->acknowledge_alert(id, "late").changed);
    EXPECT_FALSE(db->acknowledge_alert(99999, "x").alert);
    EXPECT_FALSE(db->resolve_alert(99999, store::AlertResolution::manual, {}).alert);
}

TEST_F(AlertsStore, DeliveriesAccumulateAndPendingOnesAreFound) {
    const auto id = db->record_alert(observation("c1", 10)).alert.id;
    db->record_delivery(id, "slack", false, 4, "Slack webhook: HTTP 500 (4 attempts)");
    db->record_delivery(id, "webhook", true, 1, "");
    store::AlertQuery pending;
    pending.pending_channel = "slack";
    auto found = db->list_alerts(pending);
    ASSERT_EQ(found.size(), 1u);
    ASSERT_EQ(found[0].deliveries.size(), 2u);
    EXPECT_EQ(found[0].deliveries[0].channel, "slack");
    EXPECT_FALSE(found[0].deliveries[0].delivered);
    EXPECT_EQ(found[0].deliveries[0].last_error, "Slack webhook: HTTP 500 (4 attempts)");
    pending.pending_channel = "webhook";
    EXPECT_TRUE(db->list_alerts(pending).empty());

    db->record_delivery(id, "slack", true, 1, "");
    pending.pending_channel = "slack";
    EXPECT_TRUE(db->list_alerts(pending).empty());
    const auto after = db->list_alerts({});
    EXPECT_EQ(after[0].deliveries[0].attempts, 5);
    EXPECT_TRUE(after[0].deliveries[0].delivered);
    EXPECT_EQ(after[0].deliveries[0].last_error, "");
}

TEST_F(AlertsStore, LifecycleThroughPostgres) {
    using namespace alerts;
    const CheckScope c1{"demo", "ci-x86", "main", "c1"};
    NoticeVerdict v;
    v.series.benchmark = "BM_Sort";
    v.series.params = {{"n", 1024}};
    v.series.metric = "real_time";
    v.series.unit = "ns";
    v.status = "regression";
    v.change_pct = 20;
    v.baseline_median = 100;
    v.candidate_median = 120;
    EXPECT_EQ(apply_check(*db, c1, {v}).opened.size(), 1u);
    EXPECT_EQ(apply_check(*db, {"demo", "ci-x86", "main", "c2"}, {v}).updated.size(), 1u);
    v.status = "improvement";
    v.candidate_median = 100.5;
    const auto fixed = apply_check(*db, {"demo", "ci-x86", "main", "c3"}, {v});
    ASSERT_EQ(fixed.resolved.size(), 1u);
    EXPECT_EQ(fixed.resolved[0].resolution, store::AlertResolution::recovered);

    // A baseline reset recorded after an alert opened closes it.
    v.status = "regression";
    v.candidate_median = 125;
    const auto reopened = apply_check(*db, {"demo", "ci-x86", "main", "c4"}, {v});
    ASSERT_EQ(reopened.opened.size(), 1u);
    schema.scalar(
        "INSERT INTO baseline_reset (project_id, benchmark_glob, metric, commit_id, reason) "
        "SELECT p.id, 'BM_S*', 'real_time', c.id, 'intended' FROM project p JOIN commit c "
        "ON c.project_id = p.id AND c.sha = 'c4' RETURNING id");
    store::HistoryQuery hq{"demo", "ci-x86", "main", std::nullopt, std::nullopt};
    const auto history = db->load_history(hq);
    ASSERT_EQ(history.resets.size(), 1u);
    const auto closed = close_superseded_alerts(*db, "demo", std::string("ci-x86"), history.resets);
    ASSERT_EQ(closed.size(), 1u);
    EXPECT_EQ(closed[0].resolution, store::AlertResolution::baseline_reset);
    EXPECT_EQ(closed[0].baseline_reset_id, history.resets[0].id);
}

TEST_F(AlertsStore, CliListAckResolve) {
    const auto id = db->record_alert(observation("c1", 12.34)).alert.id;
    db->record_alert(observation("c1", 5, "BM_Hash"));
    db->record_delivery(id, "slack", false, 2, "Slack webhook: HTTP 500 (2 attempts)");
    const auto dsn = schema.dsn();

    auto list = testing::run_perftrack({"alerts", "list", "--db", dsn});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("ID"), std::string::npos);
    EXPECT_NE(list.out.find("BM_Sort {n=1024}"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("+12.3%"), std::string::npos);
    EXPECT_NE(list.out.find("slack"), std::string::npos);  // undelivered

    auto ack = testing::run_perftrack(
        {"alerts", "ack", std::to_string(id), "--note", "expected: new allocator", "--db", dsn});
    ASSERT_EQ(ack.exit_code, 0) << ack.err;
    EXPECT_NE(ack.out.find(fmt::format("acknowledged alert {}", id)), std::string::npos) << ack.out;

    auto json = testing::run_perftrack({"alerts", "list", "--format", "json", "--db", dsn});
    ASSERT_EQ(json.exit_code, 0) << json.err;
    const auto parsed = nlohmann::json::parse(json.out);
    ASSERT_EQ(parsed["alerts"].size(), 2u);
    const auto& sort = parsed["alerts"][1];
    EXPECT_EQ(sort["id"], id);
    EXPECT_EQ(sort["status"], "acknowledged");
    EXPECT_EQ(sort["note"], "expected: new allocator");
    EXPECT_EQ(sort["change"], 12.34);
    EXPECT_EQ(sort["ci"], nlohmann::json::array({12.34 - 2, 12.34 + 2}));
    EXPECT_EQ(sort["deliveries"][0]["state"], "pending");

    auto resolve = testing::run_perftrack({"alerts", "resolve", std::to_string(id), "--db", dsn});
    ASSERT_EQ(resolve.exit_code, 0) << resolve.err;
    EXPECT_NE(resolve.out.find(fmt::format("resolved alert {}", id)), std::string::npos);
    auto again = testing::run_perftrack({"alerts", "resolve", std::to_string(id), "--db", dsn});
    EXPECT_EQ(again.exit_code, 0);
    EXPECT_NE(again.out.find("already resolved (resolved (manual))"), std::string::npos)
        << again.out;

    auto open = testing::run_perftrack({"alerts", "list", "--open", "--db", dsn});
    ASSERT_EQ(open.exit_code, 0);
    EXPECT_EQ(open.out.find("BM_Sort"), std::string::npos) << open.out;
    EXPECT_NE(open.out.find("BM_Hash"), std::string::npos);

    auto late_ack =
        testing::run_perftrack({"alerts", "ack", std::to_string(id), "--note", "x", "--db", dsn});
    EXPECT_EQ(late_ack.exit_code, 2);
    EXPECT_NE(late_ack.err.find("already resolved"), std::string::npos) << late_ack.err;
    auto missing = testing::run_perftrack({"alerts", "resolve", "424242", "--db", dsn});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("no alert with id 424242"), std::string::npos) << missing.err;
    auto no_note = testing::run_perftrack({"alerts", "ack", std::to_string(id), "--db", dsn});
    EXPECT_EQ(no_note.exit_code, 2);
    EXPECT_NE(no_note.err.find("--note"), std::string::npos) << no_note.err;
    auto empty_note =
        testing::run_perftrack({"alerts", "ack", std::to_string(id), "--note", " ", "--db", dsn});
    EXPECT_EQ(empty_note.exit_code, 2);
}

TEST_F(AlertsStore, CliListWithNoAlerts) {
    auto list = testing::run_perftrack({"alerts", "list", "--open", "--db", schema.dsn()});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_EQ(list.out, "no open alerts\n");
}

}  // namespace
}  // namespace perftrack
