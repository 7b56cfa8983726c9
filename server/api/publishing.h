// What publishing an event means, shared by EventIngest (events from Fig)
// and RunSessions (events the relay derives): normalise, route, render,
// commit, answer.
#ifndef SERVER_API_PUBLISHING_H_
#define SERVER_API_PUBLISHING_H_

#include <functional>
#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "server/api/service_context.h"

namespace relay {

// The event as the store keeps it: normalised (Link, RegistrationType),
// routed to its web hooks (only `only_web_hook_id` when not empty), each
// distinct payload rendered once, and a registration's catalog update.
// `event` must be valid (ValidateEvent).
NewEvent BuildEvent(const ServiceContext& context,
                    fig::webhooks::v1::Event event, std::string idempotency_key,
                    const std::string& only_web_hook_id = "");

// A failed commit as callers see it: UNAVAILABLE, "not stored, send
// again: ..." (nothing was stored, so sending again is safe).
absl::Status NotStored(const absl::Status& status);

// Commits through group commit, then `fill`s the response and finishes the
// call; a failed commit finishes it with NotStored().
void CommitAndFinish(
    const ServiceContext& context, grpc::ServerUnaryReactor* reactor,
    std::vector<NewEvent> events, std::vector<SessionWrite> sessions,
    std::function<void(const std::vector<PublishedEvent>&)> fill);

}  // namespace relay

#endif  // SERVER_API_PUBLISHING_H_
