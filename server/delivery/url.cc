#include "server/delivery/url.h"

#include <curl/curl.h>

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace relay {
namespace {

using Url = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

Url NewUrl() { return Url(curl_url(), curl_url_cleanup); }

std::string Part(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, 0) != CURLUE_OK) return "";
  std::string out(value);
  curl_free(value);
  return out;
}

}  // namespace

absl::Status ValidateBaseUri(absl::string_view base_uri) {
  if (base_uri.empty()) return absl::InvalidArgumentError("required");
  if (base_uri.size() > kMaxBaseUriLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("longer than ", kMaxBaseUriLength, " characters"));
  }
  Url url = NewUrl();
  // No CURLU_GUESS_SCHEME: a URI without a scheme is not absolute.
  CURLUcode rc =
      curl_url_set(url.get(), CURLUPART_URL, std::string(base_uri).c_str(), 0);
  if (rc != CURLUE_OK) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not an absolute URI (", curl_url_strerror(rc), "): ", base_uri));
  }
  std::string scheme = absl::AsciiStrToLower(Part(url.get(), CURLUPART_SCHEME));
  if (scheme != "http" && scheme != "https") {
    return absl::InvalidArgumentError(
        absl::StrCat("scheme must be http or https, not \"", scheme, "\""));
  }
  if (Part(url.get(), CURLUPART_HOST).empty()) {
    return absl::InvalidArgumentError("has no host");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ResolveRoute(absl::string_view base_uri,
                                         absl::string_view route) {
  Url url = NewUrl();
  CURLUcode rc =
      curl_url_set(url.get(), CURLUPART_URL, std::string(base_uri).c_str(), 0);
  // Setting a relative reference on a handle that holds a URL resolves it.
  if (rc == CURLUE_OK) {
    rc = curl_url_set(url.get(), CURLUPART_URL, std::string(route).c_str(), 0);
  }
  if (rc != CURLUE_OK) {
    return absl::InvalidArgumentError(absl::StrCat("cannot resolve ", route,
                                                   " against ", base_uri, ": ",
                                                   curl_url_strerror(rc)));
  }
  return Part(url.get(), CURLUPART_URL);
}

}  // namespace relay
