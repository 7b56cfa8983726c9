// A real HTTP receiver on loopback (cpp-httplib), for tests: records every
// request and answers as told.
#ifndef TESTS_SUPPORT_RECEIVER_H_
#define TESTS_SUPPORT_RECEIVER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace httplib {
class Server;
}

namespace relay::testing {

struct ReceivedRequest {
  std::string path;
  // Header names lower-cased.
  std::map<std::string, std::string> headers;
  std::string body;

  std::string Header(const std::string& name) const;
};

// Thread-safe.
class Receiver {
 public:
  // Listens on 127.0.0.1: on `port`, or a free port when 0.
  explicit Receiver(int port = 0);
  ~Receiver();

  int port() const { return port_; }
  // "http://127.0.0.1:<port>" + path.
  std::string Url(const std::string& path = "/") const;

  // How to answer from now on.
  void SetStatus(int status, const std::string& retry_after = "");
  // While closed, requests wait (the relay sees them in flight).
  void CloseGate();
  void OpenGate();

  // Waits until `n` requests have arrived (at most `timeout`); returns all
  // received so far.
  std::vector<ReceivedRequest> WaitFor(
      size_t n, absl::Duration timeout = absl::Seconds(20));
  std::vector<ReceivedRequest> Requests();
  // Requests that arrived and are held at the closed gate.
  int Waiting();

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;

  absl::Mutex mu_;
  std::vector<ReceivedRequest> requests_ ABSL_GUARDED_BY(mu_);
  int status_ ABSL_GUARDED_BY(mu_) = 200;
  std::string retry_after_ ABSL_GUARDED_BY(mu_);
  bool gate_open_ ABSL_GUARDED_BY(mu_) = true;
  int waiting_ ABSL_GUARDED_BY(mu_) = 0;
};

// Polls `done` until it is true or `timeout` passes; returns its last value.
// For waiting on state another thread changes, never on time itself.
bool Eventually(const std::function<bool()>& done,
                absl::Duration timeout = absl::Seconds(20));

}  // namespace relay::testing

#endif  // TESTS_SUPPORT_RECEIVER_H_
