// Receiver URLs: validating a client's base URI and resolving routes against
// it by RFC 3986 reference resolution (what .NET's new Uri(base, route)
// does), with libcurl's URL parser.
#ifndef SERVER_DELIVERY_URL_H_
#define SERVER_DELIVERY_URL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace relay {

inline constexpr size_t kMaxBaseUriLength = 2048;

// OK for an absolute http or https URI with a host; InvalidArgument
// otherwise, with the reason (the caller adds the field name).
absl::Status ValidateBaseUri(absl::string_view base_uri);

// `route` resolved against `base_uri`: "http://h/hooks/" + "X" gives
// "http://h/hooks/X", "http://h/hooks" + "X" gives "http://h/X".
absl::StatusOr<std::string> ResolveRoute(absl::string_view base_uri,
                                         absl::string_view route);

}  // namespace relay

#endif  // SERVER_DELIVERY_URL_H_
