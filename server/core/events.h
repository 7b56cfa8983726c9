// Events as published: validation, normalisation, and the canned test
// payloads. Pure logic, no I/O.
#ifndef SERVER_CORE_EVENTS_H_
#define SERVER_CORE_EVENTS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fig/webhooks/v1/events.pb.h"
#include "fig/webhooks/v1/resources.pb.h"

namespace relay {

// InvalidArgument naming the first missing required field, as
// "<prefix>.<payload>.<field>: required", e.g.
// "event.setting_value_changed.client_name: required". Required: a payload;
// ClientName (EventType for SecurityEvent); at least one UpdatedSettings for
// SettingValueChanged; StartTime of ClientStatusChanged and Timestamp of
// SecurityEvent; enum values Fig defines.
absl::Status ValidateEvent(const fig::webhooks::v1::Event& event,
                           absl::string_view prefix);

// What the relay fills in before routing: RegistrationType from the route,
// and Link (Uri for SecurityEvent) from `fig_web_url` plus the route's suffix
// when the event carries none and fig_web_url is set.
void NormalizeEvent(absl::string_view fig_web_url,
                    fig::webhooks::v1::Event* event);

// The canned payload TestClient sends for `type`: ClientName "Test",
// IsTest true, plausible values elsewhere.
fig::webhooks::v1::Event TestEvent(fig::webhooks::v1::WebHookType type,
                                   absl::Time now);

// The payload message inside an event (the oneof's set field).
const google::protobuf::Message& PayloadOf(
    const fig::webhooks::v1::Event& event);

}  // namespace relay

#endif  // SERVER_CORE_EVENTS_H_
