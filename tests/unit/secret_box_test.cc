#include "server/crypto/secret_box.h"

#include <sys/stat.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace relay {
namespace {

using testing::TempDir;

TEST(SecretBoxTest, CreatesA0600KeyAndReopensIt) {
  TempDir dir;
  const std::string path = dir.File("secret.key");
  auto box = SecretBox::Open(path);
  ASSERT_TRUE(box.ok()) << box.status();
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(st.st_size, 32);

  std::string sealed = box->Seal("whsec_abc", "client-1");
  EXPECT_EQ(sealed.find("whsec_abc"), std::string::npos);
  auto again = SecretBox::Open(path);
  ASSERT_TRUE(again.ok());
  auto opened = again->Open(sealed, "client-1");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "whsec_abc");
}

TEST(SecretBoxTest, RefusesAlteredWrongContextAndWrongKey) {
  SecretBox box(std::string(32, 'k'));
  std::string sealed = box.Seal("secret", "client-1");
  EXPECT_EQ(box.Open(sealed, "client-2").status().code(),
            absl::StatusCode::kDataLoss);
  std::string altered = sealed;
  altered[14] ^= 1;
  EXPECT_EQ(box.Open(altered, "client-1").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(box.Open("short", "client-1").status().code(),
            absl::StatusCode::kDataLoss);
  SecretBox other(std::string(32, 'x'));
  EXPECT_FALSE(other.Open(sealed, "client-1").ok());
  // Two seals of the same secret differ (random nonce).
  EXPECT_NE(box.Seal("secret", "c"), box.Seal("secret", "c"));
}

TEST(SecretBoxTest, RefusesAKeyFileOthersCanRead) {
  TempDir dir;
  const std::string path = dir.File("secret.key");
  ASSERT_TRUE(SecretBox::Open(path).ok());
  chmod(path.c_str(), 0644);
  auto box = SecretBox::Open(path);
  EXPECT_EQ(box.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(box.status().message(), ::testing::HasSubstr("chmod 600"));
}

}  // namespace
}  // namespace relay
