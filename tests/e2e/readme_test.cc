// The README cannot go stale: its webhookctl walk-through runs, as written,
// against the real relay and webhook-sink; its tools/dev commands run; and
// every grpcurl line names a real method with a request the protos accept.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "fig/webhooks/v1/admin.pb.h"
#include "fig/webhooks/v1/ingest.pb.h"
#include "fig/webhooks/v1/sessions.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.pb.h"
#include "gtest/gtest.h"
#include "tests/support/relay_process.h"
#include "tests/support/temp_dir.h"

namespace relay::testing {
namespace {

using ::testing::HasSubstr;

struct Block {
  std::string marker;  // "run: walkthrough", "check: grpcurl", or ""
  std::string text;
};

std::vector<Block> CodeBlocks() {
  std::ifstream in(std::string(RELAY_SOURCE_DIR) + "/README.md");
  std::vector<Block> blocks;
  std::string line, marker;
  bool inside = false;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, "```")) {
      if (!inside) blocks.push_back({marker, ""});
      inside = !inside;
      marker.clear();
    } else if (inside) {
      blocks.back().text += line + "\n";
    } else if (absl::StartsWith(line, "<!-- ")) {
      marker = std::string(
          absl::StripSuffix(absl::StripPrefix(line, "<!-- "), " -->"));
    }
  }
  EXPECT_FALSE(inside) << "README has an unclosed code block";
  return blocks;
}

// Lines with their backslash continuations joined.
std::vector<std::string> Commands(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::ConsumeSuffix(&line, "\\")) {
      absl::StrAppend(&current, line, " ");
      continue;
    }
    absl::StrAppend(&current, line);
    if (!absl::StripAsciiWhitespace(current).empty()) out.push_back(current);
    current.clear();
  }
  return out;
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(ReadmeTest, EveryWebhookctlCommandIsInTheWalkThrough) {
  int run_blocks = 0;
  for (const Block& b : CodeBlocks()) {
    if (b.marker == "run: walkthrough") {
      ++run_blocks;
      continue;
    }
    static const std::regex kWebhookctl(R"((^|[|(]\s*)webhookctl\s)");
    for (const std::string& line : Commands(b.text)) {
      EXPECT_FALSE(std::regex_search(line, kWebhookctl))
          << "a webhookctl command outside a <!-- run: walkthrough --> block: "
          << line;
    }
  }
  EXPECT_GE(run_blocks, 1);
}

TEST(ReadmeTest, TheWebhookctlWalkThroughRunsAsWritten) {
  std::string script;
  for (const Block& b : CodeBlocks()) {
    if (b.marker == "run: walkthrough") script += b.text;
  }
  ASSERT_THAT(script, HasSubstr("webhookctl publish"));
  TempDir dir;
  RelayProcess relay(dir.File("data"));
  const std::string sink = absl::StrCat("127.0.0.1:", FreePort());
  script = absl::StrReplaceAll(
      script, {{"127.0.0.1:50051", relay.address()}, {"127.0.0.1:8080", sink}});
  {
    std::ofstream out(dir.File("walkthrough.sh"));
    out << script;
  }
  std::string cmd =
      absl::StrCat("cd ", dir.path(), " && PATH=", RELAY_BINARY_DIR,
                   "/tools:$PATH timeout 120 bash -e -o pipefail ",
                   "walkthrough.sh > out.txt 2>&1");
  int status = std::system(cmd.c_str());
  std::string out = ReadFileOrEmpty(dir.File("out.txt"));
  ASSERT_EQ(status, 0) << out;
  std::string log = ReadFileOrEmpty(dir.File("sink.log"));
  EXPECT_THAT(log, HasSubstr("POST /hooks/SettingValueChanged"));
  EXPECT_THAT(log, HasSubstr("authorization: verified"));
  EXPECT_THAT(log, HasSubstr("signature: verified"));
  EXPECT_THAT(log, HasSubstr(R"("UpdatedSettings":["DbConn"])"));
  // The first delivery verified (after rotate-secret the sink, which keeps
  // the old hashed secret, rightly refuses the new one).
  EXPECT_THAT(log.substr(0, log.find("  body: ")),
              ::testing::AllOf(HasSubstr("authorization: verified"),
                               HasSubstr("signature: verified")));
  EXPECT_THAT(out, HasSubstr("succeeded"));
  EXPECT_THAT(out,
              HasSubstr("Matches 2 setting(s) across 1 setting client(s)"));
}

// Starts `tools/dev run` with a free port and a temp data dir, waits for
// the relay to serve, stops it.
void RunToolsDevRun(const std::string& extra, const TempDir& dir) {
  std::string cmd = absl::StrCat(
      "cd ", RELAY_SOURCE_DIR, " && BUILD_DIR=", RELAY_BINARY_DIR, " exec ",
      extra, " --listen=127.0.0.1:0 --data-dir=", dir.File("data"), " 2>",
      dir.File("dev.err"));
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[512];
  std::string address;
  while (fgets(buf, sizeof(buf), p) != nullptr) {
    std::string line(buf);
    if (absl::StartsWith(line, "webhook-relay listening on ")) {
      address = std::string(absl::StripAsciiWhitespace(line.substr(27)));
      break;
    }
  }
  EXPECT_FALSE(address.empty()) << ReadFileOrEmpty(dir.File("dev.err"));
  std::string stop =
      absl::StrCat("pkill -TERM -f -- '--data-dir=", dir.File("data"), "'");
  std::system(stop.c_str());
  EXPECT_EQ(WEXITSTATUS(pclose(p)), 0);
}

TEST(ReadmeTest, EveryToolsDevCommandRuns) {
  std::vector<std::string> seen;
  for (const Block& b : CodeBlocks()) {
    for (const std::string& line : Commands(b.text)) {
      std::smatch m;
      static const std::regex kDev(R"(^tools/dev (\w+)([^#]*))");
      if (!std::regex_search(line, m, kDev)) continue;
      const std::string sub = m[1];
      seen.push_back(sub);
      ASSERT_THAT(line, ::testing::Not(HasSubstr("&")))
          << "run tools/dev in the foreground in the README: " << line;
      TempDir dir;
      if (sub == "run") {
        RunToolsDevRun(absl::StrCat("tools/dev run ", std::string(m[2])), dir);
      } else if (sub == "test") {
        // What CI runs (.ci/run); running it from inside the suite would
        // recurse.
        EXPECT_THAT(ReadFileOrEmpty(std::string(RELAY_SOURCE_DIR) + "/.ci/run"),
                    HasSubstr("tools/dev test"));
      } else {
        std::string cmd = absl::StrCat("cd ", RELAY_SOURCE_DIR,
                                       " && BUILD_DIR=", RELAY_BINARY_DIR, " ",
                                       line, " > ", dir.File("out"), " 2>&1");
        EXPECT_EQ(std::system(cmd.c_str()), 0)
            << line << "\n"
            << ReadFileOrEmpty(dir.File("out"));
      }
    }
  }
  EXPECT_THAT(seen, ::testing::IsSupersetOf({"run", "test", "deps", "build"}));
}

TEST(ReadmeTest, GrpcurlLinesUseRealMethodsAndFields) {
  // Link every generated file into the pool.
  fig::webhooks::v1::CreateClientRequest::descriptor();
  fig::webhooks::v1::PublishRequest::descriptor();
  fig::webhooks::v1::PollRequest::descriptor();
  grpc::health::v1::HealthCheckRequest::descriptor();
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  google::protobuf::DynamicMessageFactory factory(pool);

  int checked = 0;
  for (const Block& b : CodeBlocks()) {
    for (const std::string& line : Commands(b.text)) {
      if (!absl::StrContains(line, "grpcurl")) continue;
      EXPECT_EQ(b.marker, "check: grpcurl") << line;
      std::smatch m;
      static const std::regex kDescribe(R"(describe ([\w.]+))");
      if (std::regex_search(line, m, kDescribe)) {
        EXPECT_NE(pool->FindServiceByName(m[1]), nullptr) << line;
        continue;
      }
      static const std::regex kMethod(R"(([a-z][\w.]*\.[A-Z]\w*)/([A-Z]\w*))");
      if (!std::regex_search(line, m, kMethod)) {
        EXPECT_THAT(line, HasSubstr(" list")) << "no method in: " << line;
        continue;
      }
      const auto* method =
          pool->FindMethodByName(absl::StrCat(m[1].str(), ".", m[2].str()));
      ASSERT_NE(method, nullptr) << line;
      static const std::regex kData(R"(-d '([^']*)')");
      if (std::regex_search(line, m, kData)) {
        std::unique_ptr<google::protobuf::Message> request(
            factory.GetPrototype(method->input_type())->New());
        auto status = google::protobuf::util::JsonStringToMessage(
            m[1].str(), request.get());
        EXPECT_TRUE(status.ok()) << line << "\n" << status.message();
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 10);
}

}  // namespace
}  // namespace relay::testing
