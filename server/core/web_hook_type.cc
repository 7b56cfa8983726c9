#include "server/core/web_hook_type.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;

const std::array<WebHookType, 9> kAllWebHookTypes = {
    v1::CLIENT_STATUS_CHANGED,
    v1::SETTING_VALUE_CHANGED,
    v1::MEMORY_LEAK_DETECTED,
    v1::NEW_CLIENT_REGISTRATION,
    v1::UPDATED_CLIENT_REGISTRATION,
    v1::MIN_RUN_SESSIONS,
    v1::CONFIGURATION_ERROR,
    v1::HEALTH_STATUS_CHANGED,
    v1::SECURITY_EVENT,
};

bool IsValidWebHookType(int type) {
  return type != v1::WEB_HOOK_TYPE_UNSPECIFIED && v1::WebHookType_IsValid(type);
}

absl::string_view RouteOf(WebHookType type) {
  switch (type) {
    case v1::CLIENT_STATUS_CHANGED:
      return "ClientStatusChanged";
    case v1::SETTING_VALUE_CHANGED:
      return "SettingValueChanged";
    case v1::MEMORY_LEAK_DETECTED:
      return "MemoryLeakDetected";
    case v1::NEW_CLIENT_REGISTRATION:
      return "NewClientRegistration";
    case v1::UPDATED_CLIENT_REGISTRATION:
      return "UpdatedClientRegistration";
    case v1::MIN_RUN_SESSIONS:
      return "MinRunSessions";
    case v1::CONFIGURATION_ERROR:
      return "ConfigurationError";
    case v1::HEALTH_STATUS_CHANGED:
      return "HealthStatusChanged";
    case v1::SECURITY_EVENT:
      return "SecurityEvent";
    default:
      return "";
  }
}

WebHookType TypeOf(const v1::Event& event) {
  switch (event.payload_case()) {
    case v1::Event::kClientStatusChanged:
      return v1::CLIENT_STATUS_CHANGED;
    case v1::Event::kSettingValueChanged:
      return v1::SETTING_VALUE_CHANGED;
    case v1::Event::kMemoryLeakDetected:
      return v1::MEMORY_LEAK_DETECTED;
    case v1::Event::kNewClientRegistration:
      return v1::NEW_CLIENT_REGISTRATION;
    case v1::Event::kUpdatedClientRegistration:
      return v1::UPDATED_CLIENT_REGISTRATION;
    case v1::Event::kMinRunSessions:
      return v1::MIN_RUN_SESSIONS;
    case v1::Event::kConfigurationError:
      return v1::CONFIGURATION_ERROR;
    case v1::Event::kHealthStatusChanged:
      return v1::HEALTH_STATUS_CHANGED;
    case v1::Event::kSecurityEvent:
      return v1::SECURITY_EVENT;
    case v1::Event::PAYLOAD_NOT_SET:
      break;
  }
  return v1::WEB_HOOK_TYPE_UNSPECIFIED;
}

absl::string_view LinkSuffixOf(WebHookType type) {
  switch (type) {
    case v1::CLIENT_STATUS_CHANGED:
    case v1::MIN_RUN_SESSIONS:
    case v1::HEALTH_STATUS_CHANGED:
      return "clients";
    case v1::SECURITY_EVENT:
      return "security";
    case v1::MEMORY_LEAK_DETECTED:
      return "insights";
    default:
      return "";
  }
}

}  // namespace relay
