// What the relay's programs (webhook-relay, webhook-sink) share at their
// command line: flags spelled with dashes, and stopping on SIGINT/SIGTERM.
#ifndef SERVER_CORE_COMMAND_LINE_H_
#define SERVER_CORE_COMMAND_LINE_H_

#include <signal.h>

#include <string>
#include <vector>

namespace relay {

// A copy of argv with "--foo-bar[=value]" spelled "--foo_bar[=value]"
// (values untouched), for absl::ParseCommandLine. argv itself is left as
// is, so ps shows what was typed. The strings live in `storage`.
inline std::vector<char*> UnderscoredArgs(int argc, char** argv,
                                          std::vector<std::string>* storage) {
  storage->assign(argv, argv + argc);
  std::vector<char*> out;
  for (std::string& arg : *storage) {
    if (arg.rfind("--", 0) == 0) {
      for (size_t i = 2; i < arg.size() && arg[i] != '='; ++i) {
        if (arg[i] == '-') arg[i] = '_';
      }
    }
    out.push_back(arg.data());
  }
  return out;
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
