// Secrets at rest: AES-256-GCM under a key kept in a file of its own.
#ifndef SERVER_CRYPTO_SECRET_BOX_H_
#define SERVER_CRYPTO_SECRET_BOX_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace relay {

// Thread-safe (immutable after Open).
class SecretBox {
 public:
  // Reads the 32-byte key at `key_path`, or creates it (mode 0600, random)
  // when the file does not exist. FailedPrecondition when the file exists
  // but is not a key, or is readable by others than its owner.
  static absl::StatusOr<SecretBox> Open(const std::string& key_path);
  // A box with a given key, for tests. `key` must be 32 bytes.
  explicit SecretBox(std::string key) : key_(std::move(key)) {}

  // nonce (12 bytes) || ciphertext || tag (16 bytes). `context` is bound as
  // associated data (e.g. the client id), so a sealed value moved to another
  // row does not open.
  std::string Seal(absl::string_view plaintext,
                   absl::string_view context) const;
  // DataLoss when the value was altered, sealed under another key or for
  // another context.
  absl::StatusOr<std::string> Open(absl::string_view sealed,
                                   absl::string_view context) const;

 private:
  std::string key_;
};

}  // namespace relay

#endif  // SERVER_CRYPTO_SECRET_BOX_H_
