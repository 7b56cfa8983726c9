// webhook-relay: receives Fig's events over gRPC and delivers them as web
// hooks. See README.md for the flags and the walk-through.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "server/api/relay_server.h"
#include "server/core/command_line.h"
#include "server/delivery/retry_policy.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "host:port for the gRPC API; port 0 picks a free port");
ABSL_FLAG(std::string, data_dir, "./data",
          "directory of the embedded store (created if missing)");
ABSL_FLAG(std::string, fig_web_url, "",
          "Fig's web address (e.g. https://fig.example.com/), used for Link");

namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "webhook-relay: %s\n",
               std::string(status.message()).c_str());
  return 1;
}

}  // namespace

ABSL_FLAG(std::string, retry_schedule, "0s,5s,5m,30m,2h,5h,10h,10h",
          "delays before attempt 1, 2, ... of a delivery; after the last, "
          "a delivery is dead");
ABSL_FLAG(double, retry_jitter, 0.2, "+- fraction applied to each retry delay");
ABSL_FLAG(absl::Duration, request_timeout, absl::Seconds(10),
          "timeout of one delivery request");
ABSL_FLAG(absl::Duration, test_timeout, absl::Seconds(2),
          "TestClient's default timeout per route");
ABSL_FLAG(int, max_in_flight, 256, "delivery requests in flight, in all");
ABSL_FLAG(int, max_in_flight_per_client, 16,
          "delivery requests in flight to one client");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Relays Fig's events to web hook receivers.\n"
      "Usage: webhook-relay [--listen=127.0.0.1:50051] [--data-dir=./data] "
      "[--fig-web-url=URL]");
  relay::ParseCommandLine(argc, argv);

  relay::StopSignals stop;  // before any thread starts

  relay::RelayOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.fig_web_url = absl::GetFlag(FLAGS_fig_web_url);
  auto schedule =
      relay::RetryPolicy::ParseSchedule(absl::GetFlag(FLAGS_retry_schedule));
  if (!schedule.ok()) return Fail(schedule.status());
  options.retry_schedule = *schedule;
  options.retry_jitter = absl::GetFlag(FLAGS_retry_jitter);
  options.request_timeout = absl::GetFlag(FLAGS_request_timeout);
  options.test_timeout = absl::GetFlag(FLAGS_test_timeout);
  options.max_in_flight = absl::GetFlag(FLAGS_max_in_flight);
  options.max_in_flight_per_client =
      absl::GetFlag(FLAGS_max_in_flight_per_client);
  if (options.retry_jitter < 0 || options.retry_jitter >= 1) {
    return Fail(
        absl::InvalidArgumentError("--retry-jitter: must be in [0, 1)"));
  }
  if (options.request_timeout <= absl::ZeroDuration() ||
      options.test_timeout <= absl::ZeroDuration()) {
    return Fail(absl::InvalidArgumentError(
        "--request-timeout and --test-timeout: must be positive"));
  }
  if (options.max_in_flight < 1 || options.max_in_flight_per_client < 1) {
    return Fail(absl::InvalidArgumentError(
        "--max-in-flight and --max-in-flight-per-client: must be >= 1"));
  }
  auto server = relay::RelayServer::Start(options);
  if (!server.ok()) return Fail(server.status());
  // Tests and scripts read this line to learn the port.
  std::printf("webhook-relay listening on %s\n", (*server)->address().c_str());
  std::fflush(stdout);

  int signal_number = stop.Wait();
  std::fprintf(stderr, "webhook-relay: signal %d, shutting down\n",
               signal_number);
  (*server)->Shutdown();
  return 0;
}
