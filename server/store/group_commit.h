// Group commit: concurrent publishes share one store transaction.
#ifndef SERVER_STORE_GROUP_COMMIT_H_
#define SERVER_STORE_GROUP_COMMIT_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "server/core/clock.h"
#include "server/store/store.h"

namespace relay {

// Thread-safe. One committer thread takes everything submitted since its
// last commit and writes it with one Store::InsertEvents call.
class GroupCommit {
 public:
  using Done = std::function<void(absl::StatusOr<std::vector<PublishedEvent>>)>;

  // `committed` runs after each successful commit (wakes the dispatcher).
  // Nothing is owned.
  GroupCommit(Store* store, Clock* clock, absl::Duration idempotency_window,
              std::function<void()> committed);
  // Commits what was submitted, then stops.
  ~GroupCommit();

  // `done` runs on the committer thread with one result per event, in order,
  // once the events (and session writes) are durable, or with the store's
  // error: then none is.
  void Submit(std::vector<NewEvent> events, std::vector<SessionWrite> sessions,
              Done done);

 private:
  struct Batch {
    std::vector<NewEvent> events;
    std::vector<SessionWrite> sessions;
    Done done;
  };
  void Loop();

  Store* const store_;
  Clock* const clock_;
  const absl::Duration window_;
  const std::function<void()> committed_;
  absl::Mutex mu_;
  std::deque<Batch> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace relay

#endif  // SERVER_STORE_GROUP_COMMIT_H_
