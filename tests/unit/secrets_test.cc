#include "server/crypto/secrets.h"

#include <crypt.h>
#include <openssl/sha.h>

#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace relay {
namespace {

using ::testing::MatchesRegex;
using ::testing::StartsWith;

TEST(SecretsTest, GeneratedSecretIsWhsecAnd32RandomBytes) {
  std::string a = GenerateSecret(), b = GenerateSecret();
  ASSERT_THAT(a, StartsWith("whsec_"));
  std::string raw;
  ASSERT_TRUE(absl::Base64Unescape(a.substr(6), &raw));
  EXPECT_EQ(raw.size(), 32u);
  EXPECT_NE(a, b);
}

TEST(SecretsTest, UuidIsVersion4) {
  EXPECT_THAT(
      NewUuid(),
      MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                   "[0-9a-f]{12}"));
  EXPECT_NE(NewUuid(), NewUuid());
}

// What BCrypt.Net-Next's EnhancedVerify(secret, hash, SHA384) computes,
// written out here with OpenSSL and crypt_r, independently of FigVerifySecret.
bool IntegrationVerifies(const std::string& secret, const std::string& hash) {
  unsigned char digest[SHA384_DIGEST_LENGTH];
  SHA384(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
         digest);
  std::string key = absl::Base64Escape(
      std::string(reinterpret_cast<const char*>(digest), sizeof(digest)));
  crypt_data data;
  std::memset(&data, 0, sizeof(data));
  const char* out = crypt_r(key.c_str(), hash.c_str(), &data);
  return out != nullptr && hash == out;
}

TEST(SecretsTest, FigHashIsBcrypt2aCost11OverBase64Sha384) {
  const std::string secret = "0f8fad5b-d9cb-469f-a165-70867728950e";
  absl::StatusOr<std::string> hash = FigHashSecret(secret);
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_THAT(*hash, StartsWith("$2a$11$"));
  EXPECT_EQ(hash->size(), 60u);
  EXPECT_TRUE(IntegrationVerifies(secret, *hash));
  EXPECT_FALSE(IntegrationVerifies(secret + "x", *hash));
  EXPECT_TRUE(FigVerifySecret(secret, *hash));
  EXPECT_FALSE(FigVerifySecret("wrong", *hash));
  EXPECT_FALSE(FigVerifySecret(secret, "not a hash"));
}

TEST(SecretsTest, SigningKeyDecodesWhsecAndKeepsOtherSecretsRaw) {
  EXPECT_EQ(SigningKey("whsec_aGVsbG8="), "hello");
  EXPECT_EQ(SigningKey("0f8fad5b-d9cb"), "0f8fad5b-d9cb");
  EXPECT_EQ(SigningKey("whsec_!!"), "whsec_!!");
}

// The Standard Webhooks specification's test vector.
TEST(SecretsTest, SignatureMatchesStandardWebhooksVector) {
  EXPECT_EQ(SignPayload(SigningKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                        "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                        R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

}  // namespace
}  // namespace relay
