// Events in, web hooks out: the in-process relay on a fake clock delivers to
// real HTTP receivers on loopback.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "server/crypto/secrets.h"
#include "tests/support/grpc_call.h"
#include "tests/support/in_process_relay.h"
#include "tests/support/receiver.h"

namespace relay::testing {
namespace {

namespace v1 = ::fig::webhooks::v1;
using Admin = v1::WebHookAdmin::Stub;
using Ingest = v1::EventIngest::Stub;
using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;

RelayOptions ExactTiming() {
  RelayOptions options;
  options.retry_jitter = 0;
  options.fig_web_url = "https://fig.example.com/";
  return options;
}

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

// Helpers over one relay.
class Api {
 public:
  explicit Api(InProcessRelay& relay) : relay_(relay) {}

  v1::CreateClientResponse CreateClient(const std::string& name,
                                        const std::string& base_uri,
                                        bool authorization = true) {
    v1::CreateClientRequest req;
    req.set_name(name);
    req.set_base_uri(base_uri);
    req.set_send_authorization_header(authorization);
    v1::CreateClientResponse resp;
    grpc::Status s = Call(relay_.admin.get(), &Admin::CreateClient, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  std::string CreateHook(const std::string& client_id, v1::WebHookType type,
                         const std::string& setting_re = ".*") {
    v1::CreateWebHookRequest req;
    req.mutable_web_hook()->set_client_id(client_id);
    req.mutable_web_hook()->set_type(type);
    req.mutable_web_hook()->set_client_name_regex(".*");
    req.mutable_web_hook()->set_setting_name_regex(setting_re);
    req.mutable_web_hook()->set_min_sessions(1);
    v1::CreateWebHookResponse resp;
    grpc::Status s =
        Call(relay_.admin.get(), &Admin::CreateWebHook, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.web_hook().id();
  }

  grpc::Status Publish(const std::string& event_text, v1::PublishResponse* resp,
                       const std::string& key = "") {
    v1::PublishRequest req;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
        event_text, req.mutable_event()))
        << event_text;
    req.set_idempotency_key(key);
    return Call(relay_.ingest.get(), &Ingest::Publish, req, resp);
  }

  v1::PublishResponse MustPublish(const std::string& event_text,
                                  const std::string& key = "") {
    v1::PublishResponse resp;
    grpc::Status s = Publish(event_text, &resp, key);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  std::vector<v1::Delivery> Deliveries(v1::ListDeliveriesRequest req = {}) {
    v1::ListDeliveriesResponse resp;
    EXPECT_TRUE(
        Call(relay_.admin.get(), &Admin::ListDeliveries, req, &resp).ok());
    return {resp.deliveries().begin(), resp.deliveries().end()};
  }

  v1::Delivery Get(const std::string& id) {
    v1::GetDeliveryRequest req;
    req.set_id(id);
    v1::Delivery d;
    EXPECT_TRUE(Call(relay_.admin.get(), &Admin::GetDelivery, req, &d).ok());
    return d;
  }

  // The only delivery, once it has `attempts` attempts.
  v1::Delivery WaitForAttempts(int attempts) {
    v1::Delivery d;
    EXPECT_TRUE(Eventually([&] {
      auto all = Deliveries();
      if (all.size() != 1) return false;
      d = Get(all[0].id());
      return d.attempt_count() >= attempts;
    })) << "attempts: "
        << d.attempt_count() << " of " << attempts;
    return d;
  }

 private:
  InProcessRelay& relay_;
};

class DeliveryTest : public ::testing::Test {
 protected:
  DeliveryTest() : relay_(ExactTiming()), api_(relay_) {}

  Receiver receiver_;
  InProcessRelay relay_;
  Api api_;
};

constexpr char kSettingChanged[] =
    R"pb(setting_value_changed {
           client_name: "OrderSvc"
           updated_settings: [ "DbConn", "Timeout" ]
           change_message: "rotate"
         })pb";

TEST_F(DeliveryTest, EachTypeReachesItsRouteWithFigsJsonAndHeaders) {
  v1::CreateClientResponse client =
      api_.CreateClient("sink", receiver_.Url("/hooks/"));
  for (v1::WebHookType type :
       {v1::CLIENT_STATUS_CHANGED, v1::SETTING_VALUE_CHANGED,
        v1::MEMORY_LEAK_DETECTED, v1::NEW_CLIENT_REGISTRATION,
        v1::UPDATED_CLIENT_REGISTRATION, v1::MIN_RUN_SESSIONS,
        v1::CONFIGURATION_ERROR, v1::HEALTH_STATUS_CHANGED,
        v1::SECURITY_EVENT}) {
    api_.CreateHook(client.client().id(), type, "^Db");
  }
  static const struct {
    const char* route;
    const char* event;
    const char* body;
  } kGolden[] = {
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
            })pb",
       R"({"ClientName":"OrderSvc","Instance":"blue","ConnectionEvent":1,"StartTime":"2025-06-01T10:00:00.123Z","IpAddress":"10.0.0.7","Hostname":"web-1","FigVersion":"4.0.0","ApplicationVersion":"1.2.3","Link":"https://fig.example.com/clients","IsTest":false})"},
      {"SettingValueChanged", kSettingChanged,
       R"({"ClientName":"OrderSvc","Instance":null,"UpdatedSettings":["DbConn"],"Username":null,"Link":"https://fig.example.com/","ChangeMessage":"rotate","IsTest":false})"},
      {"MemoryLeakDetected",
       R"pb(memory_leak_detected {
              client_name: "OrderSvc"
              trend_line_slope: 1.5
              starting_bytes_average: 1000.25
              ending_bytes_average: 2000.5
              seconds_analyzed: 3600
              data_points_analyzed: 120
            })pb",
       R"({"ClientName":"OrderSvc","Instance":null,"TrendLineSlope":1.5,"StartingBytesAverage":1000.25,"EndingBytesAverage":2000.5,"SecondsAnalyzed":3600,"DataPointsAnalyzed":120,"Link":"https://fig.example.com/insights","IsTest":false})"},
      {"NewClientRegistration",
       R"pb(new_client_registration {
              client_name: "OrderSvc"
              settings: [ "DbConn", "Timeout" ]
            })pb",
       R"({"ClientName":"OrderSvc","Instance":null,"Settings":["DbConn","Timeout"],"RegistrationType":0,"Link":"https://fig.example.com/","IsTest":false})"},
      {"UpdatedClientRegistration",
       R"pb(updated_client_registration {
              client_name: "OrderSvc"
              settings: [ "DbConn" ]
            })pb",
       R"({"ClientName":"OrderSvc","Instance":null,"Settings":["DbConn"],"RegistrationType":1,"Link":"https://fig.example.com/","IsTest":false})"},
      {"MinRunSessions",
       R"pb(min_run_sessions {
              client_name: "OrderSvc"
              run_sessions: 1
              run_sessions_event: RUN_SESSIONS_EVENT_BELOW_MINIMUM
            })pb",
       R"({"ClientName":"OrderSvc","Instance":null,"RunSessions":1,"RunSessionsEvent":0,"Link":"https://fig.example.com/clients","IsTest":false})"},
      {"ConfigurationError",
       R"pb(configuration_error {
              client_name: "OrderSvc"
              status: CONFIGURATION_ERROR_STATUS_ERROR
              fig_version: "4.0.0"
              application_version: "1.2.3"
              configuration_errors: "DbConn is empty"
            })pb",
       R"({"ClientName":"OrderSvc","Instance":null,"Status":0,"FigVersion":"4.0.0","ApplicationVersion":"1.2.3","ConfigurationErrors":["DbConn is empty"],"Link":"https://fig.example.com/","IsTest":false})"},
      {"HealthStatusChanged",
       R"pb(health_status_changed {
              client_name: "OrderSvc"
              status: HEALTH_STATUS_UNHEALTHY
              fig_version: "4.0.0"
              application_version: "1.2.3"
              health_details {
                status: HEALTH_STATUS_UNHEALTHY
                components {
                  name: "Db"
                  status: HEALTH_STATUS_UNHEALTHY
                  message: "down"
                }
              }
            })pb",
       R"({"ClientName":"OrderSvc","Instance":null,"Hostname":null,"IpAddress":null,"Status":2,"FigVersion":"4.0.0","ApplicationVersion":"1.2.3","HealthDetails":{"Status":2,"Components":[{"Name":"Db","Status":2,"Message":"down"}]},"Link":"https://fig.example.com/clients","IsTest":false})"},
      {"SecurityEvent",
       R"pb(security_event {
              event_type: "Login"
              timestamp { seconds: 1748772000 }
              username: "admin"
              success: true
            })pb",
       R"({"EventType":"Login","Timestamp":"2025-06-01T10:00:00Z","Username":"admin","Success":true,"IpAddress":null,"Hostname":null,"FailureReason":null,"Uri":"https://fig.example.com/security","IsTest":false})"},
  };
  for (const auto& golden : kGolden) {
    EXPECT_EQ(api_.MustPublish(golden.event).delivery_count(), 1)
        << golden.route;
  }
  auto requests = receiver_.WaitFor(9);
  ASSERT_EQ(requests.size(), 9u);
  EXPECT_TRUE(Eventually([&] {
    v1::ListDeliveriesRequest req;
    req.set_state(v1::DELIVERY_STATE_SUCCEEDED);
    return api_.Deliveries(req).size() == 9;
  }));
  const int64_t now = absl::ToUnixSeconds(relay_.clock.Now());
  for (const auto& golden : kGolden) {
    auto it =
        std::find_if(requests.begin(), requests.end(), [&](const auto& r) {
          return r.path == absl::StrCat("/hooks/", golden.route);
        });
    ASSERT_NE(it, requests.end()) << golden.route;
    EXPECT_EQ(it->body, golden.body) << golden.route;
    EXPECT_EQ(it->Header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(it->Header("Authorization"), "Secret " + client.secret());
    EXPECT_EQ(it->Header("webhook-timestamp"), absl::StrCat(now));
    const std::string id = it->Header("webhook-id");
    EXPECT_EQ(it->Header("webhook-signature"),
              SignPayload(SigningKey(client.secret()), id, now, it->body));
    v1::Delivery d = api_.Get(id);
    EXPECT_EQ(d.url(), receiver_.Url(absl::StrCat("/hooks/", golden.route)));
    EXPECT_EQ(d.payload(), golden.body);
  }
}

TEST_F(DeliveryTest, RetriesFollowTheScheduleUntilTheReceiverIsBack) {
  int port;
  {
    Receiver gone;
    port = gone.port();
  }  // nothing listens there now
  api_.CreateHook(
      api_.CreateClient("down", absl::StrCat("http://127.0.0.1:", port, "/"))
          .client()
          .id(),
      v1::SETTING_VALUE_CHANGED);
  const absl::Time t0 = relay_.clock.Now();
  api_.MustPublish(kSettingChanged);

  const absl::Duration kSchedule[] = {absl::Seconds(5), absl::Minutes(5),
                                      absl::Minutes(30)};
  absl::Time due = t0;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    v1::Delivery d = api_.WaitForAttempts(attempt);
    ASSERT_EQ(d.attempts_size(), attempt);
    const v1::DeliveryAttempt& last = d.attempts(attempt - 1);
    EXPECT_EQ(ToTime(last.time()), due);
    EXPECT_EQ(last.http_status(), 0);
    EXPECT_THAT(last.error(), ::testing::Not(::testing::IsEmpty()));
    EXPECT_EQ(d.state(), v1::DELIVERY_STATE_PENDING);
    due += kSchedule[attempt - 1];
    EXPECT_EQ(ToTime(d.next_attempt_time()), due);
    // Not before it is due.
    relay_.Advance(kSchedule[attempt - 1] - absl::Seconds(1));
    EXPECT_EQ(api_.Get(d.id()).attempt_count(), attempt);
    if (attempt == 3) break;
    relay_.Advance(absl::Seconds(1));
  }
  Receiver back(port);
  relay_.Advance(absl::Seconds(1));
  ASSERT_EQ(back.WaitFor(1).size(), 1u);
  v1::Delivery d = api_.WaitForAttempts(4);
  EXPECT_EQ(d.state(), v1::DELIVERY_STATE_SUCCEEDED);
  EXPECT_EQ(d.attempts(3).http_status(), 200);
  EXPECT_EQ(d.attempts(3).response_body(), "answered 200");
  EXPECT_EQ(back.Requests()[0].Header("webhook-id"), d.id());
}

TEST_F(DeliveryTest, GoneEndsRetries) {
  receiver_.SetStatus(410);
  api_.CreateHook(api_.CreateClient("gone", receiver_.Url("/")).client().id(),
                  v1::SETTING_VALUE_CHANGED);
  api_.MustPublish(kSettingChanged);
  v1::Delivery d = api_.WaitForAttempts(1);
  EXPECT_TRUE(Eventually([&] {
    d = api_.Get(d.id());
    return d.state() == v1::DELIVERY_STATE_DEAD;
  }));
  EXPECT_EQ(d.attempts(0).http_status(), 410);
  EXPECT_EQ(d.attempts(0).error(), "HTTP 410");
  EXPECT_EQ(d.attempts(0).response_body(), "answered 410");
  relay_.Advance(absl::Hours(48));
  EXPECT_EQ(api_.Get(d.id()).attempt_count(), 1);
}

TEST_F(DeliveryTest, RetryAfterIsHonoured) {
  receiver_.SetStatus(429, "120");
  api_.CreateHook(api_.CreateClient("busy", receiver_.Url("/")).client().id(),
                  v1::SETTING_VALUE_CHANGED);
  const absl::Time t0 = relay_.clock.Now();
  api_.MustPublish(kSettingChanged);
  v1::Delivery d = api_.WaitForAttempts(1);
  EXPECT_EQ(d.attempts(0).http_status(), 429);
  EXPECT_EQ(ToTime(d.next_attempt_time()), t0 + absl::Seconds(120));
}

TEST(DeliveryDeadTest, DeadAfterTheLastAttemptAndRedeliverBringsItThrough) {
  Receiver receiver;
  receiver.SetStatus(500);
  RelayOptions options = ExactTiming();
  options.retry_schedule = {absl::ZeroDuration(), absl::Seconds(5),
                            absl::Minutes(1)};
  InProcessRelay relay(options);
  Api api(relay);
  api.CreateHook(api.CreateClient("flaky", receiver.Url("/")).client().id(),
                 v1::SETTING_VALUE_CHANGED);
  api.MustPublish(kSettingChanged);
  api.WaitForAttempts(1);
  relay.Advance(absl::Seconds(5));
  api.WaitForAttempts(2);
  relay.Advance(absl::Minutes(1));
  v1::Delivery d = api.WaitForAttempts(3);
  EXPECT_EQ(d.state(), v1::DELIVERY_STATE_DEAD);
  EXPECT_FALSE(d.has_next_attempt_time());
  for (const auto& a : d.attempts()) EXPECT_EQ(a.http_status(), 500);

  receiver.SetStatus(204);
  v1::RedeliverDeliveryRequest req;
  req.set_id(d.id());
  v1::Delivery queued;
  ASSERT_TRUE(
      Call(relay.admin.get(), &Admin::RedeliverDelivery, req, &queued).ok());
  EXPECT_EQ(queued.state(), v1::DELIVERY_STATE_PENDING);
  d = api.WaitForAttempts(4);
  EXPECT_EQ(d.state(), v1::DELIVERY_STATE_SUCCEEDED);
  EXPECT_TRUE(d.attempts(3).manual());
  EXPECT_EQ(d.attempts(3).http_status(), 204);
  auto requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 4u);
  for (const auto& r : requests) EXPECT_EQ(r.Header("webhook-id"), d.id());
}

TEST_F(DeliveryTest, IdempotencyKeyCreatesNothingTwiceWithin24Hours) {
  api_.CreateHook(api_.CreateClient("sink", receiver_.Url("/")).client().id(),
                  v1::SETTING_VALUE_CHANGED);
  v1::PublishResponse first = api_.MustPublish(kSettingChanged, "change-42");
  v1::PublishResponse again = api_.MustPublish(kSettingChanged, "change-42");
  EXPECT_FALSE(first.duplicate());
  EXPECT_EQ(first.delivery_count(), 1);
  EXPECT_TRUE(again.duplicate());
  EXPECT_EQ(again.event_id(), first.event_id());
  EXPECT_EQ(again.delivery_count(), 0);
  EXPECT_EQ(api_.Deliveries().size(), 1u);

  relay_.clock.Advance(absl::Hours(25));
  v1::PublishResponse later = api_.MustPublish(kSettingChanged, "change-42");
  EXPECT_FALSE(later.duplicate());
  EXPECT_NE(later.event_id(), first.event_id());
}

TEST_F(DeliveryTest, PublishRejectsBadEventsNamingTheField) {
  v1::PublishResponse resp;
  grpc::Status s =
      api_.Publish(R"pb(setting_value_changed { client_name: "X" })pb", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "event.setting_value_changed.updated_settings: required");
  s = api_.Publish("", &resp);
  EXPECT_EQ(s.error_message(), "event: required, with one payload set");

  v1::PublishBatchRequest batch;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(events { event { min_run_sessions { client_name: "A" } } }
           events { event { min_run_sessions {} } })pb",
      &batch));
  v1::PublishBatchResponse batched;
  s = Call(relay_.ingest.get(), &Ingest::PublishBatch, batch, &batched);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "events[1].event.min_run_sessions.client_name: required");
  s = Call(relay_.ingest.get(), &Ingest::PublishBatch,
           v1::PublishBatchRequest(), &batched);
  EXPECT_THAT(s.error_message(), HasSubstr("events: 1 to 1000 events"));
}

TEST_F(DeliveryTest, PublishBatchIsOneCommitWithOneResultPerEvent) {
  api_.CreateHook(api_.CreateClient("sink", receiver_.Url("/")).client().id(),
                  v1::MIN_RUN_SESSIONS);
  v1::PublishBatchRequest batch;
  for (int i = 0; i < 50; ++i) {
    v1::PublishRequest* r = batch.add_events();
    r->mutable_event()->mutable_min_run_sessions()->set_client_name(
        absl::StrCat("c", i));
    r->set_idempotency_key(i < 2 ? "same" : "");
  }
  v1::PublishBatchResponse resp;
  ASSERT_TRUE(
      Call(relay_.ingest.get(), &Ingest::PublishBatch, batch, &resp).ok());
  ASSERT_EQ(resp.results_size(), 50);
  EXPECT_FALSE(resp.results(0).duplicate());
  EXPECT_TRUE(resp.results(1).duplicate());  // same key within the batch
  EXPECT_EQ(resp.results(1).event_id(), resp.results(0).event_id());
  EXPECT_EQ(receiver_.WaitFor(49).size(), 49u);
}

TEST_F(DeliveryTest, RegistrationsUpdateTheCatalog) {
  api_.MustPublish(R"pb(new_client_registration {
                          client_name: "OrderSvc"
                          settings: [ "Timeout", "DbConn", "DbConn" ]
                        })pb");
  v1::ListSettingClientsResponse catalog;
  ASSERT_TRUE(Call(relay_.admin.get(), &Admin::ListSettingClients,
                   v1::ListSettingClientsRequest(), &catalog)
                  .ok());
  ASSERT_EQ(catalog.setting_clients_size(), 1);
  EXPECT_THAT(catalog.setting_clients(0).settings(),
              ::testing::ElementsAre("DbConn", "Timeout"));
}

TEST(DeliveryBoundTest, ASlowClientDoesNotStarveTheOthers) {
  Receiver slow, fast;
  slow.CloseGate();
  RelayOptions options = ExactTiming();
  options.max_in_flight = 4;
  options.max_in_flight_per_client = 2;
  InProcessRelay relay(options);
  Api api(relay);
  api.CreateHook(api.CreateClient("slow", slow.Url("/")).client().id(),
                 v1::CLIENT_STATUS_CHANGED);
  api.CreateHook(api.CreateClient("fast", fast.Url("/")).client().id(),
                 v1::MIN_RUN_SESSIONS);
  // 100 deliveries for the slow client are due before the fast one's.
  v1::PublishBatchRequest batch;
  for (int i = 0; i < 100; ++i) {
    auto* e =
        batch.add_events()->mutable_event()->mutable_client_status_changed();
    e->set_client_name("X");
    e->mutable_start_time();
  }
  v1::PublishBatchResponse published;
  ASSERT_TRUE(
      Call(relay.ingest.get(), &Ingest::PublishBatch, batch, &published).ok());
  EXPECT_TRUE(Eventually([&] { return slow.Waiting() == 2; }));
  api.MustPublish(R"pb(min_run_sessions { client_name: "X" })pb");
  EXPECT_EQ(fast.WaitFor(1).size(), 1u);
  EXPECT_EQ(slow.Requests().size(), 2u);  // never more than its bound
  slow.OpenGate();
  EXPECT_EQ(slow.WaitFor(100).size(), 100u);
}

TEST_F(DeliveryTest, RotationSignsWithBothSecretsDuringTheGracePeriod) {
  v1::CreateClientResponse client =
      api_.CreateClient("sink", receiver_.Url("/"));
  api_.CreateHook(client.client().id(), v1::SETTING_VALUE_CHANGED);
  v1::RotateClientSecretRequest rotate;
  rotate.set_id(client.client().id());
  v1::RotateClientSecretResponse rotated;
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::RotateClientSecret, rotate, &rotated)
          .ok());
  api_.MustPublish(kSettingChanged);
  ReceivedRequest r = receiver_.WaitFor(1).at(0);
  const int64_t ts = absl::ToUnixSeconds(relay_.clock.Now());
  const std::string id = r.Header("webhook-id");
  std::vector<std::string> signatures =
      absl::StrSplit(r.Header("webhook-signature"), ' ');
  EXPECT_THAT(signatures,
              ::testing::ElementsAre(
                  SignPayload(SigningKey(rotated.secret()), id, ts, r.body),
                  SignPayload(SigningKey(client.secret()), id, ts, r.body)));
  EXPECT_EQ(r.Header("Authorization"), "Secret " + rotated.secret());

  // After the grace period only the new secret signs.
  relay_.clock.Advance(absl::Hours(24) + absl::Seconds(1));
  api_.MustPublish(kSettingChanged);
  r = receiver_.WaitFor(2).at(1);
  EXPECT_EQ(r.Header("webhook-signature"),
            SignPayload(SigningKey(rotated.secret()), r.Header("webhook-id"),
                        absl::ToUnixSeconds(relay_.clock.Now()), r.body));
}

TEST_F(DeliveryTest, AuthorizationHeaderCanBeSwitchedOff) {
  api_.CreateHook(
      api_.CreateClient("quiet", receiver_.Url("/"), false).client().id(),
      v1::SETTING_VALUE_CHANGED);
  api_.MustPublish(kSettingChanged);
  ReceivedRequest r = receiver_.WaitFor(1).at(0);
  EXPECT_EQ(r.Header("Authorization"), "");
  EXPECT_THAT(r.Header("webhook-signature"), ::testing::StartsWith("v1,"));
}

TEST_F(DeliveryTest, TestClientReportsEveryRouteAndStoresNothing) {
  v1::CreateClientResponse client =
      api_.CreateClient("sink", receiver_.Url("/hooks/"));
  v1::TestClientRequest req;
  req.set_id(client.client().id());
  v1::TestClientResponse resp;
  ASSERT_TRUE(Call(relay_.admin.get(), &Admin::TestClient, req, &resp).ok());
  ASSERT_EQ(resp.results_size(), 9);
  for (const auto& r : resp.results()) {
    EXPECT_TRUE(r.succeeded());
    EXPECT_EQ(r.result(), "Succeeded");
    EXPECT_EQ(r.http_status(), 200);
  }
  EXPECT_EQ(resp.results(1).url(), receiver_.Url("/hooks/SettingValueChanged"));
  auto requests = receiver_.WaitFor(9);
  ASSERT_EQ(requests.size(), 9u);
  for (const auto& r : requests) {
    EXPECT_THAT(r.body, HasSubstr("\"IsTest\":true"));
    EXPECT_EQ(r.Header("Authorization"), "Secret " + client.secret());
  }
  EXPECT_TRUE(api_.Deliveries().empty());

  receiver_.SetStatus(500);
  req.add_types(v1::MIN_RUN_SESSIONS);
  ASSERT_TRUE(Call(relay_.admin.get(), &Admin::TestClient, req, &resp).ok());
  ASSERT_EQ(resp.results_size(), 1);
  EXPECT_EQ(resp.results(0).result(), "Failed");
  EXPECT_EQ(resp.results(0).http_status(), 500);
  EXPECT_EQ(resp.results(0).message(), "HTTP 500");

  req.add_types(static_cast<v1::WebHookType>(99));
  EXPECT_THAT(
      Call(relay_.admin.get(), &Admin::TestClient, req, &resp).error_message(),
      HasSubstr("types[1]: unknown type 99"));
}

TEST_F(DeliveryTest, TestClientTimesOutAnUnreachableRoute) {
  receiver_.CloseGate();
  v1::CreateClientResponse client =
      api_.CreateClient("hung", receiver_.Url("/"));
  v1::TestClientRequest req;
  req.set_id(client.client().id());
  req.add_types(v1::SECURITY_EVENT);
  req.mutable_timeout()->set_nanos(200000000);
  v1::TestClientResponse resp;
  ASSERT_TRUE(Call(relay_.admin.get(), &Admin::TestClient, req, &resp).ok());
  EXPECT_EQ(resp.results(0).http_status(), 0);
  EXPECT_THAT(resp.results(0).message(), HasSubstr("timed out"));
  receiver_.OpenGate();
}

TEST_F(DeliveryTest, DeliveryLogIsFilteredPagedAndChecked) {
  std::string a = api_.CreateClient("a", receiver_.Url("/")).client().id();
  std::string b = api_.CreateClient("b", receiver_.Url("/")).client().id();
  std::string hook_a = api_.CreateHook(a, v1::MIN_RUN_SESSIONS);
  api_.CreateHook(b, v1::MIN_RUN_SESSIONS);
  for (int i = 0; i < 3; ++i) {
    api_.MustPublish(absl::StrCat(R"pb(min_run_sessions { client_name: "c)pb",
                                  i, R"pb(" })pb"));
  }
  receiver_.WaitFor(6);
  v1::ListDeliveriesRequest req;
  req.set_web_hook_id(hook_a);
  req.set_page_size(2);
  v1::ListDeliveriesResponse page1, page2;
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::ListDeliveries, req, &page1).ok());
  ASSERT_EQ(page1.deliveries_size(), 2);
  EXPECT_THAT(page1.deliveries(0).payload(),
              HasSubstr("\"c2\""));  // newest first
  req.set_page_token(page1.next_page_token());
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::ListDeliveries, req, &page2).ok());
  ASSERT_EQ(page2.deliveries_size(), 1);
  EXPECT_EQ(page2.deliveries(0).client_id(), a);
  EXPECT_EQ(page2.next_page_token(), "");

  v1::GetDeliveryRequest get;
  get.set_id("nope");
  v1::Delivery d;
  EXPECT_EQ(Call(relay_.admin.get(), &Admin::GetDelivery, get, &d).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::RedeliverDeliveryRequest redeliver;
  EXPECT_EQ(Call(relay_.admin.get(), &Admin::RedeliverDelivery, redeliver, &d)
                .error_message(),
            "id: required");
  v1::ListDeliveriesRequest bad;
  bad.set_state(static_cast<v1::DeliveryState>(9));
  v1::ListDeliveriesResponse none;
  EXPECT_THAT(Call(relay_.admin.get(), &Admin::ListDeliveries, bad, &none)
                  .error_message(),
              HasSubstr("state: unknown state 9"));
}

}  // namespace
}  // namespace relay::testing
