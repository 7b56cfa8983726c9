#include "server/crypto/secret_box.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"

namespace relay {
namespace {

constexpr size_t kKeySize = 32;
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;

using CipherCtx =
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* U(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

absl::Status ErrnoError(const std::string& what, const std::string& path) {
  return absl::FailedPreconditionError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<SecretBox> SecretBox::Open(const std::string& key_path) {
  int fd = open(key_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    std::string key(kKeySize, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), kKeySize) !=
        1) {
      return absl::InternalError("RAND_bytes failed");
    }
    std::string tmp = key_path + ".tmp";
    int out = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0) return ErrnoError("cannot create key file", tmp);
    bool ok = write(out, key.data(), key.size()) ==
                  static_cast<ssize_t>(key.size()) &&
              fsync(out) == 0;
    close(out);
    if (!ok || rename(tmp.c_str(), key_path.c_str()) != 0) {
      return ErrnoError("cannot write key file", key_path);
    }
    return SecretBox(std::move(key));
  }
  if (fd < 0) return ErrnoError("cannot open key file", key_path);
  struct stat st;
  std::string key(kKeySize + 1, '\0');
  ssize_t n = fstat(fd, &st) == 0 ? read(fd, key.data(), key.size()) : -1;
  close(fd);
  if (n != static_cast<ssize_t>(kKeySize)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "key file ", key_path, " is not a ", kKeySize, "-byte key"));
  }
  if ((st.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "key file ", key_path, " is readable by others; chmod 600 it"));
  }
  key.resize(kKeySize);
  return SecretBox(std::move(key));
}

std::string SecretBox::Seal(absl::string_view plaintext,
                            absl::string_view context) const {
  std::string out(kNonceSize + plaintext.size() + kTagSize, '\0');
  unsigned char* nonce = reinterpret_cast<unsigned char*>(out.data());
  unsigned char* body = nonce + kNonceSize;
  if (RAND_bytes(nonce, kNonceSize) != 1) std::abort();
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  // With a valid 32-byte key and 12-byte nonce these calls cannot fail
  // except on allocation failure.
  if (ctx == nullptr ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key_),
                         nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(context),
                        static_cast<int>(context.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), body, &len, U(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), body + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                          body + plaintext.size()) != 1) {
    std::abort();
  }
  return out;
}

absl::StatusOr<std::string> SecretBox::Open(absl::string_view sealed,
                                            absl::string_view context) const {
  if (sealed.size() < kNonceSize + kTagSize) {
    return absl::DataLossError("sealed secret is truncated");
  }
  size_t body_size = sealed.size() - kNonceSize - kTagSize;
  const unsigned char* nonce = U(sealed);
  const unsigned char* body = nonce + kNonceSize;
  std::string tag(sealed.substr(kNonceSize + body_size));
  std::string out(body_size, '\0');
  unsigned char* plain = reinterpret_cast<unsigned char*>(out.data());
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  if (ctx == nullptr ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key_),
                         nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(context),
                        static_cast<int>(context.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), plain, &len, body,
                        static_cast<int>(body_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize,
                          tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), plain + len, &len) != 1) {
    return absl::DataLossError(
        "sealed secret does not open: altered, or sealed under another key");
  }
  return out;
}

}  // namespace relay
