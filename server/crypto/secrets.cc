#include "server/crypto/secrets.h"

#include <crypt.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdlib>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace relay {
namespace {

std::string RandomBytes(size_t n) {
  std::string bytes(n, '\0');
  // RAND_bytes fails only when the OS has no entropy source at all; running
  // on then would hand out predictable secrets.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()),
                 static_cast<int>(n)) != 1) {
    std::abort();
  }
  return bytes;
}

}  // namespace

std::string GenerateSecret() {
  return absl::StrCat("whsec_", absl::Base64Escape(RandomBytes(32)));
}

std::string NewUuid() {
  std::string b = RandomBytes(16);
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string hex = absl::BytesToHexString(b);
  return absl::StrCat(hex.substr(0, 8), "-", hex.substr(8, 4), "-",
                      hex.substr(12, 4), "-", hex.substr(16, 4), "-",
                      hex.substr(20));
}

std::string FigBcryptKey(absl::string_view secret) {
  unsigned char digest[SHA384_DIGEST_LENGTH];
  SHA384(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
         digest);
  return absl::Base64Escape(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

absl::StatusOr<std::string> FigHashSecret(absl::string_view secret) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  std::string random = RandomBytes(16);
  if (crypt_gensalt_rn("$2a$", 11, random.data(),
                       static_cast<int>(random.size()), salt,
                       sizeof(salt)) == nullptr) {
    return absl::InternalError("crypt_gensalt_rn failed for $2a$");
  }
  crypt_data data;
  std::memset(&data, 0, sizeof(data));
  const char* hash = crypt_r(FigBcryptKey(secret).c_str(), salt, &data);
  if (hash == nullptr || hash[0] == '*') {
    return absl::InternalError("bcrypt failed");
  }
  return std::string(hash);
}

bool FigVerifySecret(absl::string_view secret, absl::string_view hashed) {
  if (!absl::StartsWith(hashed, "$2")) return false;
  crypt_data data;
  std::memset(&data, 0, sizeof(data));
  std::string setting(hashed);
  const char* hash =
      crypt_r(FigBcryptKey(secret).c_str(), setting.c_str(), &data);
  return hash != nullptr && hash[0] != '*' &&
         hashed.size() == std::strlen(hash) &&
         CRYPTO_memcmp(hash, hashed.data(), hashed.size()) == 0;
}

std::string SigningKey(absl::string_view secret) {
  std::string key;
  absl::string_view encoded = secret;
  if (absl::ConsumePrefix(&encoded, "whsec_") &&
      absl::Base64Unescape(encoded, &key) && !key.empty()) {
    return key;
  }
  return std::string(secret);
}

std::string SignPayload(absl::string_view key, absl::string_view id,
                        int64_t timestamp, absl::string_view body) {
  std::string content = absl::StrCat(id, ".", timestamp, ".", body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(),
       mac, &mac_len);
  return absl::StrCat("v1,", absl::Base64Escape(absl::string_view(
                                 reinterpret_cast<const char*>(mac), mac_len)));
}

}  // namespace relay
