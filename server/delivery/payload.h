// The JSON body of a web hook, exactly as Fig sends it.
#ifndef SERVER_DELIVERY_PAYLOAD_H_
#define SERVER_DELIVERY_PAYLOAD_H_

#include <string>

#include "fig/webhooks/v1/events.pb.h"

namespace relay {

// The event's payload as Fig's Newtonsoft serializer writes it: PascalCase
// names in Fig's property order, enums as integers, unset nullable fields
// written as null, timestamps as ISO-8601 UTC with "Z", lists as arrays.
// Printed by protobuf's JSON printer, ordered with nlohmann::ordered_json.
std::string RenderPayload(const fig::webhooks::v1::Event& event);

}  // namespace relay

#endif  // SERVER_DELIVERY_PAYLOAD_H_
