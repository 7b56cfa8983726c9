#include "server/core/events.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/core/web_hook_type.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;

namespace {

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(t));
  return out;
}

}  // namespace

const google::protobuf::Message& PayloadOf(const v1::Event& event) {
  const auto* field = event.GetDescriptor()->FindFieldByNumber(
      static_cast<int>(event.payload_case()));
  return event.GetReflection()->GetMessage(event, field);
}

absl::Status ValidateEvent(const v1::Event& event, absl::string_view prefix) {
  if (event.payload_case() == v1::Event::PAYLOAD_NOT_SET) {
    return absl::InvalidArgumentError(
        absl::StrCat(prefix, ": required, with one payload set"));
  }
  const google::protobuf::Message& payload = PayloadOf(event);
  const auto* descriptor = payload.GetDescriptor();
  const auto* reflection = payload.GetReflection();
  std::string where = absl::StrCat(
      prefix, ".",
      event.GetDescriptor()->FindFieldByNumber(event.payload_case())->name(),
      ".");
  auto required = [&](absl::string_view field) {
    return absl::InvalidArgumentError(absl::StrCat(where, field, ": required"));
  };
  // Every enum must hold one of Fig's values: an unknown number would reach
  // integrations that cannot read it.
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    if (field->enum_type() != nullptr && !field->is_repeated() &&
        field->enum_type()->FindValueByNumber(
            reflection->GetEnumValue(payload, field)) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, field->name(), ": ", reflection->GetEnumValue(payload, field),
          " is not one of Fig's values"));
    }
  }
  if (event.has_security_event()) {
    if (event.security_event().event_type().empty())
      return required("event_type");
    if (!event.security_event().has_timestamp()) return required("timestamp");
    return absl::OkStatus();
  }
  const auto* name = descriptor->FindFieldByName("client_name");
  if (reflection->GetString(payload, name).empty())
    return required("client_name");
  if (event.has_setting_value_changed() &&
      event.setting_value_changed().updated_settings_size() == 0) {
    return required("updated_settings");
  }
  if (event.has_client_status_changed() &&
      !event.client_status_changed().has_start_time()) {
    return required("start_time");
  }
  return absl::OkStatus();
}

void NormalizeEvent(absl::string_view fig_web_url, v1::Event* event) {
  if (event->has_new_client_registration()) {
    event->mutable_new_client_registration()->set_registration_type(
        v1::REGISTRATION_TYPE_NEW);
  }
  if (event->has_updated_client_registration()) {
    event->mutable_updated_client_registration()->set_registration_type(
        v1::REGISTRATION_TYPE_UPDATED);
  }
  if (fig_web_url.empty()) return;
  google::protobuf::Message& payload =
      const_cast<google::protobuf::Message&>(PayloadOf(*event));
  const auto* link = payload.GetDescriptor()->FindFieldByName(
      event->has_security_event() ? "uri" : "link");
  if (payload.GetReflection()->HasField(payload, link)) return;
  std::string base(fig_web_url);
  if (!absl::EndsWith(base, "/")) base += "/";
  payload.GetReflection()->SetString(
      &payload, link, absl::StrCat(base, LinkSuffixOf(TypeOf(*event))));
}

v1::Event TestEvent(v1::WebHookType type, absl::Time now) {
  v1::Event e;
  switch (type) {
    case v1::CLIENT_STATUS_CHANGED: {
      auto* p = e.mutable_client_status_changed();
      p->set_client_name("Test");
      p->set_connection_event(v1::CONNECTION_EVENT_CONNECTED);
      *p->mutable_start_time() = ToProto(now);
      p->set_ip_address("127.0.0.1");
      p->set_hostname("test-host");
      p->set_fig_version("1.0.0");
      p->set_application_version("1.0.0");
      p->set_is_test(true);
      break;
    }
    case v1::SETTING_VALUE_CHANGED: {
      auto* p = e.mutable_setting_value_changed();
      p->set_client_name("Test");
      p->add_updated_settings("TestSetting");
      p->set_username("test-user");
      p->set_change_message("Test change");
      p->set_is_test(true);
      break;
    }
    case v1::MEMORY_LEAK_DETECTED: {
      auto* p = e.mutable_memory_leak_detected();
      p->set_client_name("Test");
      p->set_trend_line_slope(1.5);
      p->set_starting_bytes_average(100000000);
      p->set_ending_bytes_average(150000000);
      p->set_seconds_analyzed(3600);
      p->set_data_points_analyzed(120);
      p->set_is_test(true);
      break;
    }
    case v1::NEW_CLIENT_REGISTRATION:
    case v1::UPDATED_CLIENT_REGISTRATION: {
      auto* p = type == v1::NEW_CLIENT_REGISTRATION
                    ? e.mutable_new_client_registration()
                    : e.mutable_updated_client_registration();
      p->set_client_name("Test");
      p->add_settings("TestSetting");
      p->set_is_test(true);
      break;
    }
    case v1::MIN_RUN_SESSIONS: {
      auto* p = e.mutable_min_run_sessions();
      p->set_client_name("Test");
      p->set_run_sessions(1);
      p->set_run_sessions_event(v1::RUN_SESSIONS_EVENT_BELOW_MINIMUM);
      p->set_is_test(true);
      break;
    }
    case v1::CONFIGURATION_ERROR: {
      auto* p = e.mutable_configuration_error();
      p->set_client_name("Test");
      p->set_status(v1::CONFIGURATION_ERROR_STATUS_ERROR);
      p->set_fig_version("1.0.0");
      p->set_application_version("1.0.0");
      p->add_configuration_errors("Test configuration error");
      p->set_is_test(true);
      break;
    }
    case v1::HEALTH_STATUS_CHANGED: {
      auto* p = e.mutable_health_status_changed();
      p->set_client_name("Test");
      p->set_status(v1::HEALTH_STATUS_DEGRADED);
      p->set_fig_version("1.0.0");
      p->set_application_version("1.0.0");
      p->mutable_health_details()->set_status(v1::HEALTH_STATUS_DEGRADED);
      auto* component = p->mutable_health_details()->add_components();
      component->set_name("Test");
      component->set_status(v1::HEALTH_STATUS_DEGRADED);
      p->set_is_test(true);
      break;
    }
    case v1::SECURITY_EVENT: {
      auto* p = e.mutable_security_event();
      p->set_event_type("Login");
      *p->mutable_timestamp() = ToProto(now);
      p->set_username("test-user");
      p->set_success(true);
      p->set_is_test(true);
      break;
    }
    default:
      break;
  }
  return e;
}

}  // namespace relay
