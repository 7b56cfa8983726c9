#include "server/api/ingest_service.h"

#include <set>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/api/grpc_status.h"
#include "server/core/events.h"
#include "server/core/web_hook_type.h"
#include "server/crypto/secrets.h"
#include "server/delivery/payload.h"

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
  NewEvent e;
  e.id = NewUuid();
  e.event = req.event();
  e.idempotency_key = req.idempotency_key();
  NormalizeEvent(context_.fig_web_url, &e.event);

  // Web hooks of one type share one payload (except SettingValueChanged):
  // render each distinct payload once.
  absl::flat_hash_map<const v1::Event*, std::string> rendered;
  for (const Router::Routed& r : context_.router->Route(e.event)) {
    auto [it, fresh] = rendered.try_emplace(r.event.get());
    if (fresh) it->second = RenderPayload(*r.event);
    NewDelivery& d = e.deliveries.emplace_back();
    d.id = NewUuid();
    d.web_hook_id = r.filter.hook().id();
    d.client_id = r.filter.hook().client_id();
    d.type = r.filter.hook().type();
    d.payload = it->second;
  }

  const v1::ClientRegistration* registration =
      e.event.has_new_client_registration() ? &e.event.new_client_registration()
      : e.event.has_updated_client_registration()
          ? &e.event.updated_client_registration()
          : nullptr;
  if (registration != nullptr) {
    v1::SettingClient& c = e.catalog_update.emplace();
    c.set_name(registration->client_name());
    std::set<std::string> settings(registration->settings().begin(),
                                   registration->settings().end());
    c.mutable_settings()->Assign(settings.begin(), settings.end());
    *c.mutable_update_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
            absl::ToUnixMicros(context_.clock->Now()));
  }
  return e;
}

void EventIngestService::Commit(
    grpc::ServerUnaryReactor* reactor, std::vector<NewEvent> events,
    std::function<void(const std::vector<PublishedEvent>&)> fill) {
  context_.group_commit->Submit(
      std::move(events),
      [reactor, fill = std::move(fill)](
          absl::StatusOr<std::vector<PublishedEvent>> results) {
        if (!results.ok()) {
          reactor->Finish(ToGrpcStatus(absl::UnavailableError(absl::StrCat(
              "not stored, publish again: ", results.status().message()))));
          return;
        }
        fill(*results);
        reactor->Finish(grpc::Status::OK);
      });
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
  Commit(reactor, std::move(events),
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
  Commit(reactor, std::move(events),
         [resp](const std::vector<PublishedEvent>& results) {
           for (const PublishedEvent& r : results) Fill(r, resp->add_results());
         });
  return reactor;
}

}  // namespace relay
