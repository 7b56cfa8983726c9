// The real webhook-relay binary, run as a child process on port 0, as users
// and CI run it. For tests that must see the process from outside: signals,
// SIGKILL and restart, reflection, health.
#ifndef TESTS_SUPPORT_RELAY_PROCESS_H_
#define TESTS_SUPPORT_RELAY_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"

namespace relay::testing {

class RelayProcess {
 public:
  // Starts build/server/webhook-relay --listen=127.0.0.1:0
  // --data-dir=<data_dir> plus `extra_args`, and waits for its "listening
  // on" line. Fails the test (fatally) if it does not come.
  RelayProcess(const std::string& data_dir,
               std::vector<std::string> extra_args = {});
  // Kills the process (SIGKILL) if it still runs.
  ~RelayProcess();

  const std::string& address() const { return address_; }
  std::shared_ptr<grpc::Channel> Channel() const;

  // Sends `sig` and waits for the process to exit. Returns the wait status.
  int Stop(int sig);
  // All the process wrote to stderr so far (read after Stop).
  std::string Stderr() const;

 private:
  void Launch(const std::string& data_dir, std::vector<std::string> extra_args);

  pid_t pid_ = -1;
  std::string address_;
  std::string stderr_path_;
};

}  // namespace relay::testing

#endif  // TESTS_SUPPORT_RELAY_PROCESS_H_
