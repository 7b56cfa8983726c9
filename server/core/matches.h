// What a web hook matches in the setting-client catalog, as Fig shows it
// after saving a web hook (but counting every matching setting).
#ifndef SERVER_CORE_MATCHES_H_
#define SERVER_CORE_MATCHES_H_

#include <vector>

#include "fig/webhooks/v1/resources.pb.h"
#include "server/core/web_hook_filter.h"

namespace relay {

struct Matches {
  fig::webhooks::v1::MatchSummary summary;
  // Ordered by client name, then setting name.
  std::vector<fig::webhooks::v1::MatchRow> rows;
};

// For SETTING_VALUE_CHANGED: one row per (client, setting) where the client
// matches the client regex and the setting the setting regex; client_count
// counts the clients with at least one row. For other types: one row per
// matching client. `catalog` need not be sorted.
Matches FindMatches(
    const WebHookFilter& filter,
    const std::vector<fig::webhooks::v1::SettingClient>& catalog);

}  // namespace relay

#endif  // SERVER_CORE_MATCHES_H_
