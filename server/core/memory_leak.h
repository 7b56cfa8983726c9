// Fig's memory leak analysis (Fig <= 0.12), on one run session's samples.
#ifndef SERVER_CORE_MEMORY_LEAK_H_
#define SERVER_CORE_MEMORY_LEAK_H_

#include <optional>
#include <vector>

#include "absl/time/time.h"

namespace relay {

struct MemorySample {
  absl::Time time;
  double bytes = 0;
};

struct LeakFinding {
  double trend_line_slope = 0;  // bytes per second
  double starting_bytes_average = 0;
  double ending_bytes_average = 0;
  int seconds_analyzed = 0;
  int data_points_analyzed = 0;
};

inline constexpr absl::Duration kMemoryWarmUp = absl::Minutes(5);
inline constexpr absl::Duration kMemoryAnalysisInterval = absl::Minutes(20);
inline constexpr int kMinMemoryDataPoints = 40;

// Fig's rule: skip the warm-up (samples in the first 5 minutes after
// `session_start`); with more than 40 samples left, take their mean and
// population standard deviation; Starting/EndingBytesAverage are the means
// of the first and last 10 values; drop outliers outside mean +- 2 sd; fit
// bytes against seconds by least squares. A leak is a positive slope with
// End - Start > sd. Returns the finding for a leak, nullopt otherwise.
std::optional<LeakFinding> FindMemoryLeak(
    const std::vector<MemorySample>& samples, absl::Time session_start);

}  // namespace relay

#endif  // SERVER_CORE_MEMORY_LEAK_H_
