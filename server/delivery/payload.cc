#include "server/delivery/payload.h"

#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "server/core/events.h"

namespace relay {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::nlohmann::ordered_json;

bool IsNestedPayload(const FieldDescriptor* field) {
  return field->type() == FieldDescriptor::TYPE_MESSAGE &&
         field->message_type()->full_name() != "google.protobuf.Timestamp";
}

// `printed` (any key order, unset nullables absent) in declaration order
// with nulls, recursively.
ordered_json InFigOrder(const Descriptor* descriptor,
                        const ordered_json& printed) {
  ordered_json out = ordered_json::object();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    auto it = printed.find(field->json_name());
    if (it == printed.end()) {
      out[field->json_name()] = nullptr;
    } else if (IsNestedPayload(field) && field->is_repeated()) {
      ordered_json items = ordered_json::array();
      for (const auto& item : *it) {
        items.push_back(InFigOrder(field->message_type(), item));
      }
      out[field->json_name()] = std::move(items);
    } else if (IsNestedPayload(field)) {
      out[field->json_name()] = InFigOrder(field->message_type(), *it);
    } else {
      out[field->json_name()] = *it;
    }
  }
  return out;
}

}  // namespace

std::string RenderPayload(const fig::webhooks::v1::Event& event) {
  const google::protobuf::Message& payload = PayloadOf(event);
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.always_print_enums_as_ints = true;
  std::string printed;
  // Printing a valid message to a string cannot fail.
  (void)google::protobuf::util::MessageToJsonString(payload, &printed, options);
  return InFigOrder(payload.GetDescriptor(), ordered_json::parse(printed))
      .dump();
}

}  // namespace relay
