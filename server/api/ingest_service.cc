#include "server/api/ingest_service.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "server/api/grpc_status.h"
#include "server/api/publishing.h"
#include "server/core/events.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;

namespace {

constexpr size_t kMaxIdempotencyKey = 200;
constexpr int kMaxBatch = 1000;

void Fill(const PublishedEvent& in, v1::PublishResponse* out) {
  out->set_event_id(in.event_id);
  out->set_delivery_count(in.delivery_count);
  out->set_duplicate(in.duplicate);
}

}  // namespace

absl::StatusOr<NewEvent> EventIngestService::Prepare(
    const v1::PublishRequest& req, absl::string_view prefix) const {
  absl::Status valid =
      ValidateEvent(req.event(), absl::StrCat(prefix, "event"));
  if (!valid.ok()) return valid;
  if (req.idempotency_key().size() > kMaxIdempotencyKey) {
    return absl::InvalidArgumentError(
        absl::StrCat(prefix, "idempotency_key: longer than ",
                     kMaxIdempotencyKey, " characters"));
  }
  return BuildEvent(context_, req.event(), req.idempotency_key());
}

grpc::ServerUnaryReactor* EventIngestService::Publish(
    grpc::CallbackServerContext* ctx, const v1::PublishRequest* req,
    v1::PublishResponse* resp) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::StatusOr<NewEvent> event = Prepare(*req, "");
  if (!event.ok()) {
    reactor->Finish(ToGrpcStatus(event.status()));
    return reactor;
  }
  std::vector<NewEvent> events;
  events.push_back(*std::move(event));
  CommitAndFinish(context_, reactor, std::move(events), {},
                  [resp](const std::vector<PublishedEvent>& results) {
                    Fill(results[0], resp);
                  });
  return reactor;
}

grpc::ServerUnaryReactor* EventIngestService::PublishBatch(
    grpc::CallbackServerContext* ctx, const v1::PublishBatchRequest* req,
    v1::PublishBatchResponse* resp) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  if (req->events_size() == 0 || req->events_size() > kMaxBatch) {
    reactor->Finish(ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
        "events: 1 to ", kMaxBatch, " events, got ", req->events_size()))));
    return reactor;
  }
  std::vector<NewEvent> events;
  for (int i = 0; i < req->events_size(); ++i) {
    absl::StatusOr<NewEvent> event =
        Prepare(req->events(i), absl::StrCat("events[", i, "]."));
    if (!event.ok()) {
      reactor->Finish(ToGrpcStatus(event.status()));
      return reactor;
    }
    events.push_back(*std::move(event));
  }
  CommitAndFinish(context_, reactor, std::move(events), {},
                  [resp](const std::vector<PublishedEvent>& results) {
                    for (const PublishedEvent& r : results)
                      Fill(r, resp->add_results());
                  });
  return reactor;
}

}  // namespace relay
