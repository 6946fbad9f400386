#include "reports/alerts/webhook_sink.hpp"

#include "reports/alerts/signature.hpp"

namespace perftrack::reports::alerts {

HttpRequest webhook_request(const CheckNotice& notice, const std::string& url,
                            const std::optional<std::string>& secret) {
    HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.endpoint = "webhook";
    request.body = notice.check_json.dump();
    request.headers = {{"Content-Type", "application/json"}, {"X-Perftrack-Event", "check"}};
    if (secret && !secret->empty())
        request.headers.emplace_back(k_signature_header,
                                     signature_header_value(*secret, request.body));
    return request;
}

DeliveryResult WebhookSink::deliver(const CheckNotice& notice) {
    const HttpOutcome outcome = m_client.send(webhook_request(notice, m_url, m_secret));
    DeliveryResult r;
    r.channel = std::string(channel());
    r.ok = outcome.ok();
    r.attempts = outcome.attempts;
    r.error = outcome.error;
    if (r.ok) r.detail = m_secret ? "posted the signed verdict" : "posted the verdict";
    return r;
}

}  // namespace perftrack::reports::alerts
