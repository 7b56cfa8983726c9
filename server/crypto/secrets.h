// Client secrets: generation, Fig's hashed form, and random ids.
#ifndef SERVER_CRYPTO_SECRETS_H_
#define SERVER_CRYPTO_SECRETS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace relay {

// "whsec_" + base64 of 32 random bytes (OpenSSL's RAND_bytes).
std::string GenerateSecret();

// A random (version 4) UUID string, e.g. "0b5c...-....".
std::string NewUuid();

// Fig's key for bcrypt: Base64(SHA-384(UTF-8(secret))).
std::string FigBcryptKey(absl::string_view secret);

// Fig's hashed secret: bcrypt, revision $2a$, cost 11, over FigBcryptKey
// (libxcrypt). Internal on a failure of libxcrypt.
absl::StatusOr<std::string> FigHashSecret(absl::string_view secret);

// What a Fig integration does with the Authorization header:
// BCrypt.Net's EnhancedVerify(secret, hashed) with SHA-384.
bool FigVerifySecret(absl::string_view secret, absl::string_view hashed);

// Standard Webhooks' signing key: the base64-decoded part of a "whsec_"
// secret, or the raw bytes of any other (imported) secret.
std::string SigningKey(absl::string_view secret);

// Standard Webhooks' signature: "v1," + base64(HMAC-SHA256(key,
// id + "." + timestamp + "." + body)).
std::string SignPayload(absl::string_view key, absl::string_view id,
                        int64_t timestamp, absl::string_view body);

}  // namespace relay

#endif  // SERVER_CRYPTO_SECRETS_H_
