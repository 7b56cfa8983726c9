#include "server/core/router.h"

#include <array>
#include <string>

#include "server/core/events.h"
#include "server/core/web_hook_type.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;

// Filters by type, so an event looks only at its own type's web hooks.
struct Router::Table {
  std::array<std::vector<WebHookFilter>, v1::WebHookType_ARRAYSIZE> by_type;
};

Router::Router() : table_(std::make_shared<Table>()) {}

void Router::SetWebHooks(std::vector<WebHookFilter> filters) {
  auto table = std::make_shared<Table>();
  for (WebHookFilter& f : filters) {
    table->by_type[f.hook().type()].push_back(std::move(f));
  }
  absl::MutexLock l(&mu_);
  table_ = std::move(table);
}

std::shared_ptr<const Router::Table> Router::Snapshot() const {
  absl::MutexLock l(&mu_);
  return table_;
}

std::vector<WebHookFilter> Router::WebHooksOf(WebHookType type) const {
  if (!IsValidWebHookType(type)) return {};
  return Snapshot()->by_type[type];
}

std::vector<Router::Routed> Router::Route(const v1::Event& event) const {
  std::vector<Routed> out;
  const WebHookType type = TypeOf(event);
  if (!IsValidWebHookType(type)) return out;
  std::shared_ptr<const Table> table = Snapshot();

  // Every payload but SecurityEvent's has a ClientName.
  std::string client_name;
  if (type != v1::SECURITY_EVENT) {
    const auto& payload = PayloadOf(event);
    client_name = payload.GetReflection()->GetString(
        payload, payload.GetDescriptor()->FindFieldByName("client_name"));
  }

  std::shared_ptr<const v1::Event> shared;
  for (const WebHookFilter& filter : table->by_type[type]) {
    if (!filter.MatchesClient(client_name)) continue;
    if (type != v1::SETTING_VALUE_CHANGED) {
      if (shared == nullptr) shared = std::make_shared<const v1::Event>(event);
      out.push_back({filter, shared});
      continue;
    }
    auto own = std::make_shared<v1::Event>(event);
    auto* settings =
        own->mutable_setting_value_changed()->mutable_updated_settings();
    settings->Clear();
    for (const std::string& name :
         event.setting_value_changed().updated_settings()) {
      if (filter.MatchesSetting(name)) settings->Add()->assign(name);
    }
    if (settings->empty()) continue;
    out.push_back({filter, std::move(own)});
  }
  return out;
}

}  // namespace relay
