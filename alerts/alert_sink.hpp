#pragma once
// A place alerts go: a Slack-compatible webhook, a generic webhook, GitHub. Every sink gets the
// same CheckNotice and reports how delivery went; none throws for a failed delivery, because a
// check's verdict and exit code never depend on whether anyone could be told.

#include <string>
#include <string_view>

#include "alerts/notice.hpp"

namespace perftrack::alerts {

// The channel names stored with delivery records (alert_delivery.channel): never renamed.
inline constexpr std::string_view k_channel_slack = "slack";
inline constexpr std::string_view k_channel_webhook = "webhook";
inline constexpr std::string_view k_channel_github = "github";

struct DeliveryResult {
    std::string channel;
    bool ok = false;
    int attempts = 0;    // HTTP requests made, retries included
    std::string error;   // empty when ok; one redacted line otherwise
    std::string detail;  // what was done, for --verbose: "edited comment 123", "status failure"
};

class AlertSink {
  public:
    virtual ~AlertSink() = default;
    // One of the k_channel_* names.
    virtual std::string_view channel() const = 0;
    // True for channels that show the state of every check (GitHub's commit status and PR
    // comment); false for those that announce new regressions only once (chat, webhooks).
    virtual bool reports_every_check() const = 0;
    virtual DeliveryResult deliver(const CheckNotice& notice) = 0;
};

}  // namespace perftrack::alerts
