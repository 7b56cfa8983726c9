#include "server/core/web_hook_filter.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace relay {
namespace {

namespace v1 = ::fig::webhooks::v1;
using ::testing::HasSubstr;

v1::WebHook Hook(v1::WebHookType type, std::string client_re,
                 std::string setting_re = "", int min_sessions = 0) {
  v1::WebHook h;
  h.set_type(type);
  h.set_client_name_regex(client_re);
  h.set_setting_name_regex(setting_re);
  h.set_min_sessions(min_sessions);
  return h;
}

struct InvalidCase {
  const char* name;
  v1::WebHook hook;
  const char* message;  // a substring of the error
};

TEST(WebHookFilterTest, RejectsEachInvalidFieldWithItsName) {
  const InvalidCase kCases[] = {
      {"no type", Hook(v1::WEB_HOOK_TYPE_UNSPECIFIED, ".*"), "type: required"},
      {"unknown type", Hook(static_cast<v1::WebHookType>(42), ".*"),
       "type: required"},
      {"empty client regex", Hook(v1::CLIENT_STATUS_CHANGED, ""),
       "client_name_regex: required"},
      {"lookahead", Hook(v1::CLIENT_STATUS_CHANGED, "(?=Order)"),
       "client_name_regex: not a valid RE2 regex: invalid perl operator: (?="},
      {"backreference", Hook(v1::CLIENT_STATUS_CHANGED, "(a)\\1"),
       "client_name_regex: not a valid RE2 regex"},
      {"unbalanced", Hook(v1::CLIENT_STATUS_CHANGED, "(abc"),
       "client_name_regex: not a valid RE2 regex: missing ): (abc"},
      {"too long", Hook(v1::CLIENT_STATUS_CHANGED, std::string(1025, 'a')),
       "client_name_regex: longer than 1024"},
      {"too complex", Hook(v1::CLIENT_STATUS_CHANGED, "(abcd|efgh){600}"),
       "client_name_regex: too complex (RE2 program size"},
      {"setting regex missing", Hook(v1::SETTING_VALUE_CHANGED, ".*", ""),
       "setting_name_regex: required"},
      {"setting regex bad", Hook(v1::SETTING_VALUE_CHANGED, ".*", "[z-a]"),
       "setting_name_regex: not a valid RE2 regex"},
      {"min sessions 0", Hook(v1::MIN_RUN_SESSIONS, ".*", "", 0),
       "min_sessions: must be >= 1"},
      {"min sessions negative", Hook(v1::MIN_RUN_SESSIONS, ".*", "", -3),
       "min_sessions: must be >= 1"},
  };
  for (const InvalidCase& c : kCases) {
    auto filter = WebHookFilter::Compile(c.hook);
    EXPECT_EQ(filter.status().code(), absl::StatusCode::kInvalidArgument)
        << c.name;
    EXPECT_THAT(filter.status().message(), HasSubstr(c.message)) << c.name;
  }
}

TEST(WebHookFilterTest, NormalisesFieldsOtherTypesIgnore) {
  auto f =
      WebHookFilter::Compile(Hook(v1::CLIENT_STATUS_CHANGED, ".*", "Db", 5));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->hook().setting_name_regex(), "");
  EXPECT_EQ(f->hook().min_sessions(), 0);
  auto m = WebHookFilter::Compile(Hook(v1::MIN_RUN_SESSIONS, ".*", "Db", 1));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->hook().min_sessions(), 1);
  EXPECT_EQ(m->hook().setting_name_regex(), "");
}

TEST(WebHookFilterTest, MatchesLikeDotNetIsMatch) {
  static const struct {
    const char* regex;
    const char* name;
    bool match;
  } kCases[] = {
      {"Order", "OrderSvc", true},  // unanchored: a substring
      {"Svc", "OrderSvc", true},
      {"^Svc", "OrderSvc", false},
      {"order", "OrderSvc", false},  // case-sensitive
      {"(?i)order", "OrderSvc", true},
      {"^Order.*$", "OrderSvc", true},
      {".*", "", true},
      {"Billing|Order", "OrderSvc", true},
  };
  for (const auto& c : kCases) {
    auto f = WebHookFilter::Compile(Hook(v1::CLIENT_STATUS_CHANGED, c.regex));
    ASSERT_TRUE(f.ok()) << c.regex;
    EXPECT_EQ(f->MatchesClient(c.name), c.match) << c.regex << " ~ " << c.name;
  }
}

TEST(WebHookFilterTest, SecurityEventIgnoresTheClientRegex) {
  auto f = WebHookFilter::Compile(Hook(v1::SECURITY_EVENT, "^Nothing$"));
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->MatchesClient("OrderSvc"));
}

TEST(WebHookFilterTest, SettingRegexOnlyForSettingValueChanged) {
  auto svc =
      WebHookFilter::Compile(Hook(v1::SETTING_VALUE_CHANGED, ".*", "^Db"));
  ASSERT_TRUE(svc.ok());
  EXPECT_TRUE(svc->MatchesSetting("DbConn"));
  EXPECT_FALSE(svc->MatchesSetting("MyDb"));
  auto other = WebHookFilter::Compile(Hook(v1::CLIENT_STATUS_CHANGED, ".*"));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->MatchesSetting("DbConn"));
}

}  // namespace
}  // namespace relay
