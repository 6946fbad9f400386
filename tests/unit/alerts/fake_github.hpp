#pragma once
// A small stand-in for GitHub's REST API on a local RecordingServer: commit statuses and issue
// comments (list with pagination, create, edit), enough to see what perftrack does to a PR.

#include <map>
#include <mutex>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/http_recorder.hpp"

namespace perftrack::alerts::test {

class FakeGitHub {
  public:
    explicit FakeGitHub(std::string token) : m_token(std::move(token)) {
        m_server.set_handler([this](const testing::RecordedRequest& r) { return handle(r); });
    }

    std::string api_url() const { return m_server.url("/api/v3"); }
    testing::RecordingServer& server() { return m_server; }

    struct Comment {
        std::int64_t id;
        std::string body;
    };
    std::vector<Comment> comments(const std::string& pr) {
        std::lock_guard lock(m_mutex);
        return m_comments[pr];
    }
    std::vector<nlohmann::json> statuses(const std::string& sha) {
        std::lock_guard lock(m_mutex);
        return m_statuses[sha];
    }
    // Someone else's comments, posted before perftrack's.
    void add_comment(const std::string& pr, const std::string& body) {
        std::lock_guard lock(m_mutex);
        m_comments[pr].push_back({m_next_id++, body});
    }
    void set_page_size_limit(std::size_t n) { m_page_limit = n; }

  private:
    testing::ScriptedResponse json(int status, const nlohmann::json& body) {
        return {status, body.dump(), "application/json", {}};
    }

    testing::ScriptedResponse handle(const testing::RecordedRequest& r) {
        if (r.header("authorization") != "Bearer " + m_token)
            return json(401, {{"message", "Bad credentials"}});
        std::smatch m;
        std::lock_guard lock(m_mutex);
        static const std::regex status_path(R"(/api/v3/repos/([^/]+/[^/]+)/statuses/([0-9a-f]+))");
        static const std::regex list_path(
            R"(/api/v3/repos/([^/]+/[^/]+)/issues/([0-9]+)/comments)");
        static const std::regex edit_path(
            R"(/api/v3/repos/([^/]+/[^/]+)/issues/comments/([0-9]+))");
        if (r.method == "POST" && std::regex_match(r.path, m, status_path)) {
            m_statuses[m[2]].push_back(nlohmann::json::parse(r.body));
            return json(201, {{"id", 1}});
        }
        if (std::regex_match(r.path, m, list_path)) {
            auto& list = m_comments[m[2]];
            if (r.method == "POST") {
                list.push_back({m_next_id++, nlohmann::json::parse(r.body)["body"]});
                return json(201, {{"id", list.back().id}, {"body", list.back().body}});
            }
            const std::size_t per_page =
                std::min<std::size_t>(m_page_limit, std::stoul(r.query.at("per_page")));
            const std::size_t page = std::stoul(r.query.count("page") ? r.query.at("page") : "1");
            nlohmann::json out = nlohmann::json::array();
            for (std::size_t i = (page - 1) * per_page; i < list.size() && i < page * per_page; ++i)
                out.push_back(
                    {{"id", list[i].id}, {"body", list[i].body}, {"user", {{"login", "bot"}}}});
            return json(200, out);
        }
        if (r.method == "PATCH" && std::regex_match(r.path, m, edit_path)) {
            const std::int64_t id = std::stoll(m[2]);
            for (auto& [pr, list] : m_comments)
                for (auto& c : list)
                    if (c.id == id) {
                        c.body = nlohmann::json::parse(r.body)["body"];
                        return json(200, {{"id", id}, {"body", c.body}});
                    }
            return json(404, {{"message", "Not Found"}});
        }
        return json(404, {{"message", "Not Found"}});
    }

    std::string m_token;
    std::mutex m_mutex;
    std::map<std::string, std::vector<Comment>> m_comments;
    std::map<std::string, std::vector<nlohmann::json>> m_statuses;
    std::int64_t m_next_id = 1000;
    std::size_t m_page_limit = 100;
    testing::RecordingServer m_server;  // last: stops before the state it serves is destroyed
};

}  // namespace perftrack::alerts::test
