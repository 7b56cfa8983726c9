#include "server/core/matches.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace relay {

namespace v1 = ::fig::webhooks::v1;

Matches FindMatches(const WebHookFilter& filter,
                    const std::vector<v1::SettingClient>& catalog) {
  const bool per_setting = filter.hook().type() == v1::SETTING_VALUE_CHANGED;
  Matches m;
  int clients = 0;
  for (const v1::SettingClient& client : catalog) {
    if (!filter.MatchesClient(client.name())) continue;
    size_t before = m.rows.size();
    if (per_setting) {
      for (const std::string& setting : client.settings()) {
        if (!filter.MatchesSetting(setting)) continue;
        v1::MatchRow& row = m.rows.emplace_back();
        row.set_client_name(client.name());
        row.set_setting_name(setting);
      }
    } else {
      m.rows.emplace_back().set_client_name(client.name());
    }
    if (m.rows.size() > before) ++clients;
  }
  std::sort(m.rows.begin(), m.rows.end(),
            [](const v1::MatchRow& a, const v1::MatchRow& b) {
              return std::tie(a.client_name(), a.setting_name()) <
                     std::tie(b.client_name(), b.setting_name());
            });
  m.summary.set_client_count(clients);
  if (clients == 0) {
    m.summary.set_message("Does not match any registered setting clients.");
  } else if (per_setting) {
    m.summary.set_setting_count(static_cast<int>(m.rows.size()));
    m.summary.set_message(absl::StrCat("Matches ", m.rows.size(),
                                       " setting(s) across ", clients,
                                       " setting client(s)"));
  } else {
    m.summary.set_message(
        absl::StrCat("Matches ", clients, " setting client(s)"));
  }
  return m;
}

}  // namespace relay
