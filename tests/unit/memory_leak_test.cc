#include "server/core/memory_leak.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace relay {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1700000000);

// One sample every 20 s for `minutes`, bytes from `f(i)`.
template <typename F>
std::vector<MemorySample> Series(int minutes, F f) {
  std::vector<MemorySample> out;
  for (int i = 0; i * 20 <= minutes * 60; ++i) {
    out.push_back({kStart + absl::Seconds(20 * i), f(i)});
  }
  return out;
}

TEST(MemoryLeakTest, ASteadyLeakIsFound) {
  auto leak =
      FindMemoryLeak(Series(60, [](int i) { return 1e8 + i * 1e5; }), kStart);
  ASSERT_TRUE(leak.has_value());
  EXPECT_NEAR(leak->trend_line_slope, 1e5 / 20, 1);  // bytes per second
  EXPECT_GT(leak->ending_bytes_average, leak->starting_bytes_average);
  EXPECT_EQ(leak->data_points_analyzed, 166);  // after the 5-minute warm-up
  EXPECT_EQ(leak->seconds_analyzed, 55 * 60);
}

TEST(MemoryLeakTest, AFlatSeriesIsNotALeak) {
  EXPECT_FALSE(
      FindMemoryLeak(Series(60, [](int) { return 1e8; }), kStart).has_value());
}

TEST(MemoryLeakTest, NoiseIsNotALeak) {
  // Deterministic noise around a flat line, with a spike.
  auto noisy = Series(60, [](int i) {
    return 1e8 + 5e6 * std::sin(i * 1.7) + (i == 90 ? 5e8 : 0);
  });
  EXPECT_FALSE(FindMemoryLeak(noisy, kStart).has_value());
}

TEST(MemoryLeakTest, AFallingSeriesIsNotALeak) {
  EXPECT_FALSE(
      FindMemoryLeak(Series(60, [](int i) { return 2e8 - i * 1e5; }), kStart)
          .has_value());
}

TEST(MemoryLeakTest, NeedsMoreThanFortyPointsAfterTheWarmUp) {
  // 5 minutes of warm-up and 40 more points: not enough.
  auto short_series = Series(5 + 13, [](int i) { return 1e8 + i * 1e6; });
  EXPECT_FALSE(FindMemoryLeak(short_series, kStart).has_value());
  auto enough = Series(5 + 14, [](int i) { return 1e8 + i * 1e6; });
  EXPECT_TRUE(FindMemoryLeak(enough, kStart).has_value());
}

}  // namespace
}  // namespace relay
