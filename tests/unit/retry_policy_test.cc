#include "server/delivery/retry_policy.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace relay {
namespace {

TEST(RetryPolicyTest, FollowsSvixScheduleThenGivesUp) {
  RetryPolicy policy(RetryPolicy::DefaultSchedule(), 0);
  const absl::Duration kWant[] = {
      absl::Seconds(5), absl::Minutes(5), absl::Minutes(30), absl::Hours(2),
      absl::Hours(5),   absl::Hours(10),  absl::Hours(10)};
  for (int failed = 1; failed <= 7; ++failed) {
    EXPECT_EQ(policy.NextDelay(failed, absl::ZeroDuration()), kWant[failed - 1])
        << failed;
  }
  EXPECT_EQ(policy.NextDelay(8, absl::ZeroDuration()), std::nullopt);
  EXPECT_EQ(policy.max_attempts(), 8);
}

TEST(RetryPolicyTest, JitterStaysWithinTwentyPercent) {
  RetryPolicy policy(RetryPolicy::DefaultSchedule(), 0.2);
  bool varied = false;
  for (int i = 0; i < 200; ++i) {
    absl::Duration d = *policy.NextDelay(3, absl::ZeroDuration());
    EXPECT_GE(d, absl::Minutes(30) * 0.8);
    EXPECT_LE(d, absl::Minutes(30) * 1.2);
    varied |= d != absl::Minutes(30);
  }
  EXPECT_TRUE(varied);
}

TEST(RetryPolicyTest, RetryAfterWinsWhenLonger) {
  RetryPolicy policy(RetryPolicy::DefaultSchedule(), 0);
  EXPECT_EQ(policy.NextDelay(1, absl::Seconds(120)), absl::Seconds(120));
  EXPECT_EQ(policy.NextDelay(2, absl::Seconds(120)), absl::Minutes(5));
  EXPECT_TRUE(RetryPolicy::HonoursRetryAfter(429));
  EXPECT_TRUE(RetryPolicy::HonoursRetryAfter(503));
  EXPECT_FALSE(RetryPolicy::HonoursRetryAfter(500));
  EXPECT_TRUE(RetryPolicy::IsPermanentFailure(410));
}

TEST(RetryPolicyTest, ParsesTheFlag) {
  auto schedule = RetryPolicy::ParseSchedule("0s, 1s,2m ,3h");
  ASSERT_TRUE(schedule.ok());
  EXPECT_THAT(*schedule,
              ::testing::ElementsAre(absl::ZeroDuration(), absl::Seconds(1),
                                     absl::Minutes(2), absl::Hours(3)));
  EXPECT_THAT(RetryPolicy::ParseSchedule("5s,soon").status().message(),
              ::testing::HasSubstr("\"soon\" is not a duration"));
  EXPECT_FALSE(RetryPolicy::ParseSchedule("").ok());
  EXPECT_FALSE(RetryPolicy::ParseSchedule("-5s").ok());
}

}  // namespace
}  // namespace relay
