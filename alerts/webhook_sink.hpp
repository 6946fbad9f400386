#pragma once
// Generic webhook: POSTs the check's JSON verdict (the shape `check --format json` prints; plus
// "located_steps" when change-point analysis located regressing steps the check did not flag)
// and, when a secret is configured, signs the body:
//   X-Perftrack-Signature: sha256=<hex HMAC-SHA256 of the body under PERFTRACK_WEBHOOK_SECRET>
// A receiver recomputes the HMAC over the raw body and compares in constant time.

#include <optional>
#include <string>

#include "alerts/alert_sink.hpp"
#include "alerts/http_client.hpp"

namespace perftrack::alerts {

// The request the sink sends (exposed for tests of its exact bytes and headers).
HttpRequest webhook_request(const CheckNotice& notice, const std::string& url,
                            const std::optional<std::string>& secret);

class WebhookSink final : public AlertSink {
  public:
    // `client` must outlive the sink. The URL and the secret are both treated as secrets.
    WebhookSink(const HttpClient& client, std::string url, std::optional<std::string> secret)
        : m_client(client), m_url(std::move(url)), m_secret(std::move(secret)) {}
    std::string_view channel() const override { return k_channel_webhook; }
    bool reports_every_check() const override { return false; }
    DeliveryResult deliver(const CheckNotice& notice) override;

  private:
    const HttpClient& m_client;
    std::string m_url;
    std::optional<std::string> m_secret;
};

}  // namespace perftrack::alerts
