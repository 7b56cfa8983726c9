// The nine web hook types: their routes, and which event payload each takes.
#ifndef SERVER_CORE_WEB_HOOK_TYPE_H_
#define SERVER_CORE_WEB_HOOK_TYPE_H_

#include <array>

#include "absl/strings/string_view.h"
#include "fig/webhooks/v1/events.pb.h"
#include "fig/webhooks/v1/resources.pb.h"

namespace relay {

using ::fig::webhooks::v1::WebHookType;

// Every valid type, in enum order.
extern const std::array<WebHookType, 9> kAllWebHookTypes;

// True for the nine types, false for UNSPECIFIED and unknown numbers.
bool IsValidWebHookType(int type);

// The route (Fig's type name, e.g. "SettingValueChanged"); "" if invalid.
absl::string_view RouteOf(WebHookType type);

// The type an event is delivered as; UNSPECIFIED when no payload is set.
WebHookType TypeOf(const fig::webhooks::v1::Event& event);

// The suffix Fig appends to its web address for Link ("clients", ...).
absl::string_view LinkSuffixOf(WebHookType type);

}  // namespace relay

#endif  // SERVER_CORE_WEB_HOOK_TYPE_H_
