// The one place absl::Status becomes grpc::Status.
#ifndef SERVER_API_GRPC_STATUS_H_
#define SERVER_API_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace relay {

// Same code (the numbers agree), same message.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace relay

#endif  // SERVER_API_GRPC_STATUS_H_
