#include "server/api/publishing.h"

#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/api/grpc_status.h"
#include "server/core/events.h"
#include "server/crypto/secrets.h"
#include "server/delivery/payload.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;

NewEvent BuildEvent(const ServiceContext& context, v1::Event event,
                    std::string idempotency_key,
                    const std::string& only_web_hook_id) {
  NewEvent e;
  e.id = NewUuid();
  e.event = std::move(event);
  e.idempotency_key = std::move(idempotency_key);
  NormalizeEvent(context.fig_web_url, &e.event);

  // Web hooks of one type share one payload (except SettingValueChanged):
  // render each distinct payload once.
  absl::flat_hash_map<const v1::Event*, std::string> rendered;
  for (const Router::Routed& r : context.router->Route(e.event)) {
    const v1::WebHook& hook = r.filter.hook();
    if (!only_web_hook_id.empty() && hook.id() != only_web_hook_id) continue;
    auto [it, fresh] = rendered.try_emplace(r.event.get());
    if (fresh) it->second = RenderPayload(*r.event);
    NewDelivery& d = e.deliveries.emplace_back();
    d.id = NewUuid();
    d.web_hook_id = hook.id();
    d.client_id = hook.client_id();
    d.type = hook.type();
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
            absl::ToUnixMicros(context.clock->Now()));
  }
  return e;
}

absl::Status NotStored(const absl::Status& status) {
  if (status.ok()) return status;
  return absl::UnavailableError(
      absl::StrCat("not stored, send again: ", status.message()));
}

void CommitAndFinish(
    const ServiceContext& context, grpc::ServerUnaryReactor* reactor,
    std::vector<NewEvent> events, std::vector<SessionWrite> sessions,
    std::function<void(const std::vector<PublishedEvent>&)> fill) {
  context.group_commit->Submit(
      std::move(events), std::move(sessions),
      [reactor, fill = std::move(fill)](
          absl::StatusOr<std::vector<PublishedEvent>> results) {
        if (!results.ok()) {
          reactor->Finish(ToGrpcStatus(NotStored(results.status())));
          return;
        }
        fill(*results);
        reactor->Finish(grpc::Status::OK);
      });
}

}  // namespace relay
