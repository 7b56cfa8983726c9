#include "fig_webhook_relay/client.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace fig_webhook_relay {

namespace v1 = ::fig::webhooks::v1;

std::string Client::ServiceConfig() {
  // Retried on UNAVAILABLE: calls that read, and TestClient (it stores
  // nothing). Publish is retried by the caller with an idempotency key.
  return R"json({
  "methodConfig": [{
    "name": [
      {"service": "fig.webhooks.v1.WebHookAdmin", "method": "GetClient"},
      {"service": "fig.webhooks.v1.WebHookAdmin", "method": "ListClients"},
      {"service": "fig.webhooks.v1.WebHookAdmin", "method": "TestClient"},
      {"service": "fig.webhooks.v1.WebHookAdmin", "method": "GetWebHook"},
      {"service": "fig.webhooks.v1.WebHookAdmin", "method": "ListWebHooks"},
      {"service": "fig.webhooks.v1.WebHookAdmin", "method": "GetWebHookMatches"},
      {"service": "fig.webhooks.v1.WebHookAdmin", "method": "ListSettingClients"},
      {"service": "fig.webhooks.v1.WebHookAdmin", "method": "ListDeliveries"},
      {"service": "fig.webhooks.v1.WebHookAdmin", "method": "GetDelivery"},
      {"service": "fig.webhooks.v1.RunSessions", "method": "ListRunSessions"}
    ],
    "retryPolicy": {
      "maxAttempts": 4,
      "initialBackoff": "0.1s",
      "maxBackoff": "2s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})json";
}

absl::StatusOr<std::unique_ptr<Client>> Client::Connect(
    const ConnectOptions& options) {
  if (options.target.empty()) {
    return absl::InvalidArgumentError(
        "target: required (host:port of the relay)");
  }
  if (options.client_cert_pem.empty() != options.client_key_pem.empty()) {
    return absl::InvalidArgumentError(
        "client_cert_pem and client_key_pem: give both or neither");
  }
  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (options.tls) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options.ca_cert_pem;
    ssl.pem_cert_chain = options.client_cert_pem;
    ssl.pem_private_key = options.client_key_pem;
    creds = grpc::SslCredentials(ssl);
  } else {
    creds = grpc::InsecureChannelCredentials();
  }
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(ServiceConfig());
  return std::unique_ptr<Client>(new Client(
      grpc::CreateCustomChannel(options.target, creds, args), options));
}

Client::Client(std::shared_ptr<grpc::Channel> channel, ConnectOptions options)
    : options_(std::move(options)),
      channel_(std::move(channel)),
      admin_(v1::WebHookAdmin::NewStub(channel_)),
      ingest_(v1::EventIngest::NewStub(channel_)),
      sessions_(v1::RunSessions::NewStub(channel_)) {}

void Client::Prepare(grpc::ClientContext* ctx) const {
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + options_.deadline));
  if (!options_.bearer_token.empty()) {
    ctx->AddMetadata("authorization",
                     absl::StrCat("Bearer ", options_.bearer_token));
  }
}

template <typename Response, typename Stub, typename Method, typename Request>
absl::StatusOr<Response> Client::Call(Stub* stub, Method method,
                                      const Request& req) {
  grpc::ClientContext ctx;
  Prepare(&ctx);
  Response resp;
  grpc::Status s = (stub->*method)(&ctx, req, &resp);
  if (!s.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                        s.error_message());
  }
  return resp;
}

// One typed method per RPC.
#define RELAY_CLIENT_CALL(Service, stub, Method, Request, Response)         \
  absl::StatusOr<v1::Response> Client::Method(const v1::Request& req) {     \
    return Call<v1::Response>(stub.get(), &v1::Service::Stub::Method, req); \
  }

RELAY_CLIENT_CALL(WebHookAdmin, admin_, CreateClient, CreateClientRequest,
                  CreateClientResponse)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, GetClient, GetClientRequest,
                  WebHookClient)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, ListClients, ListClientsRequest,
                  ListClientsResponse)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, UpdateClient, UpdateClientRequest,
                  WebHookClient)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, DeleteClient, DeleteClientRequest,
                  DeleteClientResponse)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, RotateClientSecret,
                  RotateClientSecretRequest, RotateClientSecretResponse)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, TestClient, TestClientRequest,
                  TestClientResponse)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, CreateWebHook, CreateWebHookRequest,
                  CreateWebHookResponse)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, GetWebHook, GetWebHookRequest, WebHook)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, ListWebHooks, ListWebHooksRequest,
                  ListWebHooksResponse)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, UpdateWebHook, UpdateWebHookRequest,
                  WebHook)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, DeleteWebHook, DeleteWebHookRequest,
                  DeleteWebHookResponse)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, GetWebHookMatches,
                  GetWebHookMatchesRequest, GetWebHookMatchesResponse)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, ListSettingClients,
                  ListSettingClientsRequest, ListSettingClientsResponse)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, SyncSettingClients,
                  SyncSettingClientsRequest, SyncSettingClientsResponse)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, ListDeliveries, ListDeliveriesRequest,
                  ListDeliveriesResponse)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, GetDelivery, GetDeliveryRequest,
                  Delivery)
RELAY_CLIENT_CALL(WebHookAdmin, admin_, RedeliverDelivery,
                  RedeliverDeliveryRequest, Delivery)
RELAY_CLIENT_CALL(EventIngest, ingest_, Publish, PublishRequest,
                  PublishResponse)
RELAY_CLIENT_CALL(EventIngest, ingest_, PublishBatch, PublishBatchRequest,
                  PublishBatchResponse)
RELAY_CLIENT_CALL(RunSessions, sessions_, Poll, PollRequest, PollResponse)
RELAY_CLIENT_CALL(RunSessions, sessions_, EndSession, EndSessionRequest,
                  EndSessionResponse)
RELAY_CLIENT_CALL(RunSessions, sessions_, ListRunSessions,
                  ListRunSessionsRequest, ListRunSessionsResponse)

}  // namespace fig_webhook_relay
