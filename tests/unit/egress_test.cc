#include "server/delivery/egress.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace relay {
namespace {

// The reason for `ip` (v4 or v6 text), "" when allowed.
std::string Reason(const char* ip) {
  sockaddr_storage storage;
  std::memset(&storage, 0, sizeof(storage));
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
  } else {
    EXPECT_EQ(inet_pton(AF_INET6, ip, &v6->sin6_addr), 1) << ip;
    v6->sin6_family = AF_INET6;
  }
  return RefusedAddressReason(reinterpret_cast<sockaddr*>(&storage));
}

TEST(EgressTest, RefusesLinkLocalAndCloudMetadata) {
  for (const char* ip : {"169.254.169.254", "169.254.0.1", "fe80::1", "febf::1",
                         "::ffff:169.254.169.254", "fd00:ec2::254"}) {
    EXPECT_THAT(Reason(ip), ::testing::HasSubstr("refused to connect to"))
        << ip;
  }
  EXPECT_THAT(
      Reason("169.254.169.254"),
      ::testing::HasSubstr("169.254.169.254: link-local and cloud metadata"));
}

TEST(EgressTest, AllowsEverythingElse) {
  for (const char* ip :
       {"127.0.0.1", "10.0.0.1", "192.168.1.1", "8.8.8.8", "169.253.1.1", "::1",
        "fec0::1", "fd00:ec2::253", "::ffff:127.0.0.1"}) {
    EXPECT_EQ(Reason(ip), "") << ip;
  }
}

}  // namespace
}  // namespace relay
