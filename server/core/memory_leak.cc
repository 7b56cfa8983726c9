#include "server/core/memory_leak.h"

#include <cmath>
#include <numeric>

namespace relay {
namespace {

double Mean(const std::vector<MemorySample>& s, size_t begin, size_t end) {
  double sum = 0;
  for (size_t i = begin; i < end; ++i) sum += s[i].bytes;
  return sum / static_cast<double>(end - begin);
}

}  // namespace

std::optional<LeakFinding> FindMemoryLeak(const std::vector<MemorySample>& all,
                                          absl::Time session_start) {
  std::vector<MemorySample> samples;
  for (const MemorySample& s : all) {
    if (s.time >= session_start + kMemoryWarmUp) samples.push_back(s);
  }
  if (static_cast<int>(samples.size()) <= kMinMemoryDataPoints)
    return std::nullopt;

  const size_t n = samples.size();
  const double mean = Mean(samples, 0, n);
  double variance = 0;
  for (const MemorySample& s : samples)
    variance += (s.bytes - mean) * (s.bytes - mean);
  const double sd = std::sqrt(variance / static_cast<double>(n));

  LeakFinding f;
  f.starting_bytes_average = Mean(samples, 0, 10);
  f.ending_bytes_average = Mean(samples, n - 10, n);

  std::vector<MemorySample> kept;
  for (const MemorySample& s : samples) {
    if (std::abs(s.bytes - mean) <= 2 * sd) kept.push_back(s);
  }
  if (kept.size() < 2) return std::nullopt;
  const absl::Time origin = kept.front().time;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const MemorySample& s : kept) {
    double x = absl::ToDoubleSeconds(s.time - origin);
    sx += x;
    sy += s.bytes;
    sxx += x * x;
    sxy += x * s.bytes;
  }
  const double k = static_cast<double>(kept.size());
  const double denominator = k * sxx - sx * sx;
  if (denominator == 0) return std::nullopt;
  f.trend_line_slope = (k * sxy - sx * sy) / denominator;
  f.seconds_analyzed = static_cast<int>(
      absl::ToInt64Seconds(kept.back().time - kept.front().time));
  f.data_points_analyzed = static_cast<int>(kept.size());
  if (f.trend_line_slope > 0 &&
      f.ending_bytes_average - f.starting_bytes_average > sd) {
    return f;
  }
  return std::nullopt;
}

}  // namespace relay
