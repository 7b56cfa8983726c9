#include "server/store/group_commit.h"

#include <utility>

namespace relay {
namespace {
// A bound on one transaction, so one commit never grows without limit.
constexpr size_t kMaxEventsPerCommit = 5000;
}  // namespace

GroupCommit::GroupCommit(Store* store, Clock* clock,
                         absl::Duration idempotency_window,
                         std::function<void()> committed)
    : store_(store),
      clock_(clock),
      window_(idempotency_window),
      committed_(std::move(committed)),
      thread_([this] { Loop(); }) {}

GroupCommit::~GroupCommit() {
  {
    absl::MutexLock l(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void GroupCommit::Submit(std::vector<NewEvent> events,
                         std::vector<SessionWrite> sessions, Done done) {
  absl::MutexLock l(&mu_);
  queue_.push_back({std::move(events), std::move(sessions), std::move(done)});
}

void GroupCommit::Loop() {
  while (true) {
    std::vector<Batch> batches;
    {
      absl::MutexLock l(&mu_);
      mu_.Await(absl::Condition(
          +[](GroupCommit* g) ABSL_EXCLUSIVE_LOCKS_REQUIRED(g->mu_) {
            return g->stopping_ || !g->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, all committed
      size_t events = 0;
      while (!queue_.empty() &&
             (batches.empty() || events < kMaxEventsPerCommit)) {
        events += queue_.front().events.size();
        batches.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<NewEvent> all;
    std::vector<SessionWrite> sessions;
    for (Batch& b : batches) {
      for (NewEvent& e : b.events) all.push_back(std::move(e));
      for (SessionWrite& w : b.sessions) sessions.push_back(std::move(w));
    }
    auto results = store_->InsertEvents(all, sessions, clock_->Now(), window_);
    if (results.ok()) committed_();
    size_t next = 0;
    for (Batch& b : batches) {
      if (!results.ok()) {
        b.done(results.status());
        continue;
      }
      std::vector<PublishedEvent> mine(
          results->begin() + next, results->begin() + next + b.events.size());
      next += b.events.size();
      b.done(std::move(mine));
    }
  }
}

}  // namespace relay
