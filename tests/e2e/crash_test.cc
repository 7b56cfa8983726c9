// A Publish that returned OK survives SIGKILL: the real binary is killed
// while the web hook is in flight, restarted, and the web hook arrives with
// the same webhook-id.
#include <signal.h>

#include <string>

#include "fig/webhooks/v1/admin.grpc.pb.h"
#include "fig/webhooks/v1/ingest.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/grpc_call.h"
#include "tests/support/receiver.h"
#include "tests/support/relay_process.h"
#include "tests/support/temp_dir.h"

namespace relay::testing {
namespace {

namespace v1 = ::fig::webhooks::v1;
using Admin = v1::WebHookAdmin::Stub;
using Ingest = v1::EventIngest::Stub;

TEST(CrashTest, AcknowledgedEventIsDeliveredAfterSigkill) {
  TempDir dir;
  const std::string data = dir.File("data");
  Receiver receiver;
  receiver.CloseGate();  // the first attempt hangs: in flight at the kill
  std::string event_id;
  {
    RelayProcess relay(data);
    auto admin = v1::WebHookAdmin::NewStub(relay.Channel());
    v1::CreateClientRequest create;
    create.set_name("sink");
    create.set_base_uri(receiver.Url("/hooks/"));
    v1::CreateClientResponse client;
    ASSERT_TRUE(Call(admin.get(), &Admin::CreateClient, create, &client).ok());
    v1::CreateWebHookRequest hook;
    hook.mutable_web_hook()->set_client_id(client.client().id());
    hook.mutable_web_hook()->set_type(v1::SETTING_VALUE_CHANGED);
    hook.mutable_web_hook()->set_client_name_regex(".*");
    hook.mutable_web_hook()->set_setting_name_regex(".*");
    v1::CreateWebHookResponse hooked;
    ASSERT_TRUE(Call(admin.get(), &Admin::CreateWebHook, hook, &hooked).ok());

    auto ingest = v1::EventIngest::NewStub(relay.Channel());
    v1::PublishRequest publish;
    auto* e = publish.mutable_event()->mutable_setting_value_changed();
    e->set_client_name("OrderSvc");
    e->add_updated_settings("DbConn");
    v1::PublishResponse published;
    ASSERT_TRUE(Call(ingest.get(), &Ingest::Publish, publish, &published).ok());
    ASSERT_EQ(published.delivery_count(), 1);
    event_id = published.event_id();
    ASSERT_TRUE(Eventually([&] { return receiver.Waiting() == 1; }));
    relay.Stop(SIGKILL);
  }
  receiver.OpenGate();  // the killed attempt's answer goes nowhere

  RelayProcess relay(data);
  std::vector<ReceivedRequest> requests = receiver.WaitFor(2);
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].Header("webhook-id"), requests[1].Header("webhook-id"));
  EXPECT_EQ(requests[0].body, requests[1].body);

  auto admin = v1::WebHookAdmin::NewStub(relay.Channel());
  v1::ListDeliveriesResponse deliveries;
  ASSERT_TRUE(Eventually([&] {
    deliveries.Clear();
    Call(admin.get(), &Admin::ListDeliveries, v1::ListDeliveriesRequest(),
         &deliveries);
    return deliveries.deliveries_size() == 1 &&
           deliveries.deliveries(0).state() == v1::DELIVERY_STATE_SUCCEEDED;
  }));
  EXPECT_EQ(deliveries.deliveries(0).id(), requests[1].Header("webhook-id"));
  EXPECT_EQ(deliveries.deliveries(0).event_id(), event_id);
}

TEST(CrashTest, ASecondRelayCannotOpenTheSameDataDir) {
  TempDir dir;
  RelayProcess first(dir.File("data"));
  std::string cmd = "timeout 30 " + std::string(RELAY_BINARY_DIR) +
                    "/server/webhook-relay --listen=127.0.0.1:0 --data-dir=" +
                    dir.File("data") + " 2>" + dir.File("err");
  EXPECT_NE(std::system(cmd.c_str()), 0);
  EXPECT_THAT(ReadFileOrEmpty(dir.File("err")),
              ::testing::HasSubstr("is in use by another relay"));
}

}  // namespace
}  // namespace relay::testing
