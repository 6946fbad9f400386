#pragma once
// After a check: tell each channel what it should hear, and remember what could not be told.
// - Chat and webhooks hear about a check only when it opened a new alert or an earlier
//   announcement to them is still pending: the same regression is announced once.
// - GitHub hears every check (its commit status and PR comment show the current state).
// - Every alert announced to a channel gets a delivery record: delivered, or pending with the
//   redacted error, so the next check of the same scope sends it again.

#include <memory>
#include <vector>

#include "alerts/alert_sink.hpp"
#include "alerts/lifecycle.hpp"
#include "store/store.hpp"

namespace perftrack::alerts {

struct ChannelReport {
    DeliveryResult result;
    bool sent = false;          // false: nothing new to announce on this channel
    std::size_t announced = 0;  // alerts this delivery announced
};

// Delivers `notice` (its new_alerts is set here) through `sinks` according to the rules above.
// Failures are results, never exceptions, except StoreError while recording (the caller turns
// that into a warning too).
std::vector<ChannelReport> dispatch(const std::vector<std::unique_ptr<AlertSink>>& sinks,
                                    store::AlertStore& store, const CheckScope& scope,
                                    const AlertChanges& changes, CheckNotice notice);

}  // namespace perftrack::alerts
