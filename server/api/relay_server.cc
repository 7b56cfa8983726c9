#include "server/api/relay_server.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "fig/webhooks/v1/admin.grpc.pb.h"
#include "fig/webhooks/v1/ingest.grpc.pb.h"
#include "fig/webhooks/v1/sessions.grpc.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "server/api/admin_service.h"
#include "server/api/executor.h"
#include "server/api/request_fields.h"
#include "server/core/clock.h"
#include "server/core/status_macros.h"
#include "server/crypto/secret_box.h"
#include "server/store/sqlite_store.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;

// Declared in the order they are built; destroyed in reverse, after the
// gRPC server has stopped.
struct RelayServer::Services {
  Services(std::unique_ptr<Store> store_in, SecretBox box, Clock* clock)
      : store(std::move(store_in)),
        secret_box(std::move(box)),
        executor(4),
        admin(ServiceContext{store.get(), &secret_box, clock, &executor}) {}

  std::unique_ptr<Store> store;
  SecretBox secret_box;
  Executor executor;
  WebHookAdminService admin;
  v1::EventIngest::CallbackService ingest;
  v1::RunSessions::CallbackService sessions;
};

namespace {

// The data dir, created 0700 when missing.
absl::Status PrepareDataDir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("--data-dir: cannot create ", dir, ": ", error.message()));
  }
  chmod(dir.c_str(), 0700);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<RelayServer>> RelayServer::Start(
    const RelayOptions& options) {
  RETURN_IF_ERROR(PrepareDataDir(options.data_dir));
  auto box = SecretBox::Open(options.data_dir + "/secret.key");
  if (!box.ok()) return Prefixed(box.status(), "--data-dir: ");
  auto store = SqliteStore::Open(options.data_dir + "/relay.db");
  if (!store.ok()) return Prefixed(store.status(), "--data-dir: ");

  std::unique_ptr<RelayServer> relay(new RelayServer);
  relay->services_ = std::make_unique<Services>(*std::move(store),
                                                *std::move(box), options.clock);

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
