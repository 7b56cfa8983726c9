// Sending HTTP requests: the interface the dispatcher and TestClient use,
// and its libcurl implementation.
#ifndef SERVER_DELIVERY_HTTP_SENDER_H_
#define SERVER_DELIVERY_HTTP_SENDER_H_

#include <curl/curl.h>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace relay {

struct HttpRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  absl::Duration timeout = absl::Seconds(10);
};

struct HttpResult {
  // The HTTP status, or 0 when no response came (refused, timed out, TLS).
  int status = 0;
  // What went wrong at the network level; "" when a response came.
  std::string error;
  // The first kMaxResponseBody bytes of the response body.
  std::string body;
  absl::Duration duration;
  // From a Retry-After header; zero when absent.
  absl::Duration retry_after;
};

inline constexpr size_t kMaxResponseBody = 4096;

// Thread-safe. `done` runs exactly once, on the sender's own thread: it must
// not block.
class HttpSender {
 public:
  virtual ~HttpSender() = default;
  virtual void Send(HttpRequest request,
                    std::function<void(HttpResult)> done) = 0;
};

// One libcurl multi handle owned by one I/O thread; connections are reused
// per host. Redirects are not followed (a 3xx is a failed attempt). TLS
// peers are verified. Link-local and cloud metadata addresses are refused
// at connect time (RefusedAddressReason).
class CurlHttpSender : public HttpSender {
 public:
  struct Transfer;

  CurlHttpSender();
  // Aborts requests still running (their `done` gets an error) and joins.
  ~CurlHttpSender() override;

  void Send(HttpRequest request, std::function<void(HttpResult)> done) override;

 private:
  void Loop();
  void Start(std::unique_ptr<Transfer> transfer);
  void Finish(CURL* easy, CURLcode code);

  CURLM* multi_;
  absl::Mutex mu_;
  std::deque<std::unique_ptr<Transfer>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Transfers under way; touched by the I/O thread only.
  absl::flat_hash_map<CURL*, std::unique_ptr<Transfer>> running_;
  std::thread thread_;
};

}  // namespace relay

#endif  // SERVER_DELIVERY_HTTP_SENDER_H_
