// Where the relay refuses to send: addresses a web hook must never reach,
// checked at connect time (after DNS, so a name that resolves there is
// refused too).
#ifndef SERVER_DELIVERY_EGRESS_H_
#define SERVER_DELIVERY_EGRESS_H_

#include <sys/socket.h>

#include <string>

namespace relay {

// Link-local addresses (169.254.0.0/16, fe80::/10, and IPv4-mapped
// ::ffff:169.254.0.0/112), where cloud metadata services live, and AWS's
// IPv6 metadata address fd00:ec2::254. Returns the reason, or "" when the
// address may be used.
std::string RefusedAddressReason(const sockaddr* address);

}  // namespace relay

#endif  // SERVER_DELIVERY_EGRESS_H_
