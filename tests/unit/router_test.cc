#include "server/core/router.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace relay {
namespace {

namespace v1 = ::fig::webhooks::v1;
using ::testing::UnorderedElementsAreArray;

WebHookFilter Hook(std::string id, v1::WebHookType type, std::string client_re,
                   std::string setting_re = "") {
  v1::WebHook h;
  h.set_id(id);
  h.set_client_id("client-" + id);
  h.set_type(type);
  h.set_client_name_regex(client_re);
  h.set_setting_name_regex(setting_re);
  h.set_min_sessions(2);
  return *WebHookFilter::Compile(h);
}

v1::Event Event(const char* text) {
  v1::Event e;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &e)) << text;
  return e;
}

// hook id, or "hook id:setting,setting" for SettingValueChanged.
std::vector<std::string> Describe(const std::vector<Router::Routed>& routed) {
  std::vector<std::string> out;
  for (const auto& r : routed) {
    std::string s = r.filter.hook().id();
    if (r.event->has_setting_value_changed()) {
      s += ":";
      for (const auto& name :
           r.event->setting_value_changed().updated_settings()) {
        s += name + ",";
      }
    }
    out.push_back(s);
  }
  return out;
}

TEST(RouterTest, EventsTimesWebHooks) {
  Router router;
  router.SetWebHooks({
      Hook("all-svc", v1::SETTING_VALUE_CHANGED, ".*", ".*"),
      Hook("order-db", v1::SETTING_VALUE_CHANGED, "^Order", "^Db"),
      Hook("billing-any", v1::SETTING_VALUE_CHANGED, "Billing", ".*"),
      Hook("nothing", v1::SETTING_VALUE_CHANGED, ".*", "^Nope$"),
      Hook("status-order", v1::CLIENT_STATUS_CHANGED, "Order"),
      Hook("status-all", v1::CLIENT_STATUS_CHANGED, ".*"),
      Hook("security", v1::SECURITY_EVENT, "^NeverMatches$"),
      Hook("new-reg", v1::NEW_CLIENT_REGISTRATION, "Svc$"),
      Hook("upd-reg", v1::UPDATED_CLIENT_REGISTRATION, ".*"),
      Hook("min", v1::MIN_RUN_SESSIONS, "(?i)orders?vc"),
  });
  static const struct {
    const char* event;
    std::vector<std::string> want;
  } kCases[] = {
      {R"pb(setting_value_changed {
              client_name: "OrderSvc"
              updated_settings: [ "DbConn", "Timeout" ]
            })pb",
       {"all-svc:DbConn,Timeout,", "order-db:DbConn,"}},
      {R"pb(setting_value_changed {
              client_name: "OrderSvc"
              updated_settings: [ "Timeout" ]
            })pb",
       {"all-svc:Timeout,"}},
      {R"pb(setting_value_changed {
              client_name: "BillingSvc"
              instance: "OrderSvc"
              updated_settings: [ "DbConn" ]
            })pb",
       // The instance is never matched against the client regex.
       {"all-svc:DbConn,", "billing-any:DbConn,"}},
      {R"pb(client_status_changed { client_name: "OrderSvc" })pb",
       {"status-order", "status-all"}},
      {R"pb(client_status_changed { client_name: "Audit" })pb", {"status-all"}},
      {R"pb(security_event { event_type: "Login" })pb", {"security"}},
      {R"pb(new_client_registration { client_name: "OrderSvc" })pb",
       {"new-reg"}},
      {R"pb(new_client_registration { client_name: "Svc-Order" })pb", {}},
      {R"pb(updated_client_registration { client_name: "X" })pb", {"upd-reg"}},
      {R"pb(min_run_sessions { client_name: "ORDERSVC" })pb", {"min"}},
      {R"pb(memory_leak_detected { client_name: "OrderSvc" })pb", {}},
      {"", {}},
  };
  for (const auto& c : kCases) {
    EXPECT_THAT(Describe(router.Route(Event(c.event))),
                UnorderedElementsAreArray(c.want))
        << c.event;
  }
}

TEST(RouterTest, NonSettingTypesShareOnePayload) {
  Router router;
  router.SetWebHooks({Hook("a", v1::CLIENT_STATUS_CHANGED, ".*"),
                      Hook("b", v1::CLIENT_STATUS_CHANGED, ".*")});
  auto routed =
      router.Route(Event(R"pb(client_status_changed { client_name: "X" })pb"));
  ASSERT_EQ(routed.size(), 2u);
  EXPECT_EQ(routed[0].event.get(), routed[1].event.get());
}

TEST(RouterTest, SwapsTablesAtomically) {
  Router router;
  v1::Event e = Event(R"pb(client_status_changed { client_name: "X" })pb");
  EXPECT_TRUE(router.Route(e).empty());
  router.SetWebHooks({Hook("a", v1::CLIENT_STATUS_CHANGED, ".*")});
  EXPECT_EQ(router.Route(e).size(), 1u);
  router.SetWebHooks({});
  EXPECT_TRUE(router.Route(e).empty());
}

}  // namespace
}  // namespace relay
