#include "server/core/matches.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/web_hook_type.h"

namespace relay {
namespace {

namespace v1 = ::fig::webhooks::v1;

std::vector<v1::SettingClient> Catalog() {
  std::vector<v1::SettingClient> out;
  auto add = [&](std::string name, std::vector<std::string> settings) {
    v1::SettingClient& c = out.emplace_back();
    c.set_name(name);
    for (auto& s : settings) c.add_settings(s);
  };
  add("OrderSvc", {"DbConn", "DbTimeout", "Retries"});
  add("Billing", {"DbConn", "Currency"});
  add("Audit", {"Level"});
  return out;
}

Matches Find(v1::WebHookType type, std::string client_re,
             std::string setting_re = ".*") {
  v1::WebHook h;
  h.set_type(type);
  h.set_client_name_regex(client_re);
  h.set_setting_name_regex(setting_re);
  h.set_min_sessions(1);
  auto f = WebHookFilter::Compile(h);
  EXPECT_TRUE(f.ok()) << f.status();
  return FindMatches(*f, Catalog());
}

std::vector<std::string> Rows(const Matches& m) {
  std::vector<std::string> out;
  for (const auto& r : m.rows) {
    out.push_back(r.setting_name().empty()
                      ? r.client_name()
                      : r.client_name() + "/" + r.setting_name());
  }
  return out;
}

TEST(MatchesTest, SettingValueChangedCountsEveryMatchingSetting) {
  Matches m = Find(v1::SETTING_VALUE_CHANGED, "Order|Billing", "^Db");
  EXPECT_EQ(m.summary.client_count(), 2);
  EXPECT_EQ(m.summary.setting_count(), 3);
  EXPECT_EQ(m.summary.message(),
            "Matches 3 setting(s) across 2 setting client(s)");
  EXPECT_THAT(Rows(m),
              ::testing::ElementsAre("Billing/DbConn", "OrderSvc/DbConn",
                                     "OrderSvc/DbTimeout"));
}

TEST(MatchesTest, SettingValueChangedWithNoMatchingSetting) {
  Matches m = Find(v1::SETTING_VALUE_CHANGED, ".*", "^Nope$");
  EXPECT_EQ(m.summary.client_count(), 0);
  EXPECT_EQ(m.summary.message(),
            "Does not match any registered setting clients.");
  EXPECT_TRUE(m.rows.empty());
}

TEST(MatchesTest, EveryOtherTypeCountsClients) {
  for (v1::WebHookType type : kAllWebHookTypes) {
    if (type == v1::SETTING_VALUE_CHANGED) continue;
    Matches m = Find(type, "Svc$");
    if (type == v1::SECURITY_EVENT) {
      // The client regex is ignored: every client.
      EXPECT_EQ(m.summary.message(), "Matches 3 setting client(s)");
      EXPECT_THAT(Rows(m),
                  ::testing::ElementsAre("Audit", "Billing", "OrderSvc"));
      continue;
    }
    EXPECT_EQ(m.summary.client_count(), 1) << RouteOf(type);
    EXPECT_EQ(m.summary.setting_count(), 0) << RouteOf(type);
    EXPECT_EQ(m.summary.message(), "Matches 1 setting client(s)")
        << RouteOf(type);
    EXPECT_THAT(Rows(m), ::testing::ElementsAre("OrderSvc")) << RouteOf(type);
    EXPECT_EQ(Find(type, "^Nothing$").summary.message(),
              "Does not match any registered setting clients.");
  }
}

}  // namespace
}  // namespace relay
