#include "tests/support/relay_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace relay::testing {

RelayProcess::RelayProcess(const std::string& data_dir,
                           std::vector<std::string> extra_args) {
  Launch(data_dir, std::move(extra_args));
}

void RelayProcess::Launch(const std::string& data_dir,
                          std::vector<std::string> extra_args) {
  std::vector<std::string> args = {
      absl::StrCat(RELAY_BINARY_DIR, "/server/webhook-relay"),
      "--listen=127.0.0.1:0", absl::StrCat("--data-dir=", data_dir)};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  stderr_path_ = absl::StrCat(data_dir, ".stderr");

  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_ = fork();
  ASSERT_GE(pid_, 0);
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    int err = open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    dup2(err, STDERR_FILENO);
    close(out[0]);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  // Read the first line: "webhook-relay listening on HOST:PORT".
  std::string line;
  char c;
  while (line.find('\n') == std::string::npos) {
    pollfd p = {out[0], POLLIN, 0};
    ASSERT_GT(poll(&p, 1, 60000), 0) << "relay did not start; stderr:\n"
                                     << Stderr();
    ssize_t n = read(out[0], &c, 1);
    ASSERT_EQ(n, 1) << "relay exited early; stderr:\n" << Stderr();
    line.push_back(c);
  }
  close(out[0]);
  const std::string prefix = "webhook-relay listening on ";
  ASSERT_TRUE(absl::StartsWith(line, prefix)) << line;
  address_ = line.substr(prefix.size(), line.size() - prefix.size() - 1);
}

RelayProcess::~RelayProcess() {
  if (pid_ > 0) Stop(SIGKILL);
}

std::shared_ptr<grpc::Channel> RelayProcess::Channel() const {
  return grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
}

int RelayProcess::Stop(int sig) {
  int status = -1;
  if (pid_ <= 0) return status;
  kill(pid_, sig);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

std::string RelayProcess::Stderr() const {
  return ReadFileOrEmpty(stderr_path_);
}

}  // namespace relay::testing
