// The relay server in this process, on port 0, in a temp dir, on a fake
// clock: for tests that call the API through real gRPC stubs.
#ifndef TESTS_SUPPORT_IN_PROCESS_RELAY_H_
#define TESTS_SUPPORT_IN_PROCESS_RELAY_H_

#include <memory>
#include <string>

#include "fig/webhooks/v1/admin.grpc.pb.h"
#include "fig/webhooks/v1/ingest.grpc.pb.h"
#include "fig/webhooks/v1/sessions.grpc.pb.h"
#include "server/api/relay_server.h"
#include "server/core/clock.h"
#include "tests/support/temp_dir.h"

namespace relay::testing {

class InProcessRelay {
 public:
  // Starts on a fresh temp dir (or `data_dir`, to restart on old data).
  explicit InProcessRelay(RelayOptions options = {});
  ~InProcessRelay();

  // Stops the server and starts a new one on the same data dir.
  void Restart();

  const std::string& data_dir() const { return options_.data_dir; }

  // Moves the fake clock and lets the dispatcher see the new time.
  void Advance(absl::Duration d) {
    clock.Advance(d);
    server_->Tick();
  }

  FakeClock clock;
  std::unique_ptr<fig::webhooks::v1::WebHookAdmin::Stub> admin;
  std::unique_ptr<fig::webhooks::v1::EventIngest::Stub> ingest;
  std::unique_ptr<fig::webhooks::v1::RunSessions::Stub> sessions;

 private:
  void Start();

  TempDir dir_;
  RelayOptions options_;
  std::unique_ptr<RelayServer> server_;
};

}  // namespace relay::testing

#endif  // TESTS_SUPPORT_IN_PROCESS_RELAY_H_
