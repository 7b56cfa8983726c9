// Sends due deliveries, records every attempt, and reschedules failures.
#ifndef SERVER_DELIVERY_DISPATCHER_H_
#define SERVER_DELIVERY_DISPATCHER_H_

#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/core/clock.h"
#include "server/crypto/secret_box.h"
#include "server/delivery/http_sender.h"
#include "server/delivery/retry_policy.h"
#include "server/store/store.h"

namespace relay {

struct DispatcherOptions {
  // Timeout of one request (Fig's is 10 s).
  absl::Duration request_timeout = absl::Seconds(10);
  // A claim lasts this long; longer than request_timeout, so a delivery is
  // never sent twice at once by this process.
  absl::Duration lease = absl::Seconds(60);
  // Requests in flight, in all and per client (one slow receiver cannot
  // starve the others).
  int max_in_flight = 256;
  int max_in_flight_per_client = 16;
};

// The request headers of one attempt (values as sent).
std::vector<std::pair<std::string, std::string>> WebHookHeaders(
    const StoredClient& client, const std::string& secret,
    const std::string& previous_secret, absl::string_view webhook_id,
    absl::Time now, absl::string_view body);

// Thread-safe. One loop thread claims due deliveries and records outcomes;
// requests run on the HttpSender.
class Dispatcher {
 public:
  // Nothing is owned; all must outlive the Dispatcher.
  Dispatcher(Store* store, const SecretBox* secret_box, HttpSender* http,
             RetryPolicy* retry, Clock* clock, DispatcherOptions options);
  // Stop()s.
  ~Dispatcher();

  void Start();
  // Claims no more; waits up to 5 s for the attempts in flight and records
  // them. An attempt still running after that keeps its lease and is sent
  // again after the next start.
  void Stop();
  // Look for due deliveries now (after a publish, a redeliver, or a fake
  // clock's advance).
  void Wake();

 private:
  struct Outcome {
    DueDelivery delivery;
    std::string url;
    std::vector<fig::webhooks::v1::Header> headers;
    absl::Time start;
    HttpResult result;
  };

  void Loop();
  void Send(DueDelivery delivery, absl::Time now);
  AttemptRecord Record(const Outcome& outcome);
  void Done(Outcome outcome);

  Store* const store_;
  const SecretBox* const secret_box_;
  HttpSender* const http_;
  RetryPolicy* const retry_;
  Clock* const clock_;
  const DispatcherOptions options_;

  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = true;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<Outcome> outcomes_ ABSL_GUARDED_BY(mu_);
  // Ids of the deliveries being sent.
  absl::flat_hash_set<std::string> in_flight_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> in_flight_by_client_
      ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace relay

#endif  // SERVER_DELIVERY_DISPATCHER_H_
