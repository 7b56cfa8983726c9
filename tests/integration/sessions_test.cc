// Run sessions through gRPC: the derived web hooks reach a real receiver,
// the sweeper notices a lone session's death, and a restart reports no
// spurious connects.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/grpc_call.h"
#include "tests/support/in_process_relay.h"
#include "tests/support/receiver.h"

namespace relay::testing {
namespace {

namespace v1 = ::fig::webhooks::v1;
using Admin = v1::WebHookAdmin::Stub;
using Sessions = v1::RunSessions::Stub;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class SessionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::CreateClientRequest create;
    create.set_name("sink");
    create.set_base_uri(receiver_.Url("/hooks/"));
    v1::CreateClientResponse client;
    ASSERT_TRUE(
        Call(relay_.admin.get(), &Admin::CreateClient, create, &client).ok());
    client_id_ = client.client().id();
  }

  void Hook(v1::WebHookType type, int min_sessions = 0) {
    v1::CreateWebHookRequest req;
    req.mutable_web_hook()->set_client_id(client_id_);
    req.mutable_web_hook()->set_type(type);
    req.mutable_web_hook()->set_client_name_regex("Order");
    req.mutable_web_hook()->set_min_sessions(min_sessions);
    v1::CreateWebHookResponse resp;
    ASSERT_TRUE(
        Call(relay_.admin.get(), &Admin::CreateWebHook, req, &resp).ok());
  }

  grpc::Status Poll(const std::string& id, int64_t interval_ms = 30000,
                    v1::PollResponse* resp = nullptr) {
    v1::PollRequest req;
    req.set_client_name("OrderSvc");
    req.set_run_session_id(id);
    req.set_poll_interval_ms(interval_ms);
    v1::PollResponse ignored;
    return Call(relay_.sessions.get(), &Sessions::Poll, req,
                resp ? resp : &ignored);
  }

  void End(const std::string& id) {
    v1::EndSessionRequest req;
    req.set_run_session_id(id);
    v1::EndSessionResponse resp;
    ASSERT_TRUE(
        Call(relay_.sessions.get(), &Sessions::EndSession, req, &resp).ok());
  }

  // Route and the fields that tell events apart, of every web hook received.
  std::vector<std::string> Received(size_t n) {
    std::vector<std::string> out;
    for (const ReceivedRequest& r : receiver_.WaitFor(n)) {
      auto body = nlohmann::json::parse(r.body);
      std::string what = r.path.substr(std::string("/hooks/").size());
      if (body.contains("ConnectionEvent")) {
        what += body["ConnectionEvent"] == 0 ? " Connected" : " Disconnected";
      }
      if (body.contains("RunSessionsEvent")) {
        what += absl::StrCat(
            body["RunSessionsEvent"] == 0 ? " Below(" : " Restored(",
            body["RunSessions"].get<int>(), ")");
      }
      out.push_back(what);
    }
    return out;
  }

  Receiver receiver_;
  InProcessRelay relay_;
  std::string client_id_;
};

TEST_F(SessionsTest, FigsSequenceForAMinimumOfTwoReachesTheReceiver) {
  Hook(v1::MIN_RUN_SESSIONS, 2);
  ASSERT_TRUE(Poll("s1").ok());
  ASSERT_TRUE(Poll("s2").ok());
  End("s2");
  ASSERT_TRUE(Poll("s3").ok());
  // Deliveries to one client run concurrently, so they may arrive in any
  // order; the log keeps the order they were made in (newest first).
  EXPECT_THAT(Received(3),
              ::testing::UnorderedElementsAre("MinRunSessions Restored(2)",
                                              "MinRunSessions Below(1)",
                                              "MinRunSessions Restored(2)"));
  v1::ListDeliveriesResponse log;
  ASSERT_TRUE(Call(relay_.admin.get(), &Admin::ListDeliveries,
                   v1::ListDeliveriesRequest(), &log)
                  .ok());
  std::vector<std::string> made;
  for (const auto& d : log.deliveries()) made.insert(made.begin(), d.payload());
  EXPECT_THAT(
      made, ElementsAre(HasSubstr(R"("RunSessions":2,"RunSessionsEvent":1)"),
                        HasSubstr(R"("RunSessions":1,"RunSessionsEvent":0)"),
                        HasSubstr(R"("RunSessions":2,"RunSessionsEvent":1)")));
}

TEST_F(SessionsTest, TheSweeperNoticesALoneSessionsDeath) {
  Hook(v1::MIN_RUN_SESSIONS, 1);
  Hook(v1::CLIENT_STATUS_CHANGED);
  v1::PollResponse first;
  ASSERT_TRUE(Poll("lone", 1000, &first).ok());
  EXPECT_TRUE(first.connected());
  EXPECT_EQ(Received(2).size(), 2u);
  relay_.Advance(absl::Milliseconds(2051));
  std::vector<std::string> all = Received(4);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_THAT(
      std::vector<std::string>(all.begin() + 2, all.end()),
      ::testing::UnorderedElementsAre("ClientStatusChanged Disconnected",
                                      "MinRunSessions Below(0)"));
  v1::ListRunSessionsResponse live;
  ASSERT_TRUE(Call(relay_.sessions.get(), &Sessions::ListRunSessions,
                   v1::ListRunSessionsRequest(), &live)
                  .ok());
  EXPECT_EQ(live.groups_size(), 0);
}

TEST_F(SessionsTest, ARestartReportsNoSpuriousConnectsAndExpiresTheSilent) {
  Hook(v1::CLIENT_STATUS_CHANGED);
  ASSERT_TRUE(Poll("alive", 1000).ok());
  ASSERT_TRUE(Poll("silent", 1000).ok());
  EXPECT_EQ(Received(2).size(), 2u);

  relay_.clock.Advance(absl::Hours(1));  // the relay is down for an hour
  relay_.Restart();
  v1::PollResponse again;
  ASSERT_TRUE(Poll("alive", 1000, &again).ok());
  EXPECT_FALSE(again.connected());
  v1::ListRunSessionsResponse live;
  ASSERT_TRUE(Call(relay_.sessions.get(), &Sessions::ListRunSessions,
                   v1::ListRunSessionsRequest(), &live)
                  .ok());
  ASSERT_EQ(live.groups_size(), 1);
  EXPECT_EQ(live.groups(0).count(), 2);

  relay_.Advance(absl::Milliseconds(1051));
  std::vector<std::string> all = Received(3);
  EXPECT_THAT(all, ElementsAre("ClientStatusChanged Connected",
                               "ClientStatusChanged Connected",
                               "ClientStatusChanged Disconnected"));
  v1::ListDeliveriesResponse deliveries;
  ASSERT_TRUE(Call(relay_.admin.get(), &Admin::ListDeliveries,
                   v1::ListDeliveriesRequest(), &deliveries)
                  .ok());
  EXPECT_EQ(deliveries.deliveries_size(), 3);
}

TEST_F(SessionsTest, BadPollsAreRejectedNamingTheField) {
  v1::PollRequest req;
  v1::PollResponse resp;
  grpc::Status s = Call(relay_.sessions.get(), &Sessions::Poll, req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "client_name: required");
  req.set_client_name("OrderSvc");
  EXPECT_EQ(
      Call(relay_.sessions.get(), &Sessions::Poll, req, &resp).error_message(),
      "run_session_id: required");
  req.set_run_session_id("s1");
  EXPECT_THAT(
      Call(relay_.sessions.get(), &Sessions::Poll, req, &resp).error_message(),
      ::testing::StartsWith("poll_interval_ms: must be from 1 to"));
  v1::EndSessionResponse ended;
  EXPECT_EQ(Call(relay_.sessions.get(), &Sessions::EndSession,
                 v1::EndSessionRequest(), &ended)
                .error_message(),
            "run_session_id: required");
}

}  // namespace
}  // namespace relay::testing
