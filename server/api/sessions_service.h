// RunSessions: Fig's session reports into the SessionTracker, and the
// events its changes make through the same routing, store and delivery as
// published events.
#ifndef SERVER_API_SESSIONS_SERVICE_H_
#define SERVER_API_SESSIONS_SERVICE_H_

#include <thread>

#include "absl/synchronization/mutex.h"
#include "fig/webhooks/v1/sessions.grpc.pb.h"
#include "server/api/service_context.h"
#include "server/core/session_tracker.h"

namespace relay {

// Thread-safe. Calls finish once their session writes and derived events
// are committed.
class RunSessionsService final
    : public fig::webhooks::v1::RunSessions::CallbackService {
 public:
  // `tracker` is not owned.
  RunSessionsService(ServiceContext context, SessionTracker* tracker)
      : context_(std::move(context)), tracker_(tracker) {}

  grpc::ServerUnaryReactor* Poll(
      grpc::CallbackServerContext* ctx,
      const fig::webhooks::v1::PollRequest* req,
      fig::webhooks::v1::PollResponse* resp) override;
  grpc::ServerUnaryReactor* EndSession(
      grpc::CallbackServerContext* ctx,
      const fig::webhooks::v1::EndSessionRequest* req,
      fig::webhooks::v1::EndSessionResponse* resp) override;
  grpc::ServerUnaryReactor* ListRunSessions(
      grpc::CallbackServerContext* ctx,
      const fig::webhooks::v1::ListRunSessionsRequest* req,
      fig::webhooks::v1::ListRunSessionsResponse* resp) override;

 private:
  ServiceContext context_;
  SessionTracker* const tracker_;
};

// The events and writes of `changes`, committed; `done` gets the outcome.
void CommitSessionChanges(const ServiceContext& context, SessionChanges changes,
                          std::function<void(absl::Status)> done);

// Expires silent sessions on a timer, so a lone session's death is noticed.
// Thread-safe.
class SessionSweeper {
 public:
  // Nothing is owned.
  SessionSweeper(const ServiceContext& context, SessionTracker* tracker,
                 absl::Duration period);
  ~SessionSweeper();
  // Sweep now (tests call it after advancing a fake clock).
  void Wake();

 private:
  void Loop();

  const ServiceContext& context_;
  SessionTracker* const tracker_;
  const absl::Duration period_;
  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace relay

#endif  // SERVER_API_SESSIONS_SERVICE_H_
