#include "server/api/relay_server.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "fig/webhooks/v1/admin.grpc.pb.h"
#include "fig/webhooks/v1/ingest.grpc.pb.h"
#include "fig/webhooks/v1/sessions.grpc.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;

struct RelayServer::Services {
  v1::WebHookAdmin::CallbackService admin;
  v1::EventIngest::CallbackService ingest;
  v1::RunSessions::CallbackService sessions;
};

absl::StatusOr<std::unique_ptr<RelayServer>> RelayServer::Start(
    const RelayOptions& options) {
  std::unique_ptr<RelayServer> relay(new RelayServer);
  relay->services_ = std::make_unique<Services>();

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // Two relays on one port would split the calls between them: refuse.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(),
                           &relay->port_);
  builder.RegisterService(&relay->services_->admin);
  builder.RegisterService(&relay->services_->ingest);
  builder.RegisterService(&relay->services_->sessions);
  relay->server_ = builder.BuildAndStart();
  if (relay->server_ == nullptr || relay->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("--listen: cannot listen on ", options.listen));
  }
  std::string host = options.listen.substr(0, options.listen.rfind(':'));
  relay->address_ = absl::StrCat(host, ":", relay->port_);
  return relay;
}

RelayServer::~RelayServer() { Shutdown(); }

void RelayServer::Shutdown() {
  if (server_ == nullptr) return;
  server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  server_->Wait();
  server_.reset();
}

void RelayServer::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace relay
