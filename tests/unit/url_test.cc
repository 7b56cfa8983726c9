#include "server/delivery/url.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace relay {
namespace {

TEST(UrlTest, ResolvesLikeDotNetUri) {
  static const struct {
    const char* base;
    const char* url;
  } kCases[] = {
      {"http://h/hooks/", "http://h/hooks/SettingValueChanged"},
      {"http://h/hooks", "http://h/SettingValueChanged"},  // the pitfall
      {"http://h", "http://h/SettingValueChanged"},
      {"https://h:8443/a/b/", "https://h:8443/a/b/SettingValueChanged"},
      {"http://h/hooks/?token=1", "http://h/hooks/SettingValueChanged"},
  };
  for (const auto& c : kCases) {
    auto url = ResolveRoute(c.base, "SettingValueChanged");
    ASSERT_TRUE(url.ok()) << c.base << ": " << url.status();
    EXPECT_EQ(*url, c.url) << c.base;
  }
}

TEST(UrlTest, AcceptsOnlyAbsoluteHttpAndHttps) {
  EXPECT_TRUE(ValidateBaseUri("http://example.com/hooks/").ok());
  EXPECT_TRUE(ValidateBaseUri("HTTPS://example.com").ok());
  static const struct {
    const char* uri;
    const char* reason;
  } kBad[] = {
      {"", "required"},
      {"example.com/hooks", "not an absolute URI"},
      {"/hooks/", "not an absolute URI"},
      {"ftp://example.com/", "scheme must be http or https"},
      {"file:///etc/passwd", "scheme must be http or https"},
      {"http://", "not an absolute URI"},
  };
  for (const auto& c : kBad) {
    absl::Status s = ValidateBaseUri(c.uri);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.uri;
    EXPECT_THAT(s.message(), ::testing::HasSubstr(c.reason)) << c.uri;
  }
  EXPECT_THAT(ValidateBaseUri("http://h/" + std::string(2100, 'a')).message(),
              ::testing::HasSubstr("longer than 2048"));
}

}  // namespace
}  // namespace relay
