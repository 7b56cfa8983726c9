// WebHookAdmin: validation and mapping only; the rules live in core, the
// data in the store.
#ifndef SERVER_API_ADMIN_SERVICE_H_
#define SERVER_API_ADMIN_SERVICE_H_

#include "fig/webhooks/v1/admin.grpc.pb.h"
#include "server/api/service_context.h"

namespace relay {

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
  RELAY_UNARY_RPC(ListDeliveries, ListDeliveriesRequest,
                  ListDeliveriesResponse);
  RELAY_UNARY_RPC(GetDelivery, GetDeliveryRequest, Delivery);
  RELAY_UNARY_RPC(RedeliverDelivery, RedeliverDeliveryRequest, Delivery);

  // Finishes when the last route has answered (or timed out), not on the
  // executor: the requests run on the HttpSender.
  grpc::ServerUnaryReactor* TestClient(
      grpc::CallbackServerContext* ctx,
      const fig::webhooks::v1::TestClientRequest* req,
      fig::webhooks::v1::TestClientResponse* resp) override;

 private:
  // A secret given by the caller, or a generated one, with its Fig hash.
  // Sends the test payloads; calls `finish` once all have answered.
  absl::Status StartTest(const fig::webhooks::v1::TestClientRequest& req,
                         fig::webhooks::v1::TestClientResponse* resp,
                         std::function<void(absl::Status)> finish);
  absl::Status NewSecret(const std::string* imported, absl::string_view field,
                         std::string* secret, std::string* hashed);

  ServiceContext context_;
};

}  // namespace relay

#endif  // SERVER_API_ADMIN_SERVICE_H_
