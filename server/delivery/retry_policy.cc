#include "server/delivery/retry_policy.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace relay {

std::vector<absl::Duration> RetryPolicy::DefaultSchedule() {
  return {absl::ZeroDuration(), absl::Seconds(5), absl::Minutes(5),
          absl::Minutes(30),    absl::Hours(2),   absl::Hours(5),
          absl::Hours(10),      absl::Hours(10)};
}

absl::StatusOr<std::vector<absl::Duration>> RetryPolicy::ParseSchedule(
    const std::string& text) {
  std::vector<absl::Duration> out;
  for (absl::string_view part :
       absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    absl::Duration d;
    part = absl::StripAsciiWhitespace(part);
    if (!absl::ParseDuration(part, &d) || d < absl::ZeroDuration()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--retry-schedule: \"", part,
                       "\" is not a duration like 5s, 5m or 2h"));
    }
    out.push_back(d);
  }
  if (out.empty()) {
    return absl::InvalidArgumentError("--retry-schedule: at least one delay");
  }
  return out;
}

std::optional<absl::Duration> RetryPolicy::NextDelay(
    int automatic_attempts, absl::Duration retry_after) {
  if (automatic_attempts >= max_attempts()) return std::nullopt;
  absl::Duration delay = schedule_[automatic_attempts];
  if (jitter_ > 0 && delay > absl::ZeroDuration()) {
    absl::MutexLock l(&mu_);
    delay *= absl::Uniform(bitgen_, 1.0 - jitter_, 1.0 + jitter_);
  }
  return std::max(delay, retry_after);
}

}  // namespace relay
