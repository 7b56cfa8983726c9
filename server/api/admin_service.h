// WebHookAdmin: validation and mapping only; the rules live in core, the
// data in the store.
#ifndef SERVER_API_ADMIN_SERVICE_H_
#define SERVER_API_ADMIN_SERVICE_H_

#include <functional>

#include "fig/webhooks/v1/admin.grpc.pb.h"
#include "server/api/executor.h"
#include "server/api/unary.h"
#include "server/core/clock.h"
#include "server/crypto/secret_box.h"
#include "server/store/store.h"

namespace relay {

// What the services share. Nothing here is owned.
struct ServiceContext {
  Store* store = nullptr;
  const SecretBox* secret_box = nullptr;
  Clock* clock = nullptr;
  Executor* executor = nullptr;
  // Called after a web hook is created, changed or deleted (the router
  // reloads its filters).
  std::function<void()> web_hooks_changed = [] {};
};

// Declares the gRPC override, which runs Do<Method> on the executor.
#define RELAY_UNARY_RPC(Method, Request, Response)                          \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* ctx,        \
                                   const ::fig::webhooks::v1::Request* req, \
                                   ::fig::webhooks::v1::Response* resp)     \
      override {                                                            \
    return RunUnary(ctx, context_.executor,                                 \
                    [this, req, resp] { return Do##Method(*req, resp); });  \
  }                                                                         \
  absl::Status Do##Method(const ::fig::webhooks::v1::Request& req,          \
                          ::fig::webhooks::v1::Response* resp)

// Thread-safe.
class WebHookAdminService final
    : public fig::webhooks::v1::WebHookAdmin::CallbackService {
 public:
  explicit WebHookAdminService(ServiceContext context)
      : context_(std::move(context)) {}

  RELAY_UNARY_RPC(CreateClient, CreateClientRequest, CreateClientResponse);
  RELAY_UNARY_RPC(GetClient, GetClientRequest, WebHookClient);
  RELAY_UNARY_RPC(ListClients, ListClientsRequest, ListClientsResponse);
  RELAY_UNARY_RPC(UpdateClient, UpdateClientRequest, WebHookClient);
  RELAY_UNARY_RPC(DeleteClient, DeleteClientRequest, DeleteClientResponse);
  RELAY_UNARY_RPC(RotateClientSecret, RotateClientSecretRequest,
                  RotateClientSecretResponse);
  RELAY_UNARY_RPC(CreateWebHook, CreateWebHookRequest, CreateWebHookResponse);
  RELAY_UNARY_RPC(GetWebHook, GetWebHookRequest, WebHook);
  RELAY_UNARY_RPC(ListWebHooks, ListWebHooksRequest, ListWebHooksResponse);
  RELAY_UNARY_RPC(UpdateWebHook, UpdateWebHookRequest, WebHook);
  RELAY_UNARY_RPC(DeleteWebHook, DeleteWebHookRequest, DeleteWebHookResponse);
  RELAY_UNARY_RPC(GetWebHookMatches, GetWebHookMatchesRequest,
                  GetWebHookMatchesResponse);
  RELAY_UNARY_RPC(ListSettingClients, ListSettingClientsRequest,
                  ListSettingClientsResponse);
  RELAY_UNARY_RPC(SyncSettingClients, SyncSettingClientsRequest,
                  SyncSettingClientsResponse);

 private:
  // A secret given by the caller, or a generated one, with its Fig hash.
  absl::Status NewSecret(const std::string* imported, absl::string_view field,
                         std::string* secret, std::string* hashed);

  ServiceContext context_;
};

}  // namespace relay

#endif  // SERVER_API_ADMIN_SERVICE_H_
