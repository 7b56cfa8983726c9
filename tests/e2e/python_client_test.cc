// Stubs generated for another language (Python, from protos/) call the real
// server: the contracts serve more than C++.
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/relay_process.h"
#include "tests/support/temp_dir.h"

namespace relay::testing {
namespace {

using ::testing::HasSubstr;

TEST(PythonClientTest, TheExampleRunsAgainstTheRealServer) {
  TempDir dir;
  RelayProcess relay(dir.File("data"));
  std::string cmd =
      absl::StrCat("PYTHONPATH=", RELAY_BINARY_DIR, "/python /usr/bin/python3 ",
                   RELAY_SOURCE_DIR, "/tools/python/example.py ",
                   relay.address(), " > ", dir.File("out"), " 2>&1");
  int status = std::system(cmd.c_str());
  std::string out = ReadFileOrEmpty(dir.File("out"));
  ASSERT_EQ(status, 0) << out;
  EXPECT_THAT(out, HasSubstr("hashed secret $2a$11$"));
  EXPECT_THAT(out, HasSubstr("Does not match any registered setting clients."));
  EXPECT_THAT(out, HasSubstr(" 1 deliveries"));
  EXPECT_THAT(out, HasSubstr(R"("UpdatedSettings":["DbConn"])"));
  EXPECT_THAT(
      out, HasSubstr("as expected: NOT_FOUND client no-such-client not found"));
}

}  // namespace
}  // namespace relay::testing
