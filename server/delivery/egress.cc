#include "server/delivery/egress.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace relay {
namespace {

bool IsLinkLocalV4(const unsigned char* a) {
  return a[0] == 169 && a[1] == 254;
}

}  // namespace

std::string RefusedAddressReason(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = {0};
  bool refused = false;
  if (address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    refused =
        IsLinkLocalV4(reinterpret_cast<const unsigned char*>(&in->sin_addr));
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
  } else if (address->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    const unsigned char* a = in6->sin6_addr.s6_addr;
    static const unsigned char kAwsMetadata[16] = {
        0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
    refused =
        (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||
        (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && IsLinkLocalV4(a + 12)) ||
        std::memcmp(a, kAwsMetadata, sizeof(kAwsMetadata)) == 0;
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
  }
  if (!refused) return "";
  return absl::StrCat(
      "refused to connect to ", text,
      ": link-local and cloud metadata addresses are never web hook "
      "receivers");
}

}  // namespace relay
