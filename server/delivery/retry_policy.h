// When to try a failed delivery again, and when to give up.
#ifndef SERVER_DELIVERY_RETRY_POLICY_H_
#define SERVER_DELIVERY_RETRY_POLICY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace relay {

// Thread-safe.
class RetryPolicy {
 public:
  // Svix's schedule: the delay before attempt 1, 2, ... 8.
  static std::vector<absl::Duration> DefaultSchedule();
  // "0s,5s,5m,30m" -> the schedule. InvalidArgument for an empty list or a
  // negative or unparsable delay.
  static absl::StatusOr<std::vector<absl::Duration>> ParseSchedule(
      const std::string& text);

  // `jitter` is the +- fraction applied to each delay (0.2 for +-20 %).
  RetryPolicy(std::vector<absl::Duration> schedule, double jitter)
      : schedule_(std::move(schedule)), jitter_(jitter) {}

  // Number of automatic attempts in all.
  int max_attempts() const { return static_cast<int>(schedule_.size()); }

  // The delay before the next attempt after `automatic_attempts` have failed,
  // or nullopt when the schedule is exhausted. The receiver's Retry-After
  // (on 429 and 503) wins when it asks for longer.
  std::optional<absl::Duration> NextDelay(int automatic_attempts,
                                          absl::Duration retry_after);

  // The HTTP status ends retries (410 Gone).
  static bool IsPermanentFailure(int http_status) { return http_status == 410; }
  static bool IsSuccess(int http_status) {
    return http_status >= 200 && http_status < 300;
  }
  static bool HonoursRetryAfter(int http_status) {
    return http_status == 429 || http_status == 503;
  }

 private:
  const std::vector<absl::Duration> schedule_;
  const double jitter_;
  absl::Mutex mu_;
  absl::BitGen bitgen_ ABSL_GUARDED_BY(mu_);
};

}  // namespace relay

#endif  // SERVER_DELIVERY_RETRY_POLICY_H_
