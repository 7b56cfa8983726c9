#include "server/api/relay_server.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

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
#include "server/api/ingest_service.h"
#include "server/api/request_fields.h"
#include "server/api/sessions_service.h"
#include "server/core/clock.h"
#include "server/core/log.h"
#include "server/core/router.h"
#include "server/core/session_tracker.h"
#include "server/core/status_macros.h"
#include "server/core/web_hook_filter.h"
#include "server/crypto/secret_box.h"
#include "server/delivery/dispatcher.h"
#include "server/delivery/http_sender.h"
#include "server/delivery/retry_policy.h"
#include "server/store/group_commit.h"
#include "server/store/sqlite_store.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;

// Declared in the order they are built; destroyed in reverse, after the
// gRPC server has stopped.
struct RelayServer::Services {
  Services(const RelayOptions& options, int lock_fd_in,
           std::unique_ptr<Store> store_in, SecretBox box)
      : lock_fd(lock_fd_in),
        store(std::move(store_in)),
        secret_box(std::move(box)),
        http(std::make_unique<CurlHttpSender>()),
        retry(options.retry_schedule.empty() ? RetryPolicy::DefaultSchedule()
                                             : options.retry_schedule,
              options.retry_jitter),
        dispatcher(
            store.get(), &secret_box, http.get(), &retry, options.clock,
            DispatcherOptions{
                options.request_timeout,
                std::max(absl::Seconds(60), 6 * options.request_timeout),
                options.max_in_flight, options.max_in_flight_per_client}),
        group_commit(store.get(), options.clock, kIdempotencyWindow,
                     [this] { dispatcher.Wake(); }),
        executor(4),
        context(Context(options)),
        tracker(&router),
        admin(context),
        ingest(context),
        sessions(context, &tracker),
        sweeper(context, &tracker, absl::Seconds(1)) {}

  ~Services() { close(lock_fd); }

  ServiceContext Context(const RelayOptions& options) {
    ServiceContext c;
    c.store = store.get();
    c.secret_box = &secret_box;
    c.clock = options.clock;
    c.executor = &executor;
    c.router = &router;
    c.group_commit = &group_commit;
    c.http = http.get();
    c.fig_web_url = options.fig_web_url;
    c.test_timeout = options.test_timeout;
    c.web_hooks_changed = [this] {
      absl::Status status = ReloadRouter();
      if (!status.ok()) Log("router reload failed: ", status.message());
    };
    c.deliveries_due = [this] { dispatcher.Wake(); };
    return c;
  }

  // Reads every web hook and swaps the router's table. Serialised, so the
  // last reload always reflects the last change.
  absl::Status ReloadRouter() {
    absl::MutexLock l(&reload_mu);
    ASSIGN_OR_RETURN(std::vector<v1::WebHook> hooks, store->AllWebHooks());
    std::vector<WebHookFilter> filters;
    for (v1::WebHook& hook : hooks) {
      auto filter = WebHookFilter::Compile(std::move(hook));
      if (!filter.ok()) {
        Log("web hook skipped by the router: ", filter.status().message());
        continue;
      }
      filters.push_back(*std::move(filter));
    }
    router.SetWebHooks(std::move(filters));
    return absl::OkStatus();
  }

  static constexpr absl::Duration kIdempotencyWindow = absl::Hours(24);

  const int lock_fd;
  std::unique_ptr<Store> store;
  SecretBox secret_box;
  absl::Mutex reload_mu;
  Router router;
  std::unique_ptr<HttpSender> http;
  RetryPolicy retry;
  Dispatcher dispatcher;
  GroupCommit group_commit;
  Executor executor;
  const ServiceContext context;
  SessionTracker tracker;
  WebHookAdminService admin;
  EventIngestService ingest;
  RunSessionsService sessions;
  SessionSweeper sweeper;
};

namespace {

// The data dir, created 0700 when missing, and locked: one relay per dir.
// Returns the lock's file descriptor.
absl::StatusOr<int> PrepareDataDir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("--data-dir: cannot create ", dir, ": ", error.message()));
  }
  chmod(dir.c_str(), 0700);
  std::string lock_path = dir + "/LOCK";
  int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (fd >= 0) close(fd);
    return absl::FailedPreconditionError(absl::StrCat(
        "--data-dir: ", dir, " is in use by another relay (", lock_path, ")"));
  }
  return fd;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RelayServer>> RelayServer::Start(
    const RelayOptions& options) {
  ASSIGN_OR_RETURN(int lock_fd, PrepareDataDir(options.data_dir));
  auto box = SecretBox::Open(options.data_dir + "/secret.key");
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      box.ok() ? SqliteStore::Open(options.data_dir + "/relay.db")
               : box.status();
  // This process holds the lock: every lease left is a dead process's.
  absl::Status ready = store.ok() ? (*store)->ReleaseLeases() : store.status();
  if (!ready.ok()) {
    close(lock_fd);
    return Prefixed(ready, "--data-dir: ");
  }

  std::unique_ptr<RelayServer> relay(new RelayServer);
  relay->services_ = std::make_unique<Services>(
      options, lock_fd, *std::move(store), *std::move(box));
  Services& services = *relay->services_;
  RETURN_IF_ERROR(services.ReloadRouter());
  ASSIGN_OR_RETURN(std::vector<SessionRecord> sessions,
                   services.store->LoadSessions());
  services.tracker.Restore(std::move(sessions), options.clock->Now());
  services.dispatcher.Start();

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
  if (server_ != nullptr) {
    // Calls in flight finish (publishes commit) within the deadline.
    server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    server_->Wait();
    server_.reset();
  }
  if (services_ == nullptr) return;
  // Attempts cut short here keep their lease; the next start releases it
  // and sends them again.
  services_->dispatcher.Stop();
  services_->http.reset();
  services_.reset();
}

void RelayServer::Tick() {
  services_->dispatcher.Wake();
  services_->sweeper.Wake();
}

}  // namespace relay
