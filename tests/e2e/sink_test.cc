// webhook-sink as integrations and testers meet it: it verifies Fig's
// header and the Standard Webhooks signature, answers 401 when either
// fails, and plays a failing receiver when told.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/crypto/secrets.h"
#include "tests/support/temp_dir.h"

namespace relay::testing {
namespace {

using ::testing::HasSubstr;

// webhook-sink on a free port; its stdout goes to a file.
class Sink {
 public:
  Sink(const TempDir& dir, const std::string& flags)
      : log_(dir.File("sink.log")) {
    std::string cmd =
        absl::StrCat("exec ", RELAY_BINARY_DIR,
                     "/tools/webhook-sink --listen=127.0.0.1:0 ", flags);
    pipe_ = popen(cmd.c_str(), "r");
    char line[256];
    EXPECT_NE(fgets(line, sizeof(line), pipe_), nullptr);
    std::string first(line);
    port_ = std::stoi(first.substr(first.rfind(':') + 1));
  }
  ~Sink() {
    std::system(
        "pkill -TERM -f 'tools/webhook-sink --listen=127.0.0.1:0' || true");
    pclose(pipe_);
  }
  // Everything the sink printed after its first line (read after a request).
  std::string Output() {
    std::string out;
    char buf[4096];
    // The sink flushes each request's lines at once; read what is there.
    while (fgets(buf, sizeof(buf), pipe_) != nullptr) {
      out += buf;
      if (absl::StartsWith(buf, "  body: ")) break;
    }
    return out;
  }
  int port() const { return port_; }

 private:
  std::string log_;
  FILE* pipe_;
  int port_ = 0;
};

httplib::Result Post(int port, const httplib::Headers& headers,
                     const std::string& body) {
  httplib::Client client("127.0.0.1", port);
  return client.Post("/hooks/SettingValueChanged", headers, body,
                     "application/json");
}

httplib::Headers Signed(const std::string& secret, const std::string& body,
                        absl::Time when = absl::Now()) {
  const int64_t ts = absl::ToUnixSeconds(when);
  return {{"Authorization", "Secret " + secret},
          {"webhook-id", "msg_1"},
          {"webhook-timestamp", absl::StrCat(ts)},
          {"webhook-signature",
           SignPayload(SigningKey(secret), "msg_1", ts, body)}};
}

TEST(SinkTest, VerifiesBothAndAnswersAsTold) {
  TempDir dir;
  const std::string secret = GenerateSecret();
  const std::string hashed = *FigHashSecret(secret);
  Sink sink(dir, absl::StrCat("--hashed-secret='", hashed, "' --secret='",
                              secret, "' --status=503"));
  const std::string body = R"({"ClientName":"OrderSvc"})";

  auto ok = Post(sink.port(), Signed(secret, body), body);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 503);  // verified, then the failure it was told to play
  std::string out = sink.Output();
  EXPECT_THAT(out, HasSubstr("POST /hooks/SettingValueChanged"));
  EXPECT_THAT(out, HasSubstr("authorization: verified"));
  EXPECT_THAT(out, HasSubstr("signature: verified"));

  auto wrong = Post(sink.port(), Signed(GenerateSecret(), body), body);
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  out = sink.Output();
  EXPECT_THAT(out, HasSubstr("authorization: FAILED (secret does not match"));
  EXPECT_THAT(out, HasSubstr("signature: FAILED (no signature matches)"));

  auto stale = Post(sink.port(),
                    Signed(secret, body, absl::Now() - absl::Minutes(6)), body);
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 401);
  EXPECT_THAT(sink.Output(),
              HasSubstr("FAILED (webhook-timestamp outside the tolerance)"));
}

}  // namespace
}  // namespace relay::testing
