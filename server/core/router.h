// Which web hooks want an event, and with which payload. Filters are
// compiled once (WebHookFilter) and swapped atomically when web hooks
// change; no regex is compiled per event.
#ifndef SERVER_CORE_ROUTER_H_
#define SERVER_CORE_ROUTER_H_

#include <memory>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "fig/webhooks/v1/events.pb.h"
#include "server/core/web_hook_filter.h"
#include "server/core/web_hook_type.h"

namespace relay {

// Thread-safe. Route() never waits for SetWebHooks() beyond a pointer copy.
class Router {
 public:
  struct Routed {
    // The matching web hook (shared with the router's table).
    WebHookFilter filter;
    // The payload for it. For SettingValueChanged, its own UpdatedSettings
    // (the ones its setting regex matches); for other types every web hook
    // shares one.
    std::shared_ptr<const fig::webhooks::v1::Event> event;
  };

  Router();

  // Replaces the whole table.
  void SetWebHooks(std::vector<WebHookFilter> filters);

  // One entry per web hook that wants `event`, in creation order. A
  // SettingValueChanged web hook none of whose settings match gets nothing.
  std::vector<Routed> Route(const fig::webhooks::v1::Event& event) const;

  // The web hooks of one type, in creation order.
  std::vector<WebHookFilter> WebHooksOf(WebHookType type) const;

 private:
  struct Table;
  std::shared_ptr<const Table> Snapshot() const;

  mutable absl::Mutex mu_;
  std::shared_ptr<const Table> table_ ABSL_GUARDED_BY(mu_);
};

}  // namespace relay

#endif  // SERVER_CORE_ROUTER_H_
