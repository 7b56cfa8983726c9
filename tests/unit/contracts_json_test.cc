// The event messages, printed with protobuf's JSON printer (enums as
// integers), are Fig's payloads: the property names and values of
// FIG-CONTRACTS.md (unset nullables absent, which Fig's readers take as
// null). Fig's own JSON, explicit nulls included, parses back to the same
// message. (The exact bytes the relay sends, in Fig's order with nulls
// written, are tested with the payload renderer.)
#include <string>

#include "fig/webhooks/v1/events.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/core/events.h"

namespace relay {
namespace {

namespace v1 = ::fig::webhooks::v1;
using ::google::protobuf::TextFormat;
using ::google::protobuf::util::JsonParseOptions;
using ::google::protobuf::util::JsonPrintOptions;
using ::google::protobuf::util::JsonStringToMessage;
using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::MessageToJsonString;

struct Case {
  const char* name;
  // The Event, in text format.
  const char* event;
  // What Fig sends, nulls included.
  const char* fig_json;
};

const Case kCases[] = {
    {"SettingValueChanged",
     R"pb(setting_value_changed {
            client_name: "OrderSvc"
            updated_settings: "DbConn"
            username: "admin"
            link: "https://fig.example.com/"
            change_message: "rotate"
          })pb",
     R"({"ClientName":"OrderSvc","Instance":null,"UpdatedSettings":["DbConn"],"Username":"admin","Link":"https://fig.example.com/","ChangeMessage":"rotate","IsTest":false})"},
    {"ClientStatusChanged",
     R"pb(client_status_changed {
            client_name: "OrderSvc"
            instance: "blue"
            connection_event: CONNECTION_EVENT_DISCONNECTED
            start_time { seconds: 1748772000 nanos: 123000000 }
            ip_address: "10.0.0.7"
            hostname: "web-1"
            fig_version: "4.0.0"
            application_version: "1.2.3"
            link: "https://fig.example.com/clients"
          })pb",
     R"({"ClientName":"OrderSvc","Instance":"blue","ConnectionEvent":1,"StartTime":"2025-06-01T10:00:00.123Z","IpAddress":"10.0.0.7","Hostname":"web-1","FigVersion":"4.0.0","ApplicationVersion":"1.2.3","Link":"https://fig.example.com/clients","IsTest":false})"},
    {"MemoryLeakDetected",
     R"pb(memory_leak_detected {
            client_name: "OrderSvc"
            trend_line_slope: 1.5
            starting_bytes_average: 104857600
            ending_bytes_average: 209715200.5
            seconds_analyzed: 3600
            data_points_analyzed: 120
            link: "https://fig.example.com/insights"
            is_test: true
          })pb",
     R"({"ClientName":"OrderSvc","Instance":null,"TrendLineSlope":1.5,"StartingBytesAverage":104857600.0,"EndingBytesAverage":209715200.5,"SecondsAnalyzed":3600,"DataPointsAnalyzed":120,"Link":"https://fig.example.com/insights","IsTest":true})"},
    {"NewClientRegistration",
     R"pb(new_client_registration {
            client_name: "OrderSvc"
            settings: "DbConn"
            settings: "Timeout"
          })pb",
     R"({"ClientName":"OrderSvc","Instance":null,"Settings":["DbConn","Timeout"],"RegistrationType":0,"Link":null,"IsTest":false})"},
    {"UpdatedClientRegistration",
     R"pb(updated_client_registration {
            client_name: "OrderSvc"
            registration_type: REGISTRATION_TYPE_UPDATED
          })pb",
     R"({"ClientName":"OrderSvc","Instance":null,"Settings":[],"RegistrationType":1,"Link":null,"IsTest":false})"},
    {"MinRunSessions",
     R"pb(min_run_sessions {
            client_name: "OrderSvc"
            run_sessions: 1
            link: "https://fig.example.com/clients"
          })pb",
     R"({"ClientName":"OrderSvc","Instance":null,"RunSessions":1,"RunSessionsEvent":0,"Link":"https://fig.example.com/clients","IsTest":false})"},
    {"ConfigurationError",
     R"pb(configuration_error {
            client_name: "OrderSvc"
            status: CONFIGURATION_ERROR_STATUS_RESOLVED
            fig_version: "4.0.0"
            application_version: "1.2.3"
          })pb",
     R"({"ClientName":"OrderSvc","Instance":null,"Status":1,"FigVersion":"4.0.0","ApplicationVersion":"1.2.3","ConfigurationErrors":[],"Link":null,"IsTest":false})"},
    {"HealthStatusChanged",
     R"pb(health_status_changed {
            client_name: "OrderSvc"
            status: HEALTH_STATUS_DEGRADED
            fig_version: "4.0.0"
            application_version: "1.2.3"
            health_details {
              status: HEALTH_STATUS_DEGRADED
              components {
                name: "Database"
                status: HEALTH_STATUS_UNHEALTHY
                message: "timeout"
              }
              components { name: "Cache" }
            }
          })pb",
     R"({"ClientName":"OrderSvc","Instance":null,"Hostname":null,"IpAddress":null,"Status":1,"FigVersion":"4.0.0","ApplicationVersion":"1.2.3","HealthDetails":{"Status":1,"Components":[{"Name":"Database","Status":2,"Message":"timeout"},{"Name":"Cache","Status":0,"Message":null}]},"Link":null,"IsTest":false})"},
    {"SecurityEvent",
     R"pb(security_event {
            event_type: "Login"
            timestamp { seconds: 1748772000 }
            username: "admin"
            success: false
            failure_reason: "bad password"
            uri: "https://fig.example.com/security"
          })pb",
     R"({"EventType":"Login","Timestamp":"2025-06-01T10:00:00Z","Username":"admin","Success":false,"IpAddress":null,"Hostname":null,"FailureReason":"bad password","Uri":"https://fig.example.com/security","IsTest":false})"},
};

// `json` without its null members, at every depth.
nlohmann::json DropNulls(nlohmann::json json) {
  if (json.is_object()) {
    for (auto it = json.begin(); it != json.end();) {
      if (it->is_null()) {
        it = json.erase(it);
      } else {
        *it = DropNulls(*it);
        ++it;
      }
    }
  } else if (json.is_array()) {
    for (auto& item : json) item = DropNulls(item);
  }
  return json;
}

class ContractsJsonTest : public ::testing::TestWithParam<Case> {};

TEST_P(ContractsJsonTest, PrintsFigsJsonAndParsesItBack) {
  const Case& c = GetParam();
  v1::Event event;
  ASSERT_TRUE(TextFormat::ParseFromString(c.event, &event));
  const google::protobuf::Message& payload = PayloadOf(event);

  JsonPrintOptions print;
  print.always_print_primitive_fields = true;
  print.always_print_enums_as_ints = true;
  std::string json;
  ASSERT_TRUE(MessageToJsonString(payload, &json, print).ok());
  EXPECT_EQ(nlohmann::json::parse(json),
            DropNulls(nlohmann::json::parse(c.fig_json)))
      << json;

  for (const std::string& input : {json, std::string(c.fig_json)}) {
    std::unique_ptr<google::protobuf::Message> parsed(payload.New());
    ASSERT_TRUE(
        JsonStringToMessage(input, parsed.get(), JsonParseOptions()).ok())
        << input;
    EXPECT_TRUE(MessageDifferencer::Equals(*parsed, payload))
        << input << "\nparsed as " << parsed->ShortDebugString();
  }
}

INSTANTIATE_TEST_SUITE_P(Fig, ContractsJsonTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.name; });

// Fig's numbers, which go on the wire as integers.
TEST(ContractsJsonTest, EnumsKeepFigsNumbers) {
  EXPECT_EQ(v1::CONNECTION_EVENT_CONNECTED, 0);
  EXPECT_EQ(v1::CONNECTION_EVENT_DISCONNECTED, 1);
  EXPECT_EQ(v1::REGISTRATION_TYPE_NEW, 0);
  EXPECT_EQ(v1::REGISTRATION_TYPE_UPDATED, 1);
  EXPECT_EQ(v1::RUN_SESSIONS_EVENT_BELOW_MINIMUM, 0);
  EXPECT_EQ(v1::RUN_SESSIONS_EVENT_MINIMUM_RESTORED, 1);
  EXPECT_EQ(v1::CONFIGURATION_ERROR_STATUS_ERROR, 0);
  EXPECT_EQ(v1::CONFIGURATION_ERROR_STATUS_RESOLVED, 1);
  EXPECT_EQ(v1::HEALTH_STATUS_HEALTHY, 0);
  EXPECT_EQ(v1::HEALTH_STATUS_DEGRADED, 1);
  EXPECT_EQ(v1::HEALTH_STATUS_UNHEALTHY, 2);
  EXPECT_EQ(v1::HEALTH_STATUS_UNKNOWN, 3);
}

}  // namespace
}  // namespace relay
