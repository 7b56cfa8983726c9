#include "server/api/admin_service.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/api/request_fields.h"
#include "server/core/events.h"
#include "server/core/log.h"
#include "server/core/matches.h"
#include "server/core/status_macros.h"
#include "server/core/web_hook_filter.h"
#include "server/core/web_hook_type.h"
#include "server/crypto/secrets.h"
#include "server/delivery/dispatcher.h"
#include "server/delivery/payload.h"
#include "server/delivery/url.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;
using ::google::protobuf::util::TimeUtil;

namespace {

constexpr size_t kMaxNameLength = 200;
constexpr size_t kMaxSecretLength = 1024;
constexpr absl::Duration kDefaultGracePeriod = absl::Hours(24);
constexpr absl::Duration kMaxGracePeriod = absl::Hours(24 * 30);

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

absl::Status RequireId(absl::string_view field, const std::string& id) {
  if (id.empty()) return Invalid(field, "required");
  return absl::OkStatus();
}

absl::Status ValidateName(absl::string_view field, const std::string& name) {
  if (absl::StripAsciiWhitespace(name).empty())
    return Invalid(field, "required");
  if (name.size() > kMaxNameLength) {
    return Invalid(field,
                   absl::StrCat("longer than ", kMaxNameLength, " characters"));
  }
  for (char c : name) {
    if (absl::ascii_iscntrl(static_cast<unsigned char>(c))) {
      return Invalid(field, "contains a control character");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckBaseUri(absl::string_view field, const std::string& uri) {
  return Prefixed(ValidateBaseUri(uri), absl::StrCat(field, ": "));
}

// Fills the output-only routes of a client from its base URI.
void FillRoutes(v1::WebHookClient* client) {
  client->clear_routes();
  for (v1::WebHookType type : kAllWebHookTypes) {
    v1::RouteUrl* route = client->add_routes();
    route->set_type(type);
    route->set_route(std::string(RouteOf(type)));
    auto url = ResolveRoute(client->base_uri(), RouteOf(type));
    route->set_url(url.ok() ? *url : "");
  }
}

// A stored client as the API shows it: routes filled, never a secret.
v1::WebHookClient Present(const StoredClient& stored) {
  v1::WebHookClient client = stored.client;
  FillRoutes(&client);
  return client;
}

}  // namespace

absl::Status WebHookAdminService::NewSecret(const std::string* imported,
                                            absl::string_view field,
                                            std::string* secret,
                                            std::string* hashed) {
  if (imported != nullptr) {
    if (imported->empty())
      return Invalid(field, "empty; leave it unset to generate one");
    if (imported->size() > kMaxSecretLength) {
      return Invalid(field,
                     absl::StrCat("longer than ", kMaxSecretLength, " bytes"));
    }
    *secret = *imported;
  } else {
    *secret = GenerateSecret();
  }
  ASSIGN_OR_RETURN(*hashed, FigHashSecret(*secret));
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoCreateClient(
    const v1::CreateClientRequest& req, v1::CreateClientResponse* resp) {
  RETURN_IF_ERROR(ValidateName("name", req.name()));
  RETURN_IF_ERROR(CheckBaseUri("base_uri", req.base_uri()));
  std::string secret, hashed;
  RETURN_IF_ERROR(NewSecret(req.has_secret() ? &req.secret() : nullptr,
                            "secret", &secret, &hashed));
  StoredClient stored;
  v1::WebHookClient& c = stored.client;
  c.set_id(NewUuid());
  c.set_name(req.name());
  c.set_base_uri(req.base_uri());
  c.set_send_authorization_header(!req.has_send_authorization_header() ||
                                  req.send_authorization_header());
  *c.mutable_create_time() = ToProto(context_.clock->Now());
  *c.mutable_update_time() = c.create_time();
  stored.sealed_secret = context_.secret_box->Seal(secret, c.id());
  RETURN_IF_ERROR(context_.store->CreateClient(stored));
  Log("client created id=", c.id(), " name=\"", c.name(), "\"");
  *resp->mutable_client() = Present(stored);
  resp->set_secret(secret);
  resp->set_hashed_secret(hashed);
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoGetClient(const v1::GetClientRequest& req,
                                              v1::WebHookClient* resp) {
  RETURN_IF_ERROR(RequireId("id", req.id()));
  ASSIGN_OR_RETURN(StoredClient stored, context_.store->GetClient(req.id()));
  *resp = Present(stored);
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoListClients(
    const v1::ListClientsRequest& req, v1::ListClientsResponse* resp) {
  ASSIGN_OR_RETURN(PageRequest page,
                   ParsePage(req.page_size(), req.page_token()));
  ASSIGN_OR_RETURN(Page<StoredClient> result,
                   context_.store->ListClients(page));
  for (const StoredClient& stored : result.items) {
    *resp->add_clients() = Present(stored);
  }
  resp->set_next_page_token(PageToken(result.next_after));
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoUpdateClient(
    const v1::UpdateClientRequest& req, v1::WebHookClient* resp) {
  RETURN_IF_ERROR(RequireId("id", req.id()));
  if (req.has_name()) RETURN_IF_ERROR(ValidateName("name", req.name()));
  if (req.has_base_uri())
    RETURN_IF_ERROR(CheckBaseUri("base_uri", req.base_uri()));
  ASSIGN_OR_RETURN(StoredClient stored, context_.store->GetClient(req.id()));
  v1::WebHookClient& c = stored.client;
  if (req.has_name()) c.set_name(req.name());
  if (req.has_base_uri()) c.set_base_uri(req.base_uri());
  if (req.has_send_authorization_header()) {
    c.set_send_authorization_header(req.send_authorization_header());
  }
  *c.mutable_update_time() = ToProto(context_.clock->Now());
  RETURN_IF_ERROR(context_.store->UpdateClient(stored));
  Log("client updated id=", c.id(), " name=\"", c.name(), "\"");
  *resp = Present(stored);
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoDeleteClient(
    const v1::DeleteClientRequest& req, v1::DeleteClientResponse* resp) {
  RETURN_IF_ERROR(RequireId("id", req.id()));
  RETURN_IF_ERROR(context_.store->DeleteClient(req.id()));
  Log("client deleted id=", req.id());
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoRotateClientSecret(
    const v1::RotateClientSecretRequest& req,
    v1::RotateClientSecretResponse* resp) {
  RETURN_IF_ERROR(RequireId("id", req.id()));
  absl::Duration grace = kDefaultGracePeriod;
  if (req.has_grace_period()) {
    ASSIGN_OR_RETURN(grace,
                     DurationField("grace_period", req.grace_period(),
                                   absl::ZeroDuration(), kMaxGracePeriod));
  }
  std::string secret, hashed;
  RETURN_IF_ERROR(NewSecret(req.has_secret() ? &req.secret() : nullptr,
                            "secret", &secret, &hashed));
  ASSIGN_OR_RETURN(StoredClient stored, context_.store->GetClient(req.id()));
  v1::WebHookClient& c = stored.client;
  absl::Time now = context_.clock->Now();
  if (grace > absl::ZeroDuration()) {
    stored.sealed_previous_secret = stored.sealed_secret;
    *c.mutable_previous_secret_expire_time() = ToProto(now + grace);
  } else {
    stored.sealed_previous_secret.clear();
    c.clear_previous_secret_expire_time();
  }
  stored.sealed_secret = context_.secret_box->Seal(secret, c.id());
  *c.mutable_update_time() = ToProto(now);
  RETURN_IF_ERROR(context_.store->UpdateClient(stored));
  Log("client secret rotated id=", c.id(),
      " grace=", absl::FormatDuration(grace));
  *resp->mutable_client() = Present(stored);
  resp->set_secret(secret);
  resp->set_hashed_secret(hashed);
  if (c.has_previous_secret_expire_time()) {
    *resp->mutable_previous_secret_expire_time() =
        c.previous_secret_expire_time();
  }
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoCreateWebHook(
    const v1::CreateWebHookRequest& req, v1::CreateWebHookResponse* resp) {
  if (!req.has_web_hook()) return Invalid("web_hook", "required");
  RETURN_IF_ERROR(RequireId("web_hook.client_id", req.web_hook().client_id()));
  v1::WebHook hook = req.web_hook();
  hook.set_id(NewUuid());
  *hook.mutable_create_time() = ToProto(context_.clock->Now());
  *hook.mutable_update_time() = hook.create_time();
  auto filter = WebHookFilter::Compile(std::move(hook));
  RETURN_IF_ERROR(Prefixed(filter.status(), "web_hook."));
  RETURN_IF_ERROR(
      Prefixed(context_.store->CreateWebHook(filter->hook()), "web_hook."));
  context_.web_hooks_changed();
  Log("web hook created id=", filter->hook().id(),
      " client=", filter->hook().client_id(),
      " type=", RouteOf(filter->hook().type()));
  ASSIGN_OR_RETURN(auto catalog, context_.store->AllSettingClients());
  *resp->mutable_web_hook() = filter->hook();
  *resp->mutable_matches() = FindMatches(*filter, catalog).summary;
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoGetWebHook(const v1::GetWebHookRequest& req,
                                               v1::WebHook* resp) {
  RETURN_IF_ERROR(RequireId("id", req.id()));
  ASSIGN_OR_RETURN(*resp, context_.store->GetWebHook(req.id()));
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoListWebHooks(
    const v1::ListWebHooksRequest& req, v1::ListWebHooksResponse* resp) {
  if (req.type() != v1::WEB_HOOK_TYPE_UNSPECIFIED &&
      !IsValidWebHookType(req.type())) {
    return Invalid("type", absl::StrCat("unknown type ", req.type()));
  }
  ASSIGN_OR_RETURN(PageRequest page,
                   ParsePage(req.page_size(), req.page_token()));
  WebHookFilterSpec filter{req.client_id(), req.type()};
  ASSIGN_OR_RETURN(Page<v1::WebHook> result,
                   context_.store->ListWebHooks(filter, page));
  for (v1::WebHook& hook : result.items)
    *resp->add_web_hooks() = std::move(hook);
  resp->set_next_page_token(PageToken(result.next_after));
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoUpdateWebHook(
    const v1::UpdateWebHookRequest& req, v1::WebHook* resp) {
  RETURN_IF_ERROR(RequireId("id", req.id()));
  ASSIGN_OR_RETURN(v1::WebHook hook, context_.store->GetWebHook(req.id()));
  if (req.has_client_id() && req.client_id() != hook.client_id()) {
    return Invalid("client_id", "cannot be changed; create a new web hook");
  }
  if (req.has_type()) hook.set_type(req.type());
  if (req.has_client_name_regex())
    hook.set_client_name_regex(req.client_name_regex());
  if (req.has_setting_name_regex()) {
    hook.set_setting_name_regex(req.setting_name_regex());
  }
  if (req.has_min_sessions()) hook.set_min_sessions(req.min_sessions());
  *hook.mutable_update_time() = ToProto(context_.clock->Now());
  ASSIGN_OR_RETURN(WebHookFilter filter,
                   WebHookFilter::Compile(std::move(hook)));
  RETURN_IF_ERROR(context_.store->UpdateWebHook(filter.hook()));
  context_.web_hooks_changed();
  Log("web hook updated id=", filter.hook().id());
  *resp = filter.hook();
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoDeleteWebHook(
    const v1::DeleteWebHookRequest& req, v1::DeleteWebHookResponse* resp) {
  RETURN_IF_ERROR(RequireId("id", req.id()));
  RETURN_IF_ERROR(context_.store->DeleteWebHook(req.id()));
  context_.web_hooks_changed();
  Log("web hook deleted id=", req.id());
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoGetWebHookMatches(
    const v1::GetWebHookMatchesRequest& req,
    v1::GetWebHookMatchesResponse* resp) {
  v1::WebHook hook;
  switch (req.target_case()) {
    case v1::GetWebHookMatchesRequest::kWebHookId: {
      RETURN_IF_ERROR(RequireId("web_hook_id", req.web_hook_id()));
      ASSIGN_OR_RETURN(hook, context_.store->GetWebHook(req.web_hook_id()));
      break;
    }
    case v1::GetWebHookMatchesRequest::kSpec:
      hook = req.spec();
      break;
    case v1::GetWebHookMatchesRequest::TARGET_NOT_SET:
      return Invalid("target", "set web_hook_id or spec");
  }
  auto filter = WebHookFilter::Compile(std::move(hook));
  RETURN_IF_ERROR(Prefixed(filter.status(), "spec."));
  ASSIGN_OR_RETURN(PageRequest page,
                   ParsePage(req.page_size(), req.page_token(), 100));
  size_t offset = 0;
  if (!page.after.empty() && !absl::SimpleAtoi(page.after, &offset)) {
    return Invalid("page_token", "not a next_page_token of this list");
  }
  ASSIGN_OR_RETURN(auto catalog, context_.store->AllSettingClients());
  Matches matches = FindMatches(*filter, catalog);
  *resp->mutable_summary() = matches.summary;
  size_t end = std::min(matches.rows.size(), offset + page.limit);
  for (size_t i = offset; i < end; ++i) *resp->add_rows() = matches.rows[i];
  if (end < matches.rows.size())
    resp->set_next_page_token(PageToken(absl::StrCat(end)));
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoListSettingClients(
    const v1::ListSettingClientsRequest& req,
    v1::ListSettingClientsResponse* resp) {
  ASSIGN_OR_RETURN(PageRequest page,
                   ParsePage(req.page_size(), req.page_token()));
  ASSIGN_OR_RETURN(Page<v1::SettingClient> result,
                   context_.store->ListSettingClients(page));
  for (v1::SettingClient& c : result.items) {
    *resp->add_setting_clients() = std::move(c);
  }
  resp->set_next_page_token(PageToken(result.next_after));
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoSyncSettingClients(
    const v1::SyncSettingClientsRequest& req,
    v1::SyncSettingClientsResponse* resp) {
  if (!v1::SyncMode_IsValid(req.mode())) {
    return Invalid("mode", absl::StrCat("unknown mode ", req.mode()));
  }
  std::vector<v1::SettingClient> clients;
  std::set<std::string> names;
  google::protobuf::Timestamp now = ToProto(context_.clock->Now());
  for (int i = 0; i < req.setting_clients_size(); ++i) {
    const v1::SettingClient& in = req.setting_clients(i);
    std::string field = absl::StrCat("setting_clients[", i, "].name");
    RETURN_IF_ERROR(ValidateName(field, in.name()));
    if (!names.insert(in.name()).second) {
      return Invalid(field, absl::StrCat("\"", in.name(), "\" given twice"));
    }
    // Sorted and unique, so matches come out in a stable order.
    std::set<std::string> settings(in.settings().begin(), in.settings().end());
    v1::SettingClient& out = clients.emplace_back();
    out.set_name(in.name());
    out.mutable_settings()->Assign(settings.begin(), settings.end());
    *out.mutable_update_time() = now;
  }
  ASSIGN_OR_RETURN(SyncResult result,
                   context_.store->SyncSettingClients(
                       clients, req.mode() == v1::SYNC_MODE_REPLACE));
  Log("setting clients synced written=", result.written,
      " removed=", result.removed);
  resp->set_written(result.written);
  resp->set_removed(result.removed);
  return absl::OkStatus();
}

}  // namespace relay

namespace relay {

absl::Status WebHookAdminService::DoListDeliveries(
    const v1::ListDeliveriesRequest& req, v1::ListDeliveriesResponse* resp) {
  if (req.type() != v1::WEB_HOOK_TYPE_UNSPECIFIED &&
      !IsValidWebHookType(req.type())) {
    return Invalid("type", absl::StrCat("unknown type ", req.type()));
  }
  if (!v1::DeliveryState_IsValid(req.state())) {
    return Invalid("state", absl::StrCat("unknown state ", req.state()));
  }
  ASSIGN_OR_RETURN(PageRequest page,
                   ParsePage(req.page_size(), req.page_token()));
  DeliveryFilter filter{req.client_id(), req.web_hook_id(), req.event_id(),
                        req.type(), req.state()};
  ASSIGN_OR_RETURN(Page<v1::Delivery> result,
                   context_.store->ListDeliveries(filter, page));
  for (v1::Delivery& d : result.items) *resp->add_deliveries() = std::move(d);
  resp->set_next_page_token(PageToken(result.next_after));
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoGetDelivery(
    const v1::GetDeliveryRequest& req, v1::Delivery* resp) {
  RETURN_IF_ERROR(RequireId("id", req.id()));
  ASSIGN_OR_RETURN(*resp, context_.store->GetDelivery(req.id()));
  return absl::OkStatus();
}

absl::Status WebHookAdminService::DoRedeliverDelivery(
    const v1::RedeliverDeliveryRequest& req, v1::Delivery* resp) {
  RETURN_IF_ERROR(RequireId("id", req.id()));
  ASSIGN_OR_RETURN(*resp,
                   context_.store->Redeliver(req.id(), context_.clock->Now()));
  context_.deliveries_due();
  Log("delivery ", req.id(), " queued for redelivery");
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* WebHookAdminService::TestClient(
    grpc::CallbackServerContext* ctx, const v1::TestClientRequest* req,
    v1::TestClientResponse* resp) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  context_.executor->Schedule([this, req, resp, reactor] {
    auto finish = [reactor](absl::Status status) {
      reactor->Finish(ToGrpcStatus(status));
    };
    absl::Status status = StartTest(*req, resp, finish);
    if (!status.ok()) finish(status);
  });
  return reactor;
}

absl::Status WebHookAdminService::StartTest(
    const v1::TestClientRequest& req, v1::TestClientResponse* resp,
    std::function<void(absl::Status)> finish) {
  RETURN_IF_ERROR(RequireId("id", req.id()));
  absl::Duration timeout = context_.test_timeout;
  if (req.has_timeout()) {
    ASSIGN_OR_RETURN(
        timeout, DurationField("timeout", req.timeout(), absl::Milliseconds(1),
                               absl::Seconds(60)));
  }
  std::vector<v1::WebHookType> types;
  for (int i = 0; i < req.types_size(); ++i) {
    if (!IsValidWebHookType(req.types(i))) {
      return Invalid(absl::StrCat("types[", i, "]"),
                     absl::StrCat("unknown type ", req.types(i)));
    }
    types.push_back(req.types(i));
  }
  if (types.empty())
    types.assign(kAllWebHookTypes.begin(), kAllWebHookTypes.end());
  ASSIGN_OR_RETURN(StoredClient client, context_.store->GetClient(req.id()));
  ASSIGN_OR_RETURN(
      std::string secret,
      context_.secret_box->Open(client.sealed_secret, client.client.id()));

  // Results are filled in as answers come; the last one finishes the call.
  struct Pending {
    absl::Mutex mu;
    int left ABSL_GUARDED_BY(mu);
  };
  auto pending = std::make_shared<Pending>();
  {
    absl::MutexLock l(&pending->mu);
    pending->left = static_cast<int>(types.size());
  }
  auto answered = [pending, finish] {
    bool last;
    {
      absl::MutexLock l(&pending->mu);
      last = --pending->left == 0;
    }
    if (last) finish(absl::OkStatus());
  };
  absl::Time now = context_.clock->Now();
  for (v1::WebHookType type : types) resp->add_results()->set_type(type);
  for (int i = 0; i < static_cast<int>(types.size()); ++i) {
    v1::RouteTestResult* result = resp->mutable_results(i);
    v1::Event event = TestEvent(types[i], now);
    NormalizeEvent(context_.fig_web_url, &event);
    HttpRequest request;
    request.body = RenderPayload(event);
    request.timeout = timeout;
    request.headers =
        WebHookHeaders(client, secret, "", absl::StrCat("test_", NewUuid()),
                       now, request.body);
    auto url = ResolveRoute(client.client.base_uri(), RouteOf(types[i]));
    if (!url.ok()) {
      result->set_result("Failed");
      result->set_message(std::string(url.status().message()));
      answered();
      continue;
    }
    result->set_url(*url);
    request.url = *url;
    context_.http->Send(std::move(request), [result, answered](HttpResult r) {
      result->set_http_status(r.status);
      result->set_succeeded(r.status >= 200 && r.status < 300);
      result->set_result(result->succeeded() ? "Succeeded" : "Failed");
      if (!result->succeeded()) {
        result->set_message(r.error.empty() ? absl::StrCat("HTTP ", r.status)
                                            : r.error);
      }
      *result->mutable_duration() = TimeUtil::MicrosecondsToDuration(
          absl::ToInt64Microseconds(r.duration));
      answered();
    });
  }
  Log("client ", client.client.id(), " tested on ", types.size(), " routes");
  return absl::OkStatus();
}

}  // namespace relay
