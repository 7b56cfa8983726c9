#include "server/api/request_fields.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace relay {
namespace {
constexpr absl::string_view kTokenPrefix = "p1:";
}  // namespace

absl::StatusOr<PageRequest> ParsePage(int page_size, const std::string& token,
                                      int default_size) {
  if (page_size < 0 || page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must be 0 (default ", default_size, ") to ",
                     kMaxPageSize, ", got ", page_size));
  }
  PageRequest page;
  page.limit = page_size == 0 ? default_size : page_size;
  if (!token.empty()) {
    std::string decoded;
    if (!absl::WebSafeBase64Unescape(token, &decoded) ||
        !absl::StartsWith(decoded, kTokenPrefix) ||
        decoded.size() == kTokenPrefix.size()) {
      return absl::InvalidArgumentError(
          "page_token: not a next_page_token of this list");
    }
    page.after = decoded.substr(kTokenPrefix.size());
  }
  return page;
}

std::string PageToken(const std::string& next_after) {
  if (next_after.empty()) return "";
  return absl::WebSafeBase64Escape(absl::StrCat(kTokenPrefix, next_after));
}

absl::StatusOr<absl::Duration> DurationField(
    absl::string_view field, const google::protobuf::Duration& d,
    absl::Duration min, absl::Duration max) {
  bool valid = d.nanos() > -1000000000 && d.nanos() < 1000000000 &&
               !(d.seconds() > 0 && d.nanos() < 0) &&
               !(d.seconds() < 0 && d.nanos() > 0);
  absl::Duration out =
      absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
  if (!valid || out < min || out > max) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must be a duration from ", absl::FormatDuration(min), " to ",
        absl::FormatDuration(max)));
  }
  return out;
}

absl::Status Prefixed(const absl::Status& status, absl::string_view prefix) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

}  // namespace relay
