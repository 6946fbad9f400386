#pragma once
// Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat, Discord's /slack endpoint):
// `text` for notifications and clients without blocks, `blocks` with a one-line summary, the
// largest regressions with their change, and a link to the report.

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "alerts/alert_sink.hpp"
#include "alerts/http_client.hpp"

namespace perftrack::alerts {

// How many regressions the message lists before "and N more" (a chat message is read at a
// glance; the report has the rest).
inline constexpr std::size_t k_slack_top_regressions = 5;

// Escapes &, < and > as Slack's mrkdwn requires for text that is not markup.
std::string slack_escape(std::string_view text);

// The message body. Untrusted text (benchmark names, params) is escaped.
nlohmann::json slack_payload(const CheckNotice& notice,
                             std::size_t top_regressions = k_slack_top_regressions);

class SlackSink final : public AlertSink {
  public:
    // `client` must outlive the sink; `webhook_url` is a secret (it is the credential).
    SlackSink(const HttpClient& client, std::string webhook_url)
        : m_client(client), m_url(std::move(webhook_url)) {}
    std::string_view channel() const override { return k_channel_slack; }
    bool reports_every_check() const override { return false; }
    DeliveryResult deliver(const CheckNotice& notice) override;

  private:
    const HttpClient& m_client;
    std::string m_url;
};

}  // namespace perftrack::alerts
