// WebHookAdmin through real gRPC stubs, on a real SQLite file.
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "server/crypto/secrets.h"
#include "tests/support/grpc_call.h"
#include "tests/support/in_process_relay.h"

namespace relay::testing {
namespace {

namespace v1 = ::fig::webhooks::v1;
using Admin = v1::WebHookAdmin::Stub;
using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;

class AdminServiceTest : public ::testing::Test {
 protected:
  v1::CreateClientResponse CreateClient(
      const std::string& name,
      const std::string& base_uri = "http://127.0.0.1:9/hooks/") {
    v1::CreateClientRequest req;
    req.set_name(name);
    req.set_base_uri(base_uri);
    v1::CreateClientResponse resp;
    grpc::Status s = Call(relay_.admin.get(), &Admin::CreateClient, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  v1::CreateWebHookResponse CreateWebHook(
      const std::string& client_id, v1::WebHookType type,
      const std::string& client_re = ".*",
      const std::string& setting_re = ".*") {
    v1::CreateWebHookRequest req;
    req.mutable_web_hook()->set_client_id(client_id);
    req.mutable_web_hook()->set_type(type);
    req.mutable_web_hook()->set_client_name_regex(client_re);
    req.mutable_web_hook()->set_setting_name_regex(setting_re);
    req.mutable_web_hook()->set_min_sessions(2);
    v1::CreateWebHookResponse resp;
    grpc::Status s =
        Call(relay_.admin.get(), &Admin::CreateWebHook, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  InProcessRelay relay_;
};

TEST_F(AdminServiceTest, EveryErrorPathNamesTheFieldWithTheRightCode) {
  v1::CreateClientResponse client = CreateClient("taken");
  const std::string id = client.client().id();
  CreateWebHook(id, v1::CLIENT_STATUS_CHANGED);
  CreateClient("other");
  Admin* admin = relay_.admin.get();

  struct Case {
    const char* name;
    std::function<grpc::Status()> call;
    grpc::StatusCode code;
    const char* message;
  };
  auto create_client = [admin](std::string name, std::string uri,
                               const char* secret = nullptr) {
    return [=] {
      v1::CreateClientRequest req;
      req.set_name(name);
      req.set_base_uri(uri);
      if (secret != nullptr) req.set_secret(secret);
      v1::CreateClientResponse resp;
      return Call(admin, &Admin::CreateClient, req, &resp);
    };
  };
  auto create_hook = [admin](std::string client_id, v1::WebHookType type,
                             std::string client_re, std::string setting_re,
                             int min) {
    return [=] {
      v1::CreateWebHookRequest req;
      v1::WebHook* h = req.mutable_web_hook();
      h->set_client_id(client_id);
      h->set_type(type);
      h->set_client_name_regex(client_re);
      h->set_setting_name_regex(setting_re);
      h->set_min_sessions(min);
      v1::CreateWebHookResponse resp;
      return Call(admin, &Admin::CreateWebHook, req, &resp);
    };
  };
  const grpc::StatusCode kInvalid = grpc::StatusCode::INVALID_ARGUMENT;
  const std::string big(300, 'n');
  const Case kCases[] = {
      {"client without name", create_client("", "http://h/"), kInvalid,
       "name: required"},
      {"client name of spaces", create_client("  ", "http://h/"), kInvalid,
       "name: required"},
      {"client name too long", create_client(big, "http://h/"), kInvalid,
       "name: longer than 200"},
      {"client without uri", create_client("a", ""), kInvalid,
       "base_uri: required"},
      {"relative uri", create_client("a", "/hooks/"), kInvalid,
       "base_uri: not an absolute URI"},
      {"ftp uri", create_client("a", "ftp://h/"), kInvalid,
       "base_uri: scheme must be http or https"},
      {"empty imported secret", create_client("a", "http://h/", ""), kInvalid,
       "secret: empty"},
      {"duplicate name", create_client("taken", "http://h/"),
       grpc::StatusCode::ALREADY_EXISTS,
       "name: a client named \"taken\" already exists"},
      {"get without id",
       [admin] {
         v1::WebHookClient resp;
         return Call(admin, &Admin::GetClient, v1::GetClientRequest(), &resp);
       },
       kInvalid, "id: required"},
      {"get unknown",
       [admin] {
         v1::GetClientRequest req;
         req.set_id("nope");
         v1::WebHookClient resp;
         return Call(admin, &Admin::GetClient, req, &resp);
       },
       grpc::StatusCode::NOT_FOUND, "client nope not found"},
      {"page size too big",
       [admin] {
         v1::ListClientsRequest req;
         req.set_page_size(5000);
         v1::ListClientsResponse resp;
         return Call(admin, &Admin::ListClients, req, &resp);
       },
       kInvalid, "page_size: must be 0"},
      {"bad page token",
       [admin] {
         v1::ListClientsRequest req;
         req.set_page_token("garbage!");
         v1::ListClientsResponse resp;
         return Call(admin, &Admin::ListClients, req, &resp);
       },
       kInvalid, "page_token: "},
      {"rename to a taken name",
       [admin, id] {
         v1::UpdateClientRequest req;
         req.set_id(id);
         req.set_name("other");
         v1::WebHookClient resp;
         return Call(admin, &Admin::UpdateClient, req, &resp);
       },
       grpc::StatusCode::ALREADY_EXISTS, "name: a client named \"other\""},
      {"update to a bad uri",
       [admin, id] {
         v1::UpdateClientRequest req;
         req.set_id(id);
         req.set_base_uri("mailto:x@y");
         v1::WebHookClient resp;
         return Call(admin, &Admin::UpdateClient, req, &resp);
       },
       kInvalid, "base_uri: "},
      {"update unknown",
       [admin] {
         v1::UpdateClientRequest req;
         req.set_id("nope");
         v1::WebHookClient resp;
         return Call(admin, &Admin::UpdateClient, req, &resp);
       },
       grpc::StatusCode::NOT_FOUND, "client nope not found"},
      {"delete a client with web hooks",
       [admin, id] {
         v1::DeleteClientRequest req;
         req.set_id(id);
         v1::DeleteClientResponse resp;
         return Call(admin, &Admin::DeleteClient, req, &resp);
       },
       grpc::StatusCode::FAILED_PRECONDITION,
       "Cannot delete client as it has active web hooks"},
      {"delete unknown",
       [admin] {
         v1::DeleteClientRequest req;
         req.set_id("nope");
         v1::DeleteClientResponse resp;
         return Call(admin, &Admin::DeleteClient, req, &resp);
       },
       grpc::StatusCode::NOT_FOUND, "client nope not found"},
      {"negative grace period",
       [admin, id] {
         v1::RotateClientSecretRequest req;
         req.set_id(id);
         req.mutable_grace_period()->set_seconds(-1);
         v1::RotateClientSecretResponse resp;
         return Call(admin, &Admin::RotateClientSecret, req, &resp);
       },
       kInvalid, "grace_period: must be a duration from 0 to"},
      {"rotate unknown",
       [admin] {
         v1::RotateClientSecretRequest req;
         req.set_id("nope");
         v1::RotateClientSecretResponse resp;
         return Call(admin, &Admin::RotateClientSecret, req, &resp);
       },
       grpc::StatusCode::NOT_FOUND, "client nope not found"},
      {"web hook missing",
       [admin] {
         v1::CreateWebHookResponse resp;
         return Call(admin, &Admin::CreateWebHook, v1::CreateWebHookRequest(),
                     &resp);
       },
       kInvalid, "web_hook: required"},
      {"web hook without client",
       create_hook("", v1::CLIENT_STATUS_CHANGED, ".*", "", 0), kInvalid,
       "web_hook.client_id: required"},
      {"web hook of unknown client",
       create_hook("nope", v1::CLIENT_STATUS_CHANGED, ".*", "", 0),
       grpc::StatusCode::NOT_FOUND,
       "web_hook.client_id: client nope not found"},
      {"web hook without type",
       create_hook(id, v1::WEB_HOOK_TYPE_UNSPECIFIED, ".*", "", 0), kInvalid,
       "web_hook.type: required"},
      {"web hook with .NET lookahead",
       create_hook(id, v1::CLIENT_STATUS_CHANGED, "(?!Test)", "", 0), kInvalid,
       "web_hook.client_name_regex: not a valid RE2 regex: invalid perl "
       "operator: (?!"},
      {"web hook with empty client regex",
       create_hook(id, v1::CLIENT_STATUS_CHANGED, "", "", 0), kInvalid,
       "web_hook.client_name_regex: required"},
      {"setting hook without setting regex",
       create_hook(id, v1::SETTING_VALUE_CHANGED, ".*", "", 0), kInvalid,
       "web_hook.setting_name_regex: required"},
      {"min sessions 0", create_hook(id, v1::MIN_RUN_SESSIONS, ".*", "", 0),
       kInvalid, "web_hook.min_sessions: must be >= 1"},
      {"change a web hook's client",
       [admin, id, this] {
         std::string hook_id =
             CreateWebHook(id, v1::CONFIGURATION_ERROR).web_hook().id();
         v1::UpdateWebHookRequest req;
         req.set_id(hook_id);
         req.set_client_id("someone-else");
         v1::WebHook resp;
         return Call(admin, &Admin::UpdateWebHook, req, &resp);
       },
       kInvalid, "client_id: cannot be changed"},
      {"update a web hook to a bad regex",
       [admin, id, this] {
         std::string hook_id =
             CreateWebHook(id, v1::CONFIGURATION_ERROR).web_hook().id();
         v1::UpdateWebHookRequest req;
         req.set_id(hook_id);
         req.set_client_name_regex("a**");
         v1::WebHook resp;
         return Call(admin, &Admin::UpdateWebHook, req, &resp);
       },
       kInvalid,
       "client_name_regex: not a valid RE2 regex: bad repetition operator"},
      {"update unknown web hook",
       [admin] {
         v1::UpdateWebHookRequest req;
         req.set_id("nope");
         v1::WebHook resp;
         return Call(admin, &Admin::UpdateWebHook, req, &resp);
       },
       grpc::StatusCode::NOT_FOUND, "web hook nope not found"},
      {"delete unknown web hook",
       [admin] {
         v1::DeleteWebHookRequest req;
         req.set_id("nope");
         v1::DeleteWebHookResponse resp;
         return Call(admin, &Admin::DeleteWebHook, req, &resp);
       },
       grpc::StatusCode::NOT_FOUND, "web hook nope not found"},
      {"matches without target",
       [admin] {
         v1::GetWebHookMatchesResponse resp;
         return Call(admin, &Admin::GetWebHookMatches,
                     v1::GetWebHookMatchesRequest(), &resp);
       },
       kInvalid, "target: set web_hook_id or spec"},
      {"matches of a bad spec",
       [admin] {
         v1::GetWebHookMatchesRequest req;
         req.mutable_spec()->set_type(v1::SETTING_VALUE_CHANGED);
         req.mutable_spec()->set_client_name_regex(".*");
         v1::GetWebHookMatchesResponse resp;
         return Call(admin, &Admin::GetWebHookMatches, req, &resp);
       },
       kInvalid, "spec.setting_name_regex: required"},
      {"matches of unknown web hook",
       [admin] {
         v1::GetWebHookMatchesRequest req;
         req.set_web_hook_id("nope");
         v1::GetWebHookMatchesResponse resp;
         return Call(admin, &Admin::GetWebHookMatches, req, &resp);
       },
       grpc::StatusCode::NOT_FOUND, "web hook nope not found"},
      {"sync a nameless setting client",
       [admin] {
         v1::SyncSettingClientsRequest req;
         req.add_setting_clients()->set_name("A");
         req.add_setting_clients();
         v1::SyncSettingClientsResponse resp;
         return Call(admin, &Admin::SyncSettingClients, req, &resp);
       },
       kInvalid, "setting_clients[1].name: required"},
      {"sync a setting client twice",
       [admin] {
         v1::SyncSettingClientsRequest req;
         req.add_setting_clients()->set_name("A");
         req.add_setting_clients()->set_name("A");
         v1::SyncSettingClientsResponse resp;
         return Call(admin, &Admin::SyncSettingClients, req, &resp);
       },
       kInvalid, "setting_clients[1].name: \"A\" given twice"},
  };
  for (const Case& c : kCases) {
    grpc::Status status = c.call();
    EXPECT_EQ(status.error_code(), c.code)
        << c.name << ": " << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(c.message)) << c.name;
  }
}

TEST_F(AdminServiceTest, ClientCrudShowsRoutesAndNeverTheSecret) {
  v1::CreateClientResponse created =
      CreateClient("sink", "http://127.0.0.1:9/hooks");
  const v1::WebHookClient& c = created.client();
  EXPECT_TRUE(c.send_authorization_header());
  EXPECT_THAT(created.secret(), ::testing::StartsWith("whsec_"));
  EXPECT_TRUE(FigVerifySecret(created.secret(), created.hashed_secret()));
  ASSERT_EQ(c.routes_size(), 9);
  // The trailing-slash pitfall, visible before it bites.
  EXPECT_EQ(c.routes(1).type(), v1::SETTING_VALUE_CHANGED);
  EXPECT_EQ(c.routes(1).url(), "http://127.0.0.1:9/SettingValueChanged");
  EXPECT_EQ(TimeUtil::TimestampToSeconds(c.create_time()),
            absl::ToUnixSeconds(relay_.clock.Now()));

  v1::GetClientRequest get;
  get.set_id(c.id());
  v1::WebHookClient got;
  ASSERT_TRUE(Call(relay_.admin.get(), &Admin::GetClient, get, &got).ok());
  EXPECT_EQ(got.name(), "sink");
  EXPECT_EQ(got.SerializeAsString().find(created.secret()), std::string::npos);
  EXPECT_EQ(got.SerializeAsString().find(created.hashed_secret()),
            std::string::npos);

  v1::UpdateClientRequest update;
  update.set_id(c.id());
  update.set_base_uri("http://127.0.0.1:9/hooks/");
  update.set_send_authorization_header(false);
  v1::WebHookClient updated;
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::UpdateClient, update, &updated).ok());
  EXPECT_EQ(updated.name(), "sink");  // unset fields stay
  EXPECT_FALSE(updated.send_authorization_header());
  EXPECT_EQ(updated.routes(1).url(),
            "http://127.0.0.1:9/hooks/SettingValueChanged");

  v1::DeleteClientRequest del;
  del.set_id(c.id());
  v1::DeleteClientResponse deleted;
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::DeleteClient, del, &deleted).ok());
  EXPECT_EQ(Call(relay_.admin.get(), &Admin::GetClient, get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(AdminServiceTest, ImportedSecretAndHeaderSwitch) {
  v1::CreateClientRequest req;
  req.set_name("fig-integration");
  req.set_base_uri("https://example.com/");
  req.set_secret("0f8fad5b-d9cb-469f-a165-70867728950e");
  req.set_send_authorization_header(false);
  v1::CreateClientResponse resp;
  ASSERT_TRUE(Call(relay_.admin.get(), &Admin::CreateClient, req, &resp).ok());
  EXPECT_EQ(resp.secret(), req.secret());
  EXPECT_TRUE(FigVerifySecret(req.secret(), resp.hashed_secret()));
  EXPECT_FALSE(resp.client().send_authorization_header());
}

TEST_F(AdminServiceTest, RotationKeepsThePreviousSecretForTheGracePeriod) {
  v1::CreateClientResponse created = CreateClient("sink");
  v1::RotateClientSecretRequest req;
  req.set_id(created.client().id());
  v1::RotateClientSecretResponse rotated;
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::RotateClientSecret, req, &rotated).ok());
  EXPECT_NE(rotated.secret(), created.secret());
  EXPECT_TRUE(FigVerifySecret(rotated.secret(), rotated.hashed_secret()));
  EXPECT_EQ(TimeUtil::TimestampToSeconds(rotated.previous_secret_expire_time()),
            absl::ToUnixSeconds(relay_.clock.Now() + absl::Hours(24)));
  EXPECT_EQ(rotated.client().previous_secret_expire_time(),
            rotated.previous_secret_expire_time());

  req.mutable_grace_period()->set_seconds(0);
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::RotateClientSecret, req, &rotated).ok());
  EXPECT_FALSE(rotated.client().has_previous_secret_expire_time());
}

TEST_F(AdminServiceTest, ListsArePaged) {
  for (int i = 0; i < 5; ++i) CreateClient(absl::StrCat("client-", i));
  std::vector<std::string> names;
  v1::ListClientsRequest req;
  req.set_page_size(2);
  int pages = 0;
  do {
    v1::ListClientsResponse resp;
    ASSERT_TRUE(Call(relay_.admin.get(), &Admin::ListClients, req, &resp).ok());
    for (const auto& c : resp.clients()) names.push_back(c.name());
    req.set_page_token(resp.next_page_token());
    ++pages;
  } while (!req.page_token().empty());
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(names, ::testing::ElementsAre("client-0", "client-1", "client-2",
                                            "client-3", "client-4"));

  std::string a = CreateClient("a").client().id();
  std::string b = CreateClient("b").client().id();
  for (int i = 0; i < 3; ++i) CreateWebHook(a, v1::CLIENT_STATUS_CHANGED);
  CreateWebHook(b, v1::CLIENT_STATUS_CHANGED);
  CreateWebHook(a, v1::MEMORY_LEAK_DETECTED);
  v1::ListWebHooksRequest hooks;
  hooks.set_client_id(a);
  hooks.set_type(v1::CLIENT_STATUS_CHANGED);
  hooks.set_page_size(2);
  v1::ListWebHooksResponse first, second;
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::ListWebHooks, hooks, &first).ok());
  EXPECT_EQ(first.web_hooks_size(), 2);
  hooks.set_page_token(first.next_page_token());
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::ListWebHooks, hooks, &second).ok());
  EXPECT_EQ(second.web_hooks_size(), 1);
  EXPECT_EQ(second.next_page_token(), "");
  EXPECT_NE(first.web_hooks(0).id(), second.web_hooks(0).id());
}

TEST_F(AdminServiceTest, WebHookCrudAndMatches) {
  v1::SyncSettingClientsRequest sync;
  auto add = [&](std::string name, std::vector<std::string> settings) {
    v1::SettingClient* c = sync.add_setting_clients();
    c->set_name(name);
    for (auto& s : settings) c->add_settings(s);
  };
  add("OrderSvc", {"DbConn", "DbTimeout", "Retries"});
  add("Billing", {"DbConn", "Currency"});
  add("Audit", {"Level"});
  v1::SyncSettingClientsResponse synced;
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::SyncSettingClients, sync, &synced).ok());
  EXPECT_EQ(synced.written(), 3);

  std::string client = CreateClient("sink").client().id();
  v1::CreateWebHookResponse created =
      CreateWebHook(client, v1::SETTING_VALUE_CHANGED, "Order|Billing", "^Db");
  EXPECT_EQ(created.matches().message(),
            "Matches 3 setting(s) across 2 setting client(s)");

  // Paged rows of the saved web hook.
  v1::GetWebHookMatchesRequest req;
  req.set_web_hook_id(created.web_hook().id());
  req.set_page_size(2);
  v1::GetWebHookMatchesResponse page1, page2;
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::GetWebHookMatches, req, &page1).ok());
  ASSERT_EQ(page1.rows_size(), 2);
  EXPECT_EQ(page1.rows(0).client_name(), "Billing");
  req.set_page_token(page1.next_page_token());
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::GetWebHookMatches, req, &page2).ok());
  ASSERT_EQ(page2.rows_size(), 1);
  EXPECT_EQ(page2.rows(0).setting_name(), "DbTimeout");
  EXPECT_EQ(page2.next_page_token(), "");

  // A preview of an unsaved spec.
  v1::GetWebHookMatchesRequest preview;
  preview.mutable_spec()->set_type(v1::MIN_RUN_SESSIONS);
  preview.mutable_spec()->set_client_name_regex("i");
  preview.mutable_spec()->set_min_sessions(1);
  v1::GetWebHookMatchesResponse previewed;
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::GetWebHookMatches, preview, &previewed)
          .ok());
  EXPECT_EQ(previewed.summary().message(), "Matches 2 setting client(s)");

  // Update keeps what is not given; the result is re-validated.
  v1::UpdateWebHookRequest update;
  update.set_id(created.web_hook().id());
  update.set_setting_name_regex("Retries");
  v1::WebHook updated;
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::UpdateWebHook, update, &updated).ok());
  EXPECT_EQ(updated.client_name_regex(), "Order|Billing");
  EXPECT_EQ(updated.setting_name_regex(), "Retries");
  EXPECT_EQ(updated.client_id(), client);

  // Replace drops clients not given.
  v1::SyncSettingClientsRequest replace;
  replace.set_mode(v1::SYNC_MODE_REPLACE);
  replace.add_setting_clients()->set_name("Audit");
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::SyncSettingClients, replace, &synced)
          .ok());
  EXPECT_EQ(synced.removed(), 2);
  v1::ListSettingClientsResponse catalog;
  ASSERT_TRUE(Call(relay_.admin.get(), &Admin::ListSettingClients,
                   v1::ListSettingClientsRequest(), &catalog)
                  .ok());
  ASSERT_EQ(catalog.setting_clients_size(), 1);
  EXPECT_EQ(catalog.setting_clients(0).name(), "Audit");
  EXPECT_EQ(catalog.setting_clients(0).settings_size(), 0);

  v1::DeleteWebHookRequest del;
  del.set_id(created.web_hook().id());
  v1::DeleteWebHookResponse deleted;
  ASSERT_TRUE(
      Call(relay_.admin.get(), &Admin::DeleteWebHook, del, &deleted).ok());
  v1::DeleteClientRequest del_client;
  del_client.set_id(client);
  v1::DeleteClientResponse deleted_client;
  EXPECT_TRUE(Call(relay_.admin.get(), &Admin::DeleteClient, del_client,
                   &deleted_client)
                  .ok());
}

}  // namespace
}  // namespace relay::testing
