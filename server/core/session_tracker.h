// Run sessions: who is connected, and the events their changes make
// (ClientStatusChanged, MinRunSessions, ConfigurationError,
// MemoryLeakDetected), by Fig's rules. Pure logic: time comes in as an
// argument, persistence goes out as SessionWrites.
#ifndef SERVER_CORE_SESSION_TRACKER_H_
#define SERVER_CORE_SESSION_TRACKER_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "fig/webhooks/v1/events.pb.h"
#include "fig/webhooks/v1/resources.pb.h"
#include "fig/webhooks/v1/sessions.pb.h"
#include "server/core/memory_leak.h"
#include "server/core/router.h"

namespace relay {

// What persists of a session.
struct SessionRecord {
  std::string id;
  fig::webhooks::v1::PollRequest last_poll;
  absl::Time first_seen;
  absl::Time last_seen;
  bool leak_reported = false;
};

// A change for the store: upsert `record`, or delete `id` when unset.
struct SessionWrite {
  std::string id;
  std::optional<SessionRecord> record;
};

// An event a session change makes. MinRunSessions events are for one web
// hook only (each has its own minimum).
struct DerivedEvent {
  fig::webhooks::v1::Event event;
  std::string only_web_hook_id;  // "" for every matching web hook
};

struct SessionChanges {
  std::vector<DerivedEvent> events;
  std::vector<SessionWrite> writes;
  bool connected = false;  // the poll was the session's first
  bool ended = false;      // a live session was ended
};

// Thread-safe.
class SessionTracker {
 public:
  // `router` supplies the MIN_RUN_SESSIONS web hooks; not owned.
  explicit SessionTracker(const Router* router) : router_(router) {}

  // Sessions from the store, after a restart at `now`: none is reported
  // connected again, and one that went silent expires one poll interval
  // after `now` (its last_seen counts as no earlier than now - interval).
  void Restore(std::vector<SessionRecord> sessions, absl::Time now);

  SessionChanges Poll(const fig::webhooks::v1::PollRequest& poll,
                      absl::Time now);
  SessionChanges End(const std::string& run_session_id, absl::Time now);
  // Ends every session whose last_seen + 2 * interval + 50 ms < now.
  SessionChanges Expire(absl::Time now);

  // Live sessions grouped by client name and instance, sorted; only
  // `client_name`'s when not empty.
  std::vector<fig::webhooks::v1::RunSessionGroup> Groups(
      const std::string& client_name);

 private:
  struct Session {
    SessionRecord record;
    std::vector<MemorySample> memory;
    absl::Time last_analysis;
  };
  // (client name, instance or "\0" for none).
  using GroupKey = std::pair<std::string, std::string>;
  static GroupKey KeyOf(const fig::webhooks::v1::PollRequest& poll);

  void Connect(Session& s, SessionChanges* out)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Disconnect(const std::string& id, SessionChanges* out)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // MinRunSessions for every web hook whose minimum the count crossed.
  void MinimumCrossed(const fig::webhooks::v1::PollRequest& poll, int count,
                      bool connect, SessionChanges* out);
  void AnalyzeMemory(Session& s, absl::Time now, SessionChanges* out);

  const Router* const router_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Session> sessions_ ABSL_GUARDED_BY(mu_);
  std::map<GroupKey, int> counts_ ABSL_GUARDED_BY(mu_);
};

// The expiry rule: last_seen + 2 * poll interval + 50 ms < now.
bool IsExpired(const SessionRecord& s, absl::Time now);

}  // namespace relay

#endif  // SERVER_CORE_SESSION_TRACKER_H_
