// webhook-sink: a web hook receiver to try the relay with and to test
// integrations against. Verifies Fig's Authorization header the way a Fig
// integration does (bcrypt of Base64(SHA-384(secret))) and/or the Standard
// Webhooks signature, prints every delivery, and answers as told.
#include <httplib.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/core/command_line.h"
#include "server/crypto/secrets.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:8080",
          "host:port to listen on; port 0 picks a free one");
ABSL_FLAG(std::string, hashed_secret, "",
          "Fig's hashed secret: check 'Authorization: Secret ...' against it");
ABSL_FLAG(std::string, secret, "",
          "the client's secret: check the Standard Webhooks signature with it");
ABSL_FLAG(absl::Duration, tolerance, absl::Minutes(5),
          "how far webhook-timestamp may be from now");
ABSL_FLAG(int, status, 200,
          "HTTP status to answer (a failing receiver: 500, 410...)");
ABSL_FLAG(absl::Duration, delay, absl::ZeroDuration(),
          "wait this long before answering");

namespace {

std::mutex print_mu;

// "verified", "FAILED (...)" or "not checked".
std::string CheckAuthorization(const httplib::Request& req,
                               const std::string& hashed) {
  if (hashed.empty()) return "not checked";
  if (!req.has_header("Authorization"))
    return "FAILED (no Authorization header)";
  std::vector<std::string> words = absl::StrSplit(
      req.get_header_value("Authorization"), ' ', absl::SkipEmpty());
  // Like Fig's integrations: the last word is the secret.
  if (words.empty() || !relay::FigVerifySecret(words.back(), hashed)) {
    return "FAILED (secret does not match the hashed secret)";
  }
  return "verified";
}

std::string CheckSignature(const httplib::Request& req,
                           const std::string& secret,
                           absl::Duration tolerance) {
  if (secret.empty()) return "not checked";
  const std::string id = req.get_header_value("webhook-id");
  int64_t timestamp = 0;
  if (id.empty() || !absl::SimpleAtoi(req.get_header_value("webhook-timestamp"),
                                      &timestamp)) {
    return "FAILED (webhook-id or webhook-timestamp missing)";
  }
  if (absl::AbsDuration(absl::Now() - absl::FromUnixSeconds(timestamp)) >
      tolerance) {
    return "FAILED (webhook-timestamp outside the tolerance)";
  }
  const std::string expected =
      relay::SignPayload(relay::SigningKey(secret), id, timestamp, req.body);
  for (absl::string_view signature : absl::StrSplit(
           req.get_header_value("webhook-signature"), ' ', absl::SkipEmpty())) {
    if (signature == expected) return "verified";
  }
  return "FAILED (no signature matches)";
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "A web hook receiver that verifies and prints.\n"
      "Usage: webhook-sink [--listen=127.0.0.1:8080] [--hashed-secret=HASH] "
      "[--secret=SECRET] [--status=200] [--delay=0s]");
  relay::ParseCommandLine(argc, argv);
  const std::string listen = absl::GetFlag(FLAGS_listen);
  const std::string hashed = absl::GetFlag(FLAGS_hashed_secret);
  const std::string secret = absl::GetFlag(FLAGS_secret);
  const absl::Duration tolerance = absl::GetFlag(FLAGS_tolerance);
  const int status = absl::GetFlag(FLAGS_status);
  const absl::Duration delay = absl::GetFlag(FLAGS_delay);
  size_t colon = listen.rfind(':');
  int port = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &port)) {
    std::cerr << "webhook-sink: --listen: host:port, not " << listen << "\n";
    return 2;
  }

  httplib::Server server;
  server.Post(".*", [&](const httplib::Request& req, httplib::Response& res) {
    std::string authorization = CheckAuthorization(req, hashed);
    std::string signature = CheckSignature(req, secret, tolerance);
    bool rejected = authorization.rfind("FAILED", 0) == 0 ||
                    signature.rfind("FAILED", 0) == 0;
    {
      std::lock_guard<std::mutex> l(print_mu);
      std::cout << "POST " << req.path << "\n"
                << "  webhook-id: " << req.get_header_value("webhook-id")
                << "\n"
                << "  authorization: " << authorization << "\n"
                << "  signature: " << signature << "\n"
                << "  body: " << req.body << "\n"
                << std::flush;
    }
    if (delay > absl::ZeroDuration()) absl::SleepFor(delay);
    // A Fig integration answers 401 to a request it cannot verify.
    res.status = rejected ? 401 : status;
    res.set_content(rejected ? "unverified\n" : "ok\n", "text/plain");
  });
  const std::string host = listen.substr(0, colon);
  if (port == 0) {
    port = server.bind_to_any_port(host);
  } else if (!server.bind_to_port(host, port)) {
    port = -1;
  }
  if (port < 0) {
    std::cerr << "webhook-sink: --listen: cannot listen on " << listen << "\n";
    return 1;
  }
  std::cout << "webhook-sink listening on " << host << ":" << port << std::endl;

  relay::StopSignals stop;  // before the server's threads start
  std::thread serving([&] { server.listen_after_bind(); });
  stop.Wait();
  server.stop();
  serving.join();
  return 0;
}
