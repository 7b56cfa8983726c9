// What the relay's programs (webhook-relay, webhook-sink) share at their
// command line: flags spelled with dashes, and stopping on SIGINT/SIGTERM.
#ifndef SERVER_CORE_COMMAND_LINE_H_
#define SERVER_CORE_COMMAND_LINE_H_

#include <signal.h>

#include <string>
#include <vector>

#include "absl/flags/parse.h"

namespace relay {

// absl::ParseCommandLine, with flags spelled "--foo-bar[=value]" as well as
// "--foo_bar[=value]" (values untouched). Parses a copy: argv is left as
// typed, so ps shows what the user wrote.
inline void ParseCommandLine(int argc, char** argv) {
  std::vector<std::string> copies(argv, argv + argc);
  std::vector<char*> args;
  for (std::string& arg : copies) {
    if (arg.rfind("--", 0) == 0) {
      for (size_t i = 2; i < arg.size() && arg[i] != '='; ++i) {
        if (arg[i] == '-') arg[i] = '_';
      }
    }
    args.push_back(arg.data());
  }
  absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
}

// SIGINT and SIGTERM, blocked in the calling thread and in every thread it
// starts afterwards, so that WaitForStopSignal() alone receives them. Call
// before starting threads.
class StopSignals {
 public:
  StopSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  // Blocks until one arrives; returns its number.
  int Wait() {
    int signal_number = 0;
    sigwait(&set_, &signal_number);
    return signal_number;
  }

 private:
  sigset_t set_;
};

}  // namespace relay

#endif  // SERVER_CORE_COMMAND_LINE_H_
