// The real binary stopped (cleanly, or with SIGKILL) and started again on
// the same data dir: everything configured is still there, and no secret is
// readable in the database files or the log.
#include <signal.h>

#include <string>

#include "fig/webhooks/v1/admin.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/grpc_call.h"
#include "tests/support/relay_process.h"
#include "tests/support/temp_dir.h"

namespace relay::testing {
namespace {

namespace v1 = ::fig::webhooks::v1;
using Admin = v1::WebHookAdmin::Stub;

struct Configured {
  std::string client_id;
  std::string web_hook_id;
  std::string old_secret;
  std::string secret;
};

Configured Configure(RelayProcess& relay) {
  auto admin = v1::WebHookAdmin::NewStub(relay.Channel());
  Configured out;
  v1::CreateClientRequest create;
  create.set_name("sink");
  create.set_base_uri("http://127.0.0.1:9/hooks/");
  v1::CreateClientResponse created;
  EXPECT_TRUE(Call(admin.get(), &Admin::CreateClient, create, &created).ok());
  out.client_id = created.client().id();
  out.old_secret = created.secret();

  v1::RotateClientSecretRequest rotate;
  rotate.set_id(out.client_id);
  v1::RotateClientSecretResponse rotated;
  EXPECT_TRUE(
      Call(admin.get(), &Admin::RotateClientSecret, rotate, &rotated).ok());
  out.secret = rotated.secret();

  v1::CreateWebHookRequest hook;
  hook.mutable_web_hook()->set_client_id(out.client_id);
  hook.mutable_web_hook()->set_type(v1::SETTING_VALUE_CHANGED);
  hook.mutable_web_hook()->set_client_name_regex("Order");
  hook.mutable_web_hook()->set_setting_name_regex("^Db");
  v1::CreateWebHookResponse hooked;
  EXPECT_TRUE(Call(admin.get(), &Admin::CreateWebHook, hook, &hooked).ok());
  out.web_hook_id = hooked.web_hook().id();

  v1::SyncSettingClientsRequest sync;
  v1::SettingClient* c = sync.add_setting_clients();
  c->set_name("OrderSvc");
  c->add_settings("DbConn");
  c->add_settings("DbTimeout");
  v1::SyncSettingClientsResponse synced;
  EXPECT_TRUE(
      Call(admin.get(), &Admin::SyncSettingClients, sync, &synced).ok());
  return out;
}

void ExpectConfigured(RelayProcess& relay, const Configured& want) {
  auto admin = v1::WebHookAdmin::NewStub(relay.Channel());
  v1::GetClientRequest get;
  get.set_id(want.client_id);
  v1::WebHookClient client;
  ASSERT_TRUE(Call(admin.get(), &Admin::GetClient, get, &client).ok());
  EXPECT_EQ(client.name(), "sink");
  EXPECT_EQ(client.web_hook_count(), 1);
  EXPECT_TRUE(client.has_previous_secret_expire_time());

  v1::GetWebHookRequest get_hook;
  get_hook.set_id(want.web_hook_id);
  v1::WebHook hook;
  ASSERT_TRUE(Call(admin.get(), &Admin::GetWebHook, get_hook, &hook).ok());
  EXPECT_EQ(hook.setting_name_regex(), "^Db");

  v1::GetWebHookMatchesRequest matches;
  matches.set_web_hook_id(want.web_hook_id);
  v1::GetWebHookMatchesResponse matched;
  ASSERT_TRUE(
      Call(admin.get(), &Admin::GetWebHookMatches, matches, &matched).ok());
  EXPECT_EQ(matched.summary().message(),
            "Matches 2 setting(s) across 1 setting client(s)");
}

class PersistenceTest : public ::testing::TestWithParam<int> {};

TEST_P(PersistenceTest, ConfigurationSurvivesARestart) {
  TempDir dir;
  const std::string data = dir.File("data");
  Configured configured;
  {
    RelayProcess relay(data);
    configured = Configure(relay);
    relay.Stop(GetParam());
  }
  RelayProcess relay(data);
  ExpectConfigured(relay, configured);

  // No secret in the database files, in any state of the WAL, nor the log.
  for (const char* file : {"relay.db", "relay.db-wal"}) {
    std::string bytes = ReadFileOrEmpty(data + "/" + file);
    EXPECT_EQ(bytes.find(configured.secret), std::string::npos) << file;
    EXPECT_EQ(bytes.find(configured.old_secret), std::string::npos) << file;
    EXPECT_EQ(bytes.find(configured.secret.substr(6)), std::string::npos)
        << file;
  }
  EXPECT_FALSE(ReadFileOrEmpty(data + "/relay.db").empty());
  relay.Stop(SIGTERM);
  std::string log = relay.Stderr();
  EXPECT_THAT(log, ::testing::HasSubstr("client created"));
  EXPECT_EQ(log.find(configured.secret), std::string::npos);
  EXPECT_EQ(log.find(configured.old_secret), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(StopSignals, PersistenceTest,
                         ::testing::Values(SIGTERM, SIGKILL));

}  // namespace
}  // namespace relay::testing
