// A fixed pool of threads that runs the blocking part of RPCs (store
// transactions), so that gRPC's callback threads never block.
#ifndef SERVER_API_EXECUTOR_H_
#define SERVER_API_EXECUTOR_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace relay {

// Thread-safe. The destructor runs what is queued, then joins the threads.
class Executor {
 public:
  explicit Executor(int threads);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  void Schedule(std::function<void()> fn);

 private:
  void Loop();

  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace relay

#endif  // SERVER_API_EXECUTOR_H_
