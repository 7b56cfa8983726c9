// The relay's gRPC server: every service, reflection and health, on one port.
#ifndef SERVER_API_RELAY_SERVER_H_
#define SERVER_API_RELAY_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "server/core/clock.h"

namespace relay {

struct RelayOptions {
  // host:port to listen on; port 0 picks a free one.
  std::string listen = "127.0.0.1:50051";
  // Where the embedded store keeps its files. Created if missing.
  std::string data_dir = "./data";
  // Fig's web application address, used for Link when an event has none.
  std::string fig_web_url;
  // Delays before attempt 1, 2, ... of a delivery; empty for the default
  // (0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).
  std::vector<absl::Duration> retry_schedule;
  // +- fraction applied to each retry delay.
  double retry_jitter = 0.2;
  // Timeout of one delivery request.
  absl::Duration request_timeout = absl::Seconds(10);
  // TestClient's default timeout per route.
  absl::Duration test_timeout = absl::Seconds(2);
  // Requests in flight, in all and per client.
  int max_in_flight = 256;
  int max_in_flight_per_client = 16;
  // Time, for tests; not owned.
  Clock* clock = Clock::Real();
};

// Not thread-safe to Start twice; Shutdown may be called from any thread.
class RelayServer {
 public:
  // Opens the store and starts serving. Errors name what failed (the data
  // dir, the listen address).
  static absl::StatusOr<std::unique_ptr<RelayServer>> Start(
      const RelayOptions& options);
  ~RelayServer();

  // The address actually listened on (with the chosen port).
  const std::string& address() const { return address_; }
  int port() const { return port_; }

  // Stops accepting calls, lets calls in flight finish (up to a deadline),
  // then stops background work.
  void Shutdown();

  // Look for due work now: deliveries due, sessions expired (tests call it
  // after advancing a fake clock).
  void Tick();

 private:
  struct Services;
  RelayServer() = default;

  std::unique_ptr<Services> services_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  int port_ = 0;
};

}  // namespace relay

#endif  // SERVER_API_RELAY_SERVER_H_
