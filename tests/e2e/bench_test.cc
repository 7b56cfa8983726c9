// webhook-bench runs end to end against the real relay (a small run: the
// figures themselves are for people, never asserted).
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/relay_process.h"
#include "tests/support/temp_dir.h"

namespace relay::testing {
namespace {

TEST(BenchTest, ASmallRunDeliversEverything) {
  TempDir dir;
  RelayProcess relay(dir.File("data"));
  for (const char* mode : {"--batch=20", "--batch=0"}) {
    std::string cmd = absl::StrCat(
        RELAY_BINARY_DIR, "/tools/webhook-bench --target=", relay.address(),
        " --events=200 --concurrency=4 ", mode, " --timeout=60s > ",
        dir.File("out"), " 2>&1");
    int status = std::system(cmd.c_str());
    std::string out = ReadFileOrEmpty(dir.File("out"));
    EXPECT_EQ(status, 0) << out;
    EXPECT_THAT(out, ::testing::HasSubstr("delivered 200 of 200"));
    EXPECT_THAT(out, ::testing::HasSubstr("ingest "));
  }
}

}  // namespace
}  // namespace relay::testing
