#include "tests/support/receiver.h"

#include <httplib.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace relay::testing {

std::string ReceivedRequest::Header(const std::string& name) const {
  auto it = headers.find(absl::AsciiStrToLower(name));
  return it == headers.end() ? "" : it->second;
}

Receiver::Receiver(int port) : server_(std::make_unique<httplib::Server>()) {
  // A thread per kept-alive connection: the relay opens up to 16 per client.
  server_->new_task_queue = [] { return new httplib::ThreadPool(64); };
  // Stopping waits for kept-alive connections: keep them briefly.
  server_->set_keep_alive_timeout(1);
  server_->Post(
      R"(.*)", [this](const httplib::Request& req, httplib::Response& res) {
        ReceivedRequest r;
        r.path = req.path;
        for (const auto& [name, value] : req.headers) {
          r.headers[absl::AsciiStrToLower(name)] = value;
        }
        r.body = req.body;
        absl::MutexLock l(&mu_);
        requests_.push_back(std::move(r));
        ++waiting_;
        mu_.Await(absl::Condition(&gate_open_));
        --waiting_;
        res.status = status_;
        if (!retry_after_.empty()) res.set_header("Retry-After", retry_after_);
        res.set_content(absl::StrCat("answered ", status_), "text/plain");
      });
  if (port == 0) {
    port_ = server_->bind_to_any_port("127.0.0.1");
  } else {
    port_ = server_->bind_to_port("127.0.0.1", port) ? port : -1;
  }
  EXPECT_GT(port_, 0) << "receiver cannot listen";
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  Eventually([this] { return server_->is_running(); });
}

Receiver::~Receiver() {
  OpenGate();
  server_->stop();
  thread_.join();
}

std::string Receiver::Url(const std::string& path) const {
  return absl::StrCat("http://127.0.0.1:", port_, path);
}

void Receiver::SetStatus(int status, const std::string& retry_after) {
  absl::MutexLock l(&mu_);
  status_ = status;
  retry_after_ = retry_after;
}

void Receiver::CloseGate() {
  absl::MutexLock l(&mu_);
  gate_open_ = false;
}

void Receiver::OpenGate() {
  absl::MutexLock l(&mu_);
  gate_open_ = true;
}

std::vector<ReceivedRequest> Receiver::WaitFor(size_t n,
                                               absl::Duration timeout) {
  absl::MutexLock l(&mu_);
  auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return requests_.size() >= n;
  };
  mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
  return requests_;
}

std::vector<ReceivedRequest> Receiver::Requests() {
  absl::MutexLock l(&mu_);
  return requests_;
}

int Receiver::Waiting() {
  absl::MutexLock l(&mu_);
  return waiting_;
}

bool Eventually(const std::function<bool()>& done, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

}  // namespace relay::testing
