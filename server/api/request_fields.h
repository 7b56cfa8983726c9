// Request fields that several RPCs share: paging, durations, and error
// messages that name the field.
#ifndef SERVER_API_REQUEST_FIELDS_H_
#define SERVER_API_REQUEST_FIELDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "server/store/store.h"

namespace relay {

inline constexpr int kMaxPageSize = 1000;

// page_size 0 means `default_size`; negative or over kMaxPageSize is
// InvalidArgument("page_size: ..."). A page_token that is not one this
// relay issued is InvalidArgument("page_token: ...").
absl::StatusOr<PageRequest> ParsePage(int page_size, const std::string& token,
                                      int default_size = 50);

// The opaque token for a page that starts after `next_after` ("" -> "").
std::string PageToken(const std::string& next_after);

// A valid google.protobuf.Duration between `min` and `max`, or
// InvalidArgument naming `field`.
absl::StatusOr<absl::Duration> DurationField(
    absl::string_view field, const google::protobuf::Duration& d,
    absl::Duration min, absl::Duration max);

// `status` with "prefix" put before its message, same code. OK stays OK.
absl::Status Prefixed(const absl::Status& status, absl::string_view prefix);

}  // namespace relay

#endif  // SERVER_API_REQUEST_FIELDS_H_
