#include "alerts/webhook_sink.hpp"

#include "alerts/signature.hpp"

namespace perftrack::alerts {

HttpRequest webhook_request(const CheckNotice& notice, const std::string& url,
                            const std::optional<std::string>& secret) {
    HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.endpoint = "webhook";
    nlohmann::json body = notice.check_json;
    if (!notice.located_steps.empty()) {
        // Additive: steps that change-point analysis located and the check did not flag, in the
        // units of the check's own JSON (change as a fraction: +0.1 = 10 % larger).
        nlohmann::json steps = nlohmann::json::array();
        for (const auto& v : notice.located_steps)
            steps.push_back(
                {{"benchmark", v.series.benchmark},
                 {"suite", v.series.suite},
                 {"params", v.series.params},
                 {"metric", v.series.metric},
                 {"unit", v.series.unit},
                 {"direction", core::to_string(v.series.direction)},
                 {"since", v.since_commit},
                 {"change",
                  v.change_pct ? nlohmann::json(*v.change_pct / 100) : nlohmann::json(nullptr)},
                 {"p_value", v.p_value ? nlohmann::json(*v.p_value) : nlohmann::json(nullptr)}});
        body["located_steps"] = std::move(steps);
    }
    request.body = body.dump();
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

}  // namespace perftrack::alerts
