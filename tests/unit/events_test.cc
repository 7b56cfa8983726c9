#include "server/core/events.h"

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "server/core/web_hook_type.h"
#include "server/delivery/payload.h"

namespace relay {
namespace {

namespace v1 = ::fig::webhooks::v1;

v1::Event Event(const char* text) {
  v1::Event e;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &e)) << text;
  return e;
}

TEST(EventsTest, ValidationNamesTheMissingField) {
  static const struct {
    const char* event;
    const char* message;  // "" for valid
  } kCases
      [] =
          {
              {"", "event: required, with one payload set"},
              {R"pb(setting_value_changed { updated_settings: "A" })pb",
               "event.setting_value_changed.client_name: required"},
              {R"pb(setting_value_changed { client_name: "X" })pb",
               "event.setting_value_changed.updated_settings: required"},
              {R"pb(setting_value_changed {
                      client_name: "X"
                      updated_settings: "A"
                    })pb",
               ""},
              {R"pb(client_status_changed { client_name: "X" })pb",
               "event.client_status_changed.start_time: required"},
              {R"pb(client_status_changed {
                      client_name: "X"
                      start_time {}
                      connection_event: 7
                    })pb",
               "event.client_status_changed.connection_event: 7 is not one of "
               "Fig's values"},
              {R"pb(security_event { timestamp {} })pb",
               "event.security_event.event_type: required"},
              {R"pb(security_event { event_type: "Login" })pb",
               "event.security_event.timestamp: required"},
              {R"pb(security_event {
                      event_type: "Login"
                      timestamp {}
                    })pb",
               ""},
              {R"pb(memory_leak_detected {})pb",
               "event.memory_leak_detected.client_name: required"},
              {R"pb(min_run_sessions { client_name: "X" })pb", ""},
          };
  for (const auto& c : kCases) {
    absl::Status s = ValidateEvent(Event(c.event), "event");
    if (*c.message == '\0') {
      EXPECT_TRUE(s.ok()) << c.event << ": " << s;
    } else {
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.event;
      EXPECT_EQ(s.message(), c.message) << c.event;
    }
  }
}

TEST(EventsTest, NormalizeFillsLinkAndRegistrationType) {
  v1::Event e = Event(R"pb(min_run_sessions { client_name: "X" })pb");
  NormalizeEvent("https://fig.example.com", &e);
  EXPECT_EQ(e.min_run_sessions().link(), "https://fig.example.com/clients");

  v1::Event kept =
      Event(R"pb(min_run_sessions { client_name: "X" link: "mine" })pb");
  NormalizeEvent("https://fig.example.com/", &kept);
  EXPECT_EQ(kept.min_run_sessions().link(), "mine");

  v1::Event security = Event(R"pb(security_event { event_type: "Login" })pb");
  NormalizeEvent("https://fig.example.com/", &security);
  EXPECT_EQ(security.security_event().uri(),
            "https://fig.example.com/security");

  v1::Event svc = Event(R"pb(setting_value_changed { client_name: "X" })pb");
  NormalizeEvent("https://fig.example.com/", &svc);
  EXPECT_EQ(svc.setting_value_changed().link(), "https://fig.example.com/");

  v1::Event none = Event(R"pb(min_run_sessions { client_name: "X" })pb");
  NormalizeEvent("", &none);
  EXPECT_FALSE(none.min_run_sessions().has_link());

  v1::Event reg =
      Event(R"pb(updated_client_registration { client_name: "X" })pb");
  NormalizeEvent("", &reg);
  EXPECT_EQ(reg.updated_client_registration().registration_type(),
            v1::REGISTRATION_TYPE_UPDATED);
}

TEST(EventsTest, EveryTypeHasAValidTestPayload) {
  for (v1::WebHookType type : kAllWebHookTypes) {
    v1::Event e = TestEvent(type, absl::FromUnixSeconds(1748772000));
    EXPECT_EQ(TypeOf(e), type) << RouteOf(type);
    EXPECT_TRUE(ValidateEvent(e, "event").ok()) << RouteOf(type);
    EXPECT_THAT(RenderPayload(e), ::testing::HasSubstr("\"IsTest\":true"));
  }
}

// The exact bytes: Fig's property order, nulls written, enums as integers.
TEST(PayloadTest, RendersFigsExactJson) {
  static const struct {
    const char* event;
    const char* json;
  } kCases[] = {
      {R"pb(setting_value_changed {
              client_name: "OrderSvc"
              updated_settings: "DbConn"
              username: "admin"
              link: "https://fig.example.com/"
              change_message: "rotate"
            })pb",
       R"({"ClientName":"OrderSvc","Instance":null,"UpdatedSettings":["DbConn"],"Username":"admin","Link":"https://fig.example.com/","ChangeMessage":"rotate","IsTest":false})"},
      {R"pb(health_status_changed {
              client_name: "OrderSvc"
              status: HEALTH_STATUS_DEGRADED
              health_details {
                status: HEALTH_STATUS_DEGRADED
                components { name: "Db" status: HEALTH_STATUS_UNHEALTHY }
              }
            })pb",
       R"({"ClientName":"OrderSvc","Instance":null,"Hostname":null,"IpAddress":null,"Status":1,"FigVersion":"","ApplicationVersion":"","HealthDetails":{"Status":1,"Components":[{"Name":"Db","Status":2,"Message":null}]},"Link":null,"IsTest":false})"},
      {R"pb(client_status_changed {
              client_name: "OrderSvc"
              start_time { seconds: 1748772000 nanos: 123000000 }
            })pb",
       R"({"ClientName":"OrderSvc","Instance":null,"ConnectionEvent":0,"StartTime":"2025-06-01T10:00:00.123Z","IpAddress":null,"Hostname":null,"FigVersion":"","ApplicationVersion":"","Link":null,"IsTest":false})"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(RenderPayload(Event(c.event)), c.json);
  }
}

}  // namespace
}  // namespace relay
