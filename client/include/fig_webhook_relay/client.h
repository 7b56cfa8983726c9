// fig-webhook-relay's C++ client: typed calls to the relay's three services
// over the generated stubs.
//
//   auto relay = fig_webhook_relay::Client::Connect({.target =
//   "127.0.0.1:50051"}); fig::webhooks::v1::PublishRequest req;
//   ... fill req.mutable_event() ...
//   absl::StatusOr<fig::webhooks::v1::PublishResponse> resp =
//   (*relay)->Publish(req);
//
// Thread-safe: one Client may be shared by any number of threads. Every call
// has a deadline (ConnectOptions::deadline). Calls that change nothing
// (every Get and List, GetWebHookMatches, TestClient) are retried on
// UNAVAILABLE by gRPC's retry policy (ServiceConfig()); others are not, so
// nothing is done twice: retry a Publish yourself with an idempotency key.
#ifndef FIG_WEBHOOK_RELAY_CLIENT_H_
#define FIG_WEBHOOK_RELAY_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fig/webhooks/v1/admin.grpc.pb.h"
#include "fig/webhooks/v1/ingest.grpc.pb.h"
#include "fig/webhooks/v1/sessions.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace fig_webhook_relay {

struct ConnectOptions {
  // host:port of the relay.
  std::string target = "127.0.0.1:50051";
  // Use TLS. With `ca_cert_pem` empty, the system's roots verify the relay.
  bool tls = false;
  std::string ca_cert_pem;
  // mTLS: the client's certificate chain and key (PEM), both or neither.
  std::string client_cert_pem;
  std::string client_key_pem;
  // Sent as "authorization: Bearer <token>" on every call when not empty.
  std::string bearer_token;
  // Deadline of each call.
  absl::Duration deadline = absl::Seconds(10);
};

class Client {
 public:
  // Creates the channel (connecting lazily). InvalidArgument for an empty
  // target or a half-given client certificate.
  static absl::StatusOr<std::unique_ptr<Client>> Connect(
      const ConnectOptions& options);

  // The JSON service config with the retry policy this client uses.
  static std::string ServiceConfig();

  // WebHookAdmin. Errors are the relay's gRPC status as absl::Status (same
  // code, same message).
  absl::StatusOr<fig::webhooks::v1::CreateClientResponse> CreateClient(
      const fig::webhooks::v1::CreateClientRequest& req);
  absl::StatusOr<fig::webhooks::v1::WebHookClient> GetClient(
      const fig::webhooks::v1::GetClientRequest& req);
  absl::StatusOr<fig::webhooks::v1::ListClientsResponse> ListClients(
      const fig::webhooks::v1::ListClientsRequest& req);
  absl::StatusOr<fig::webhooks::v1::WebHookClient> UpdateClient(
      const fig::webhooks::v1::UpdateClientRequest& req);
  absl::StatusOr<fig::webhooks::v1::DeleteClientResponse> DeleteClient(
      const fig::webhooks::v1::DeleteClientRequest& req);
  absl::StatusOr<fig::webhooks::v1::RotateClientSecretResponse>
  RotateClientSecret(const fig::webhooks::v1::RotateClientSecretRequest& req);
  absl::StatusOr<fig::webhooks::v1::TestClientResponse> TestClient(
      const fig::webhooks::v1::TestClientRequest& req);
  absl::StatusOr<fig::webhooks::v1::CreateWebHookResponse> CreateWebHook(
      const fig::webhooks::v1::CreateWebHookRequest& req);
  absl::StatusOr<fig::webhooks::v1::WebHook> GetWebHook(
      const fig::webhooks::v1::GetWebHookRequest& req);
  absl::StatusOr<fig::webhooks::v1::ListWebHooksResponse> ListWebHooks(
      const fig::webhooks::v1::ListWebHooksRequest& req);
  absl::StatusOr<fig::webhooks::v1::WebHook> UpdateWebHook(
      const fig::webhooks::v1::UpdateWebHookRequest& req);
  absl::StatusOr<fig::webhooks::v1::DeleteWebHookResponse> DeleteWebHook(
      const fig::webhooks::v1::DeleteWebHookRequest& req);
  absl::StatusOr<fig::webhooks::v1::GetWebHookMatchesResponse>
  GetWebHookMatches(const fig::webhooks::v1::GetWebHookMatchesRequest& req);
  absl::StatusOr<fig::webhooks::v1::ListSettingClientsResponse>
  ListSettingClients(const fig::webhooks::v1::ListSettingClientsRequest& req);
  absl::StatusOr<fig::webhooks::v1::SyncSettingClientsResponse>
  SyncSettingClients(const fig::webhooks::v1::SyncSettingClientsRequest& req);
  absl::StatusOr<fig::webhooks::v1::ListDeliveriesResponse> ListDeliveries(
      const fig::webhooks::v1::ListDeliveriesRequest& req);
  absl::StatusOr<fig::webhooks::v1::Delivery> GetDelivery(
      const fig::webhooks::v1::GetDeliveryRequest& req);
  absl::StatusOr<fig::webhooks::v1::Delivery> RedeliverDelivery(
      const fig::webhooks::v1::RedeliverDeliveryRequest& req);

  // EventIngest.
  absl::StatusOr<fig::webhooks::v1::PublishResponse> Publish(
      const fig::webhooks::v1::PublishRequest& req);
  absl::StatusOr<fig::webhooks::v1::PublishBatchResponse> PublishBatch(
      const fig::webhooks::v1::PublishBatchRequest& req);

  // RunSessions.
  absl::StatusOr<fig::webhooks::v1::PollResponse> Poll(
      const fig::webhooks::v1::PollRequest& req);
  absl::StatusOr<fig::webhooks::v1::EndSessionResponse> EndSession(
      const fig::webhooks::v1::EndSessionRequest& req);
  absl::StatusOr<fig::webhooks::v1::ListRunSessionsResponse> ListRunSessions(
      const fig::webhooks::v1::ListRunSessionsRequest& req);

 private:
  Client(std::shared_ptr<grpc::Channel> channel, ConnectOptions options);
  void Prepare(grpc::ClientContext* ctx) const;
  template <typename Response, typename Stub, typename Method, typename Request>
  absl::StatusOr<Response> Call(Stub* stub, Method method, const Request& req);

  const ConnectOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<fig::webhooks::v1::WebHookAdmin::Stub> admin_;
  std::unique_ptr<fig::webhooks::v1::EventIngest::Stub> ingest_;
  std::unique_ptr<fig::webhooks::v1::RunSessions::Stub> sessions_;
};

}  // namespace fig_webhook_relay

#endif  // FIG_WEBHOOK_RELAY_CLIENT_H_
